"""Requests per second of the collection page: gunicorn driven by wrk, with and without Redis."""

import re
import subprocess

from benchmarks.report import ratio
from benchmarks.servers import (
    GUNICORN_PORT,
    REDIS_PORT,
    ensure_command,
    start_gunicorn,
    start_redis,
    stop,
)


def wrk(url, seconds):
    result = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", "--latency", url],
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds + 60,
    )
    text = result.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", text)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if not rps:
        return {"status": f"failed: {result.stderr.strip() or text.strip()}"[:300]}

    def ms(match):
        value, unit = float(match.group(1)), match.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)

    figures = {
        "status": "ok" if not non_2xx else f"failed: {non_2xx.group(1)} error responses",
        "requests_per_second": float(rps.group(1)),
        "p50_ms": ms(p50) if p50 else None,
        "p99_ms": ms(p99) if p99 else None,
        "seconds": seconds,
        "connections": 8,
    }
    return figures


def throughput_suite(report, *, collection_url, bare_url, seconds, workdir):
    if collection_url is None:
        report.add("throughput", "collection page", {"status": "not available"})
        return
    if not ensure_command("wrk", "wrk"):
        report.add("throughput", "collection page", {"status": "not available: wrk not installed"})
        return
    from django.db import connections

    connections.close_all()

    base = f"http://127.0.0.1:{GUNICORN_PORT}"
    process = start_gunicorn({})
    try:
        wrk(base + collection_url, 2)  # warm both workers
        ours = wrk(base + collection_url, seconds)
        bare = wrk(base + bare_url, seconds) if bare_url else {"status": "not available"}
    finally:
        stop(process)
    row = report.add("throughput", "collection page", ours, [("bare view", bare)])
    for entry in row["baselines"]:
        if ours.get("status") == "ok" and entry.get("status") == "ok":
            entry["ratio_rps"] = ratio(ours["requests_per_second"], entry["requests_per_second"])
    # The same page with the shared Redis page cache, as deployed beyond one machine.
    redis_process = start_redis(REDIS_PORT, workdir)
    if redis_process is None:
        report.add(
            "throughput",
            "collection page, Redis page cache",
            {"status": "not available: redis-server not installed"},
        )
        return
    try:
        process = start_gunicorn(
            {"REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0", "PAGE_CACHE_SECONDS": "300"}
        )
        try:
            wrk(base + collection_url, 2)
            cached = wrk(base + collection_url, seconds)
        finally:
            stop(process)
    finally:
        stop(redis_process)
    row = report.add(
        "throughput", "collection page, Redis page cache", cached, [("uncached", ours)]
    )
    if cached.get("status") == "ok" and ours.get("status") == "ok":
        row["baselines"][0]["ratio_rps"] = ratio(
            cached["requests_per_second"], ours["requests_per_second"]
        )
