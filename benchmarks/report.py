"""The benchmark's report: rows of figures beside their baselines, the printed table, the machine.

A row is (group, case, our figures, baselines); `print_table` renders the rows a run collected,
and run.py writes the same rows to benchmarks/results/ as JSON.
"""

import os
import platform
import sqlite3
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# The targets, shown beside the figures (None: no target stated for that row).
TARGETS = {
    ("collection page", "three filters, page 1"): "p95 <= 50 ms (100k SQLite), <= 2x bare view",
    ("collection page", "deep page"): "<= 1.2x page 1",
    ("document page", "richest document"): "p95 <= 20 ms",
    ("admin changelist", "page 1"): "p95 <= 60 ms, <= 8 queries",
    ("search", "rare term"): "p95 <= 50 ms",
    ("search", "common term"): "p95 <= 150 ms",
    ("throughput", "collection page"): ">= 150 requests/s",
    ("import", "new rows"): ">= 5,000 rows/s, >= 6x baseline, < 300 MB",
    ("import", "unchanged file"): ">= 10,000 rows/s, zero writes",
    ("while curators edit", "collection page"): "p95 <= 2x the same page at rest",
    ("while curators edit", "document list"): "p95 <= 2x the same page at rest",
    ("while curators edit", "a save visible on the public list"): "<= 1,000 ms",
}


def ratio(numerator, denominator):
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 2)


class Report:
    def __init__(self):
        self.rows = []

    def add(self, group, case, ours, baselines=()):
        row = {"group": group, "case": case, "ours": ours, "baselines": []}
        for name, figures in baselines:
            entry = {"name": name, **figures}
            if ours.get("status") == "ok" and figures.get("status") == "ok" and "p95_ms" in ours:
                entry["ratio_p95"] = ratio(ours["p95_ms"], figures["p95_ms"])
            row["baselines"].append(entry)
        if (group, case) in TARGETS:
            row["target"] = TARGETS[(group, case)]
        self.rows.append(row)
        return row


def percentile(values, share):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def machine_info():
    from django.db import connection

    info = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "database": connection.vendor,
    }
    import django

    info["django"] = django.get_version()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["postgresql"] = cursor.fetchone()[0]
    try:
        with open("/proc/meminfo") as handle:
            info["memory_gb"] = round(int(handle.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def fmt(figures):
    if not figures:
        return "-"
    if figures.get("status") != "ok":
        return figures.get("status", "-")
    if "import_seconds" in figures:  # the load benchmark's import, beside the other requests
        return f"finished in {figures['import_seconds']:.1f} s, exit {figures['returncode']}"
    if "persisted" in figures:  # the load benchmark's check of the database afterwards
        return f"{figures['persisted']:,} of {figures['expected']:,} {figures['unit']} persisted"
    if "p99_ms" in figures and "errors" in figures:  # a kind of request under load
        if figures["p50_ms"] is None:  # none succeeded
            return f"{figures['requests']:,} req, {figures['errors']:,} errors"
        latency = " / ".join(f"{figures[f'{p}_ms']:.0f}" for p in ("p50", "p95", "p99"))
        return f"{figures['requests']:,} req, {figures['errors']:,} errors, p50/95/99 {latency} ms"
    if "arrays_mb" in figures:  # the public index of one web process
        return (
            f"{figures['index_resident_mb']:.0f} MB resident "
            f"({figures['arrays_mb']:.0f} MB arrays), built in {figures['build_ms']:,} ms"
        )
    if "visible_after_ms" in figures:
        return f"visible {figures['visible_after_ms']:,.0f} ms after the save"
    if "requests_per_second" in figures:
        if not figures["requests_per_second"]:
            return f"0 req/s: no request finished within {figures['seconds']} s"
        return f"{figures['requests_per_second']:.0f} req/s (p50 {figures['p50_ms']} ms)"
    if "rows_per_second" in figures:
        written = figures.get("writes")
        return (
            f"{figures['rows_per_second']:,.0f} rows/s, {figures['peak_memory_mb']:.0f} MB"
            f"{'' if written is None else f', {written:,} writes'}"
        )
    text = f"p50 {figures['p50_ms']:.1f} / p95 {figures['p95_ms']:.1f} ms, {figures['queries']} q"
    if figures.get("count") is not None:
        text += f", {figures['count']:,} hits"
    return text


def print_table(results):
    info = results["machine"]
    database = (
        f"PostgreSQL {info['postgresql']}" if "postgresql" in info else f"SQLite {info['sqlite']}"
    )
    print()
    print(
        f"Benchmark: {results['documents']:,} documents (seed {results['seed']}) on {database}; "
        f"{info['cores']} cores, {info.get('memory_gb', '?')} GB, Python {info['python']}, "
        f"Django {info['django']}; code {results.get('git', '?')}"
    )
    if results["generate_seconds"] is None:
        print("Archive generated by an earlier run (--reuse).")
    else:
        print(f"Generated in {results['generate_seconds']:.0f} s.")
    lines = [("group", "case", "ours", "baseline", "baseline figures", "ratio")]
    for row in results["rows"]:
        baselines = row["baselines"] or [{}]
        for index, baseline in enumerate(baselines):
            ratio = ""
            for key in ("ratio_p95", "ratio_rps", "ratio_rows_per_second"):
                if baseline.get(key) is not None:
                    ratio = f"{baseline[key]}x"
            lines.append(
                (
                    row["group"] if index == 0 else "",
                    row["case"] if index == 0 else "",
                    fmt(row["ours"]) if index == 0 else "",
                    baseline.get("name", ""),
                    fmt(baseline) if baseline else "",
                    ratio,
                )
            )
    widths = [min(max(len(str(line[i])) for line in lines), 60) for i in range(6)]
    for line in lines:
        print(
            "  ".join(str(cell)[:60].ljust(width) for cell, width in zip(line, widths, strict=True))
        )
    print()


def git_revision():
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return "?"
