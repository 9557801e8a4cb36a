"""Batch edits above BATCH_EDIT_BACKGROUND_DOCUMENTS run as tasks; their page shows the progress.

Here tasks run with the immediate backend, or wait in the dummy backend and are run by the test.
"""

import re
import time

import pytest
from django.urls import reverse

from documents.models import BatchEdit, Document, Status, Subject
from documents.tasks import batch_edits, progress
from documents.workflows import batch_editing
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:documents_document_batch_edit")


def documents(count):
    return Document.objects.bulk_create(
        [
            Document(
                title=f"Report {n}", record_id=9000 + n, slug=f"report-{n}", status=Status.DRAFT
            )
            for n in range(count)
        ]
    )


def confirm(client, docs, subject):
    return client.post(
        PAGE + "?ids=" + ",".join(str(d.pk) for d in docs),
        {"step": "confirm", "field": "subjects", "action": "add", "values": subject.pk},
    )


def test_a_batch_edit_above_the_background_size_runs_as_a_task(curator_client, settings):
    settings.BATCH_EDIT_BACKGROUND_DOCUMENTS = 10
    oil = Subject.objects.create(name="Oil")
    docs = documents(25)
    done = confirm(curator_client, docs, oil)
    edit = BatchEdit.objects.get()
    assert edit.task_id, "the batch edit was not queued"
    # The immediate backend ran it already: the page shows the result and stops refreshing.
    page = curator_client.get(done.url).content.decode()
    assert "Done: changed 25 of 25 documents" in page
    assert 'http-equiv="refresh"' not in page
    assert oil.documents.count() == 25


def test_a_small_batch_edit_runs_in_the_request(curator_client, settings):
    settings.BATCH_EDIT_BACKGROUND_DOCUMENTS = 10
    oil = Subject.objects.create(name="Oil")
    confirm(curator_client, [DocumentFactory(), DocumentFactory()], oil)
    edit = BatchEdit.objects.get()
    assert not edit.task_id and edit.state == BatchEdit.State.DONE


@pytest.fixture
def waiting(settings):
    """Queued batch edits wait (the dummy backend keeps them); the test runs the task itself."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.BATCH_EDIT_BACKGROUND_DOCUMENTS = 10


def test_a_queued_batch_edit_shows_its_progress_then_the_worker_makes_it(curator_client, waiting):
    oil = Subject.objects.create(name="Oil")
    docs = documents(40)
    done = confirm(curator_client, docs, oil)
    edit = BatchEdit.objects.get()
    assert edit.state == BatchEdit.State.QUEUED and not oil.documents.exists()
    page = curator_client.get(done.url).content.decode()
    assert f"Batch edit #{edit.pk} of 40 documents runs in the background" in page
    assert "Waiting for the worker: 40 documents to edit." in page
    assert '<meta http-equiv="refresh" content="3">' in page

    BatchEdit.objects.filter(pk=edit.pk).update(state=BatchEdit.State.RUNNING)
    reporter = progress.Reporter(edit.pk, 40, kind=batch_edits.KIND)
    reporter.progress.started = time.time() - 10
    reporter(10)
    page = curator_client.get(done.url).content.decode()
    assert re.search(r"Editing: 10 of 40 documents \(25%\), about 3\d seconds left\.", page)
    assert '<meta http-equiv="refresh" content="3">' in page

    BatchEdit.objects.filter(pk=edit.pk).update(state=BatchEdit.State.QUEUED)
    batch_edits.run_batch_edit.call(edit.pk)
    edit.refresh_from_db()
    assert edit.state == BatchEdit.State.DONE and oil.documents.count() == 40
    assert progress.read(edit.pk, kind=batch_edits.KIND) is None  # the report is removed
    assert "Done: changed 40 of 40" in curator_client.get(done.url).content.decode()


def test_a_batch_edit_runs_once_however_often_the_task_is_started(curator_client, waiting):
    oil = Subject.objects.create(name="Oil")
    confirm(curator_client, documents(12), oil)
    edit = BatchEdit.objects.get()
    batch_edits.run_batch_edit.call(edit.pk)
    again = batch_edits.run_batch_edit.call(edit.pk)
    assert again == f"Batch edit #{edit.pk} is not waiting to run."
    assert edit.changes.count() == 12


def test_a_queued_batch_edit_whose_subject_was_deleted_meanwhile_fails_saying_so(
    curator_client, waiting
):
    oil = Subject.objects.create(name="Oil")
    confirm(curator_client, documents(12), oil)
    edit = BatchEdit.objects.get()
    oil.delete()
    batch_edits.run_batch_edit.call(edit.pk)
    edit.refresh_from_db()
    assert edit.state == BatchEdit.State.FAILED
    assert "nothing was written" in edit.error and "no longer exists" in edit.error
    page = curator_client.get(reverse("admin:documents_batchedit_change", args=[edit.pk]))
    assert "no longer exists" in page.content.decode()
    assert not batch_editing.recent_batch_edits(1)[0].can_be_undone()
