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
