"""Imports above IMPORT_BACKGROUND_ROWS run as tasks; the admin shows the job, the command a bar.

Here tasks run with the immediate backend or are called directly, because these tests are about
the job page, the sentences and the transaction; tests/tasks/test_worker.py confirms an import
with the real worker running beside the site.
"""

import re
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from documents.models import Document, ImportJob
from documents.tasks import progress
from documents.tasks.imports import queue_import, run_import
from tests.importing.conftest import write_csv
from tests.importing.test_import_admin import _upload

pytestmark = pytest.mark.django_db


def rows(count, *, start=0):
    header = ["title", "date", "summary"]
    return [header] + [
        [f"Report number {n} on the Azerbaijan crisis", "May 8, 1946", f"Summary {n}."]
        for n in range(start, start + count)
    ]


def _confirm(client, preview):
    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() or "" for name in confirm.fields}
    return client.post(reverse("admin:documents_document_process_import"), data)


def test_confirming_an_import_above_the_background_size_opens_the_job_page(
    client, importer, tmp_path, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 10
    client.force_login(importer)
    preview = _upload(client, write_csv(tmp_path / "reports.csv", rows(25)))
    done = _confirm(client, preview)
    job = ImportJob.objects.get()
    assert done.status_code == 302
    assert done.url == reverse("admin:documents_importjob_change", args=[job.pk])
    assert job.total_rows == 25 and job.task_id
    page = client.get(done.url).content.decode()
    assert f"Import #{job.pk} of 25 rows is running in the background." in page
    # The immediate backend ran it already: the page shows the result and stops refreshing.
    assert "Imported: created 25, updated 0, unchanged 0, errors 0 (of 25 rows)." in page
    assert 'http-equiv="refresh"' not in page
    assert Document.objects.count() == 25
    assert not job.upload and not ImportJob.objects.get().upload  # the queued file is removed


def test_a_background_import_applies_the_answers_given_in_the_preview(
    client, importer, tmp_path, settings
):
    from documents.models import Person

    settings.IMPORT_BACKGROUND_ROWS = 10
    qavam = Person.objects.create(name="Qavam")
    sheet = [[*row, "Ghavam" if n else "authors"] for n, row in enumerate(rows(25))]
    client.force_login(importer)
    preview = _upload(client, write_csv(tmp_path / "reports.csv", sheet))
    [(number, question)] = preview.context["questions"]
    assert question.proposed == f"#{qavam.pk}"
    data = {name: preview.context["confirm_form"][name].value() or "" for name in OPTIONS}
    data |= {"token": preview.context["token"], f"question-{number}": question.key}
    data[f"answer-{number}"] = "new"  # the curator's answer, not the proposal

    client.post(reverse("admin:documents_document_process_import"), data)

    job = ImportJob.objects.get()
    assert job.task_id and job.outcome == ImportJob.Outcome.IMPORTED
    assert job.options["answers"] == {"person:Ghavam": "new"}
    assert Person.objects.filter(name="Ghavam").count() == 1
    assert Document.objects.filter(contributions__person__name="Ghavam").count() == 25


def test_a_small_import_still_runs_in_the_request(client, importer, tmp_path, settings):
    settings.IMPORT_BACKGROUND_ROWS = 10
    client.force_login(importer)
    preview = _upload(client, write_csv(tmp_path / "few.csv", rows(3)))
    _confirm(client, preview)
    job = ImportJob.objects.get()
    assert job.outcome == ImportJob.Outcome.IMPORTED and not job.task_id and not job.total_rows


OPTIONS = {
    "date_order": "mdy",
    "encoding": None,
    "create_missing": False,
    "skip_errors": False,
    "allow_duplicates": False,
}


@pytest.fixture
def queued(importer, settings, tmp_path):
    """Queue imports that wait (the dummy backend keeps them); the test runs the task itself."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def queue(count=40, total_rows=None, name="reports.csv"):
        path = write_csv(tmp_path / name, rows(count))
        return queue_import(
            path,
            user=importer,
            file_name=name,
            options=OPTIONS,
            total_rows=count if total_rows is None else total_rows,
        )

    return queue


def test_a_running_import_page_shows_rows_done_of_the_total_and_time_left_and_refreshes(
    client, importer, queued
):
    job = queued(total_rows=1000)
    client.force_login(importer)
    url = reverse("admin:documents_importjob_change", args=[job.pk])
    waiting = client.get(url).content.decode()
    assert "Waiting for the worker: 1,000 rows to import." in waiting
    assert '<meta http-equiv="refresh" content="3">' in waiting

    ImportJob.objects.filter(pk=job.pk).update(outcome=ImportJob.Outcome.RUNNING)
    reporter = progress.Reporter(job.pk, 1000)
    # As if the import had started 10 seconds ago; its first batch is reported at once.
    reporter.progress.started = time.time() - 10
    reporter(250)
    page = client.get(url).content.decode()
    assert re.search(r"Importing: 250 of 1,000 rows \(25%\), about 3\d seconds left\.", page)
    assert '<meta http-equiv="refresh" content="3">' in page
    # Under a Content-Security-Policy without inline scripts the page still refreshes.
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page)
    listing = client.get(reverse("admin:documents_importjob_changelist")).content.decode()
    assert "Importing: 250 of 1,000 rows (25%)" in listing


def test_an_import_whose_rows_now_fail_ends_failed_with_the_errors_and_writes_nothing(
    queued,
):
    job = queued()
    # Between the preview and the worker, a curator added one of the file's records.
    Document.objects.create(
        title="Report number 7 on the Azerbaijan crisis", date_text="May 8, 1946"
    )
    before = Document.objects.count()
    run_import.call(job.pk)
    job.refresh_from_db()
    assert job.outcome == ImportJob.Outcome.FAILED
    assert job.failed == 1 and "Possible duplicate: Record" in job.errors[0]["message"]
    assert job.errors[0]["question"] == "record:9"  # the question a preview would ask
    assert Document.objects.count() == before


def test_an_import_that_stops_with_an_error_says_why_and_writes_nothing(client, importer, queued):
    job = queued()
    # The queued file vanished from the media storage before the worker reached it.
    job.upload.storage.delete(job.upload.name)
    with pytest.raises(FileNotFoundError):
        run_import.call(job.pk)
    job.refresh_from_db()
    assert job.outcome == ImportJob.Outcome.FAILED
    assert not Document.objects.exists()
    client.force_login(importer)
    page = client.get(reverse("admin:documents_importjob_change", args=[job.pk])).content.decode()
    assert (
        "Failed; nothing was written. The import stopped with an error and nothing was "
        "written: FileNotFoundError:"
    ) in page
    assert "Undo this import" not in page


def test_an_import_with_nothing_to_change_says_so(queued):
    run_import.call(queued(count=5).pk)
    again = queued(count=5)
    run_import.call(again.pk)
    again.refresh_from_db()
    assert again.outcome == ImportJob.Outcome.NOTHING and again.unchanged == 5
    assert Document.objects.count() == 5


def test_a_job_runs_once_however_often_it_is_started(queued):
    job = queued(count=5)
    run_import.call(job.pk)
    assert run_import.call(job.pk) == f"Import #{job.pk} is not waiting to run."
    assert Document.objects.count() == 5


def test_the_command_line_bar_shows_the_total_and_a_percentage(tmp_path, capsys):
    path = write_csv(tmp_path / "reports.csv", rows(30))
    call_command("import_documents", str(path))
    err = capsys.readouterr().err
    assert "100%" in err and "30/30" in err
    assert Document.objects.count() == 30


def test_the_progress_report_and_the_queued_file_are_removed_when_the_import_ends(queued):
    job = queued(count=5)
    upload = job.upload.name
    assert job.upload.storage.exists(upload)
    run_import.call(job.pk)
    assert progress.read(job.pk) is None
    assert not job.upload.storage.exists(upload)
