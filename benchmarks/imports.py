"""The import measurement: the archive's import beside a stock ModelResource on the same files.

Each import runs in a child process (benchmarks/importing.py) on a clone of the benchmark
database, so its peak memory is its own and the pages are measured on the untouched archive.
"""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.databases import clone_database
from benchmarks.report import ratio

ROOT = Path(__file__).resolve().parent.parent


def import_suite(report, *, vendor, database_source, workdir, documents, seed, baseline_rows):
    """Import N new rows, the same file again, and the file with 1% of rows changed."""
    from documents.models import Document

    highest = Document.objects.order_by("-record_id").values_list("record_id", flat=True).first()
    path = workdir / f"import-{documents}.csv"
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "generate_archive",
            "--documents",
            str(documents),
            "--seed",
            str(seed + 1),
            "--csv",
            str(path),
            "--first-record-id",
            str(highest + 1),
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    outcomes = {}
    for mode, rows in (("archive", documents), ("baseline", min(documents, baseline_rows))):
        source = path
        if rows < documents:
            source = workdir / f"import-{documents}-first-{rows}.csv"
            head(path, source, rows)
        changed = workdir / f"{source.stem}-1pct.csv"
        changed_rows = write_changed_copy(source, changed)
        clone_url, drop = clone_database(vendor, database_source, workdir, mode)
        try:
            for case, file in (
                ("new rows", source),
                ("unchanged file", source),
                ("1% changed", changed),
            ):
                outcome = run_import_child(mode, file, clone_url)
                outcome["file_rows"] = rows
                if case == "1% changed":
                    outcome["rows_changed_in_file"] = changed_rows
                outcomes[(mode, case)] = outcome
                if outcome.get("status") != "ok":
                    break
        finally:
            drop()
    for case in ("new rows", "unchanged file", "1% changed"):
        ours = outcomes.get(("archive", case)) or outcomes.get(("archive", "new rows"))
        stock = outcomes.get(("baseline", case)) or {"status": "not measured (earlier step failed)"}
        row = report.add("import", case, ours, [("stock ModelResource", stock)])
        if ours.get("status") == "ok" and stock.get("status") == "ok":
            row["baselines"][0]["ratio_rows_per_second"] = ratio(
                ours["rows_per_second"], stock["rows_per_second"]
            )


def run_import_child(mode, path, database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.importing", "--mode", mode, "--file", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (
            result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.returncode
        )
        return {"status": f"failed: {last}"}
    return json.loads(result.stdout.strip().splitlines()[-1])


def head(source, target, rows):
    with (
        open(source, newline="", encoding="utf-8") as reader_handle,
        open(target, "w", newline="", encoding="utf-8") as writer_handle,
    ):
        reader, writer = csv.reader(reader_handle), csv.writer(writer_handle)
        for index, row in enumerate(reader):
            if index > rows:
                break
            writer.writerow(row)


def write_changed_copy(source, target):
    """The same file with the summary of every hundredth row edited: exactly 1% of rows change."""
    changed = 0
    with (
        open(source, newline="", encoding="utf-8") as reader_handle,
        open(target, "w", newline="", encoding="utf-8") as writer_handle,
    ):
        reader, writer = csv.reader(reader_handle), csv.writer(writer_handle)
        header = next(reader)
        writer.writerow(header)
        summary = header.index("summary")
        for index, row in enumerate(reader, start=1):
            if index % 100 == 0:
                row[summary] = f"{row[summary]} (Revised by the curator.)"
                changed += 1
            writer.writerow(row)
    return changed
