"""Spreadsheet imports run by the worker: queued from the admin's "Confirm import".

`queue_import(...)` stores the confirmed file in the media storage (so a worker on another
machine reads it too), records an `ImportJob` waiting for the worker and queues `run_import`,
in one transaction. The worker marks the job running, imports the file with the same
all-or-nothing transaction as an import in the request, reports its progress (`progress.py`) and
leaves on the job its result or, if it stopped, the reason as a sentence. The job's admin page
shows all of it and refreshes itself while the import runs.
"""

import secrets
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from documents.models import ImportJob
from documents.spreadsheets.importing import import_documents, user_or_none
from documents.tasks import progress
from documents.tasks.storage import local_copy

# The import's options as the admin confirms them; `answers` are the preview's answers.
OPTIONS = (
    "date_order",
    "encoding",
    "create_missing",
    "skip_errors",
    "allow_duplicates",
    "answers",
)


def queue_import(path, *, user, file_name, options, total_rows):
    """Record an import of the file at `path` and queue it for the worker; return the job."""
    path = Path(path)
    with transaction.atomic():
        job = ImportJob.objects.create(
            user=user_or_none(user),
            file_name=file_name[:255],
            file_format=path.suffix.lstrip(".").lower()[:10],
            options={key: options[key] for key in OPTIONS if key in options},
            outcome=ImportJob.Outcome.QUEUED,
            total_rows=total_rows,
        )
        with path.open("rb") as handle:
            job.upload.save(f"{secrets.token_urlsafe(24)}{path.suffix.lower()}", File(handle))
        queued = run_import.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(queued.id)[:64])
    job.refresh_from_db()
    return job


@task()
def run_import(job_id):
    """Import a queued file; the job ends imported, nothing to change, or failed (with why)."""
    claimed = ImportJob.objects.filter(pk=job_id, outcome=ImportJob.Outcome.QUEUED).update(
        outcome=ImportJob.Outcome.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return f"Import #{job_id} is not waiting to run."
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    reporter = progress.Reporter(job.pk, job.total_rows)
    options = {key: job.options.get(key) for key in OPTIONS}
    try:
        with local_copy(job.upload) as path:
            result = import_documents(
                path,
                user=job.user,
                file_name=job.file_name,
                dry_run=False,
                progress=reporter,
                job=job,
                **options,
            )
    except BaseException as error:
        _stopped(job_id, error)
        raise
    finally:
        job.upload.delete(save=False)
        ImportJob.objects.filter(pk=job_id).update(upload="")
        progress.forget(job_id)
    if result.job is None:
        # Every row already matches the archive: the import wrote nothing.
        ImportJob.objects.filter(pk=job_id).update(
            outcome=ImportJob.Outcome.NOTHING,
            rows=result.rows,
            unchanged=result.unchanged,
            finished_at=timezone.now(),
        )
    return result.summary()


def _stopped(job_id, error):
    """Record on the job why the worker's import stopped (its transaction rolled back)."""
    message = (
        f"The import stopped with an error and nothing was written: {type(error).__name__}: "
        f"{error}. Import the file again; if it stops again, report this message."
    )
    ImportJob.objects.filter(pk=job_id).update(
        outcome=ImportJob.Outcome.FAILED,
        created=0,
        updated=0,
        finished_at=timezone.now(),
        errors=[{"row": 0, "column": "", "value": "", "message": message}],
    )
