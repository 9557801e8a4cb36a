"""Batch edits run by the worker when they are large: queued from the admin's "Confirm".

`start(batch_edit)` runs a batch edit of up to BATCH_EDIT_BACKGROUND_DOCUMENTS documents at
once, in the request; a larger one is queued for `manage.py db_worker` (`run_batch_edit`), which
reports how many documents it has read (`progress.py`) while its one transaction runs. The
batch edit's admin page shows the progress and refreshes itself until it is done or failed.
"""

from django.conf import settings
from django.db import transaction
from django_tasks import task

from documents.models import BatchEdit
from documents.tasks import progress
from documents.workflows import batch_editing

KIND = "batch-edits"


def runs_in_background(count):
    return count > settings.BATCH_EDIT_BACKGROUND_DOCUMENTS


def start(batch_edit):
    """Run the batch edit now if it is small, else queue it; return it as it stands."""
    if not runs_in_background(batch_edit.total):
        return batch_editing.run(batch_edit)
    with transaction.atomic():
        queued = run_batch_edit.enqueue(batch_edit.pk)
        BatchEdit.objects.filter(pk=batch_edit.pk).update(task_id=str(queued.id)[:64])
    batch_edit.refresh_from_db()
    return batch_edit


@task()
def run_batch_edit(batch_edit_id):
    """Make a queued batch edit; it ends done, or failed with the reason and nothing written."""
    batch_edit = BatchEdit.objects.select_related("user").get(pk=batch_edit_id)
    if batch_edit.state != BatchEdit.State.QUEUED:
        return f"Batch edit #{batch_edit_id} is not waiting to run."
    reporter = progress.Reporter(batch_edit.pk, batch_edit.total, kind=KIND)
    try:
        batch_editing.run(batch_edit, progress=reporter)
    except batch_editing.BatchEditError as error:
        return str(error)  # recorded on the batch edit; nothing for the worker to retry
    finally:
        progress.forget(batch_edit.pk, kind=KIND)
    batch_edit.refresh_from_db()
    return f"Batch edit #{batch_edit.pk}: changed {batch_edit.changed:,} documents."


def read_progress(batch_edit):
    return progress.read(batch_edit.pk, kind=KIND)
