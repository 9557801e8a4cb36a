"""The real worker: `manage.py db_worker` in its own process, beside the site, on an SQLite file.

The site (the admin, driven by tests/tasks/driver.py), the worker and this test are separate
processes sharing one database file, as under `make run`; nothing is mocked.
"""

import pytest

from tests.tasks.conftest import peak_memory_mb
from tests.tasks.files import flat_png

pytestmark = pytest.mark.django_db  # the suite's database is unused; the archive is a file


def _processed(archive, scan):
    """Wait for the worker, then the scan as the driver reports it."""
    archive.wait_for(
        "SELECT processing FROM documents_scan WHERE id = ?",
        scan,
        until=lambda row: row[0] != "pending",
    )
    return archive.drive("scan", scan)


def test_uploads_return_at_once_and_a_scan_past_the_memory_limit_is_marked_while_the_worker_goes_on(
    archive, tmp_path
):
    archive.set(SCAN_PROCESS_MAX_MEMORY_MB=300)
    document = archive.drive("setup")["document"]
    huge, small = tmp_path / "huge.png", tmp_path / "small.png"
    huge.write_bytes(flat_png(12_000, 12_000))  # 420 KB; 144 megapixels, 576 MB decoded
    small.write_bytes(flat_png(800, 600))
    uploaded = archive.drive("upload_scan", document, huge)
    assert uploaded["status"] == 302
    assert uploaded["seconds"] < 3
    first = uploaded["scan"]
    second = archive.drive("upload_scan", document, small)["scan"]
    assert archive.drive("scan", first)["status"] == "Waiting for the worker to make its thumbnail"
    worker = archive.start_worker()
    failed = _processed(archive, first)
    assert failed["processing"] == "failed"
    assert failed["status"].startswith(
        "Could not be processed: reading it needs more than 300 MB of memory"
    )
    made = _processed(archive, second)
    assert made["status"] == "Ready" and made["thumbnail"]
    assert worker.poll() is None
    # The decoder ran out of memory in the worker's child process, not in the worker.
    assert peak_memory_mb(worker) < 250
    page = archive.drive("page", f"/admin/documents/document/{document}/change/")
    assert "Could not be processed: reading it needs more than 300 MB of memory" in page["html"]


def test_a_scan_past_the_time_limit_is_marked_and_the_worker_goes_on(archive, tmp_path):
    archive.set(SCAN_PROCESS_TIMEOUT=1)
    document = archive.drive("setup")["document"]
    slow = tmp_path / "slow.png"
    slow.write_bytes(flat_png(12_000, 12_000))
    scan = archive.drive("upload_scan", document, slow)["scan"]
    worker = archive.start_worker()
    marked = _processed(archive, scan)
    assert marked["status"].startswith(
        "Could not be processed: making its thumbnail took longer than 1 seconds"
    )
    assert worker.poll() is None


def _reports(path, count):
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "date", "summary"])
        for n in range(count):
            # Numbers no year could be: reports 1946 and 1947 of one day may be one mistyped.
            writer.writerow(
                [f"Report {n + 30000} on the Azerbaijan crisis", "May 8, 1946", "A summary."]
            )
    return path


def _progress(archive, job):
    import json

    report = archive.media / "imports" / "progress" / f"{job}.json"
    try:
        return json.loads(report.read_text())
    except (FileNotFoundError, ValueError):
        return None


def _imported_records(archive):
    sql = "SELECT COUNT(*) FROM documents_document WHERE title LIKE 'Report % crisis'"
    return archive.query(sql)[0]


def test_a_confirmed_import_returns_at_once_and_the_worker_imports_it_with_progress(
    archive, tmp_path
):
    archive.drive("setup")
    confirmed = archive.drive("import_file", _reports(tmp_path / "reports.csv", 6000))
    assert confirmed["status"] == 302 and confirmed["seconds"] < 3
    job = archive.drive("latest_job")["job"]
    assert confirmed["location"] == f"/admin/documents/importjob/{job}/change/"
    waiting = archive.drive("page", confirmed["location"])["html"]
    assert "Waiting for the worker: 6,000 rows to import." in waiting
    assert '<meta http-equiv="refresh" content="3">' in waiting
    archive.start_worker()
    seen = []
    archive.wait_for(
        "SELECT outcome FROM documents_importjob WHERE id = ?",
        job,
        until=lambda row: seen.append(_progress(archive, job)) or row[0] == "imported",
        timeout=240,
    )
    partial = [p for p in seen if p and 0 < p["done"] < 6000]
    assert partial and all(p["total"] == 6000 for p in partial)
    done = archive.drive("page", confirmed["location"])["html"]
    assert "Imported: created 6,000, updated 0, unchanged 0, errors 0 (of 6,000 rows)." in done
    assert 'http-equiv="refresh"' not in done
    assert _imported_records(archive) == 6000


def test_a_worker_killed_in_the_middle_of_an_import_leaves_nothing_written(archive, tmp_path):
    archive.drive("setup")
    archive.drive("import_file", _reports(tmp_path / "reports.csv", 6000))
    job = archive.drive("latest_job")["job"]
    worker = archive.start_worker()
    archive.wait_for(
        "SELECT outcome FROM documents_importjob WHERE id = ?",
        job,
        until=lambda row: (_progress(archive, job) or {"done": 0})["done"] >= 1000,
        timeout=240,
    )
    worker.kill()  # SIGKILL: no handler runs, the transaction is left open
    worker.wait()
    assert _imported_records(archive) == 0
    page = archive.drive("page", f"/admin/documents/importjob/{job}/change/")["html"]
    assert "Importing:" in page and "of 6,000 rows" in page


def test_a_large_batch_edit_returns_at_once_and_the_worker_makes_it(archive):
    archive.drive("setup")
    archive.set(BATCH_EDIT_BACKGROUND_DOCUMENTS=100)
    confirmed = archive.drive("batch_edit", 1500)
    edit = confirmed["batch_edit"]
    assert confirmed["status"] == 302
    assert confirmed["location"] == f"/admin/documents/batchedit/{edit}/change/"
    waiting = archive.drive("page", confirmed["location"])["html"]
    assert "Waiting for the worker: 1,500 documents to edit." in waiting
    assert archive.query("SELECT count(*) FROM documents_document_subjects") == (0,)
    archive.start_worker()
    archive.wait_for(
        "SELECT state FROM documents_batchedit WHERE id = ?",
        edit,
        until=lambda row: row[0] in ("done", "failed"),
        timeout=240,
    )
    done = archive.drive("page", confirmed["location"])["html"]
    assert "Done: changed 1,500 of 1,500 documents." in done
    assert 'http-equiv="refresh"' not in done
    linked = "SELECT count(*) FROM documents_document_subjects WHERE subject_id = ?"
    assert archive.query(linked, confirmed["subject"]) == (1500,)
