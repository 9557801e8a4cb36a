"""Act as a curator on an archive in another process: `python -m tests.tasks.driver COMMAND ...`.

The worker tests (tests/tasks/test_worker.py) run the site, the worker and this driver as three
processes on one SQLite file, as `make run` does. Each command prints one line of JSON.
"""

import json
import os
import sys
import time


def main(command, *args):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")
    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    print(json.dumps(COMMANDS[command](*args)))


def _client():
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="curator"))
    return client


def setup():
    from django.contrib.auth.models import User

    from tests.factories import DocumentFactory

    User.objects.create_superuser("curator", "", "a-long-test-password")
    return {"document": DocumentFactory().pk}


def upload_scan(document_id, path):
    from documents.models import Document, Scan
    from tests.admin import test_scans

    with open(path, "rb") as handle:
        data = handle.read()
    document = Document.objects.get(pk=document_id)
    started = time.monotonic()
    response = test_scans.upload(_client(), document, os.path.basename(path), data)
    seconds = time.monotonic() - started
    scan = Scan.objects.order_by("-pk").first()
    return {"status": response.status_code, "seconds": seconds, "scan": scan and scan.pk}


def scan(scan_id):
    from documents.models import Scan

    scan = Scan.objects.get(pk=scan_id)
    return {
        "processing": scan.processing,
        "status": scan.processing_status(),
        "thumbnail": scan.thumbnail.name or "",
    }


def import_file(path, skip_errors="0"):
    """Upload a spreadsheet in the admin, look at the preview, confirm; time the confirmation."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = _client()
    with open(path, "rb") as handle:
        upload = SimpleUploadedFile(os.path.basename(path), handle.read())
    options = {"date_order": "mdy", "encoding": "", "create_missing": "on"}
    if skip_errors == "1":
        options["skip_errors"] = "on"
    preview = client.post(
        reverse("admin:documents_document_import"), {"import_file": upload, **options}
    )
    token = preview.context["token"]
    started = time.monotonic()
    confirmed = client.post(
        reverse("admin:documents_document_process_import"), {"token": token, **options}
    )
    return {
        "status": confirmed.status_code,
        "seconds": time.monotonic() - started,
        "location": confirmed.get("Location", ""),
    }


def page(url):
    response = _client().get(url)
    return {"status": response.status_code, "html": response.content.decode()}


def job(job_id):
    from documents.models import Document, ImportJob

    job = ImportJob.objects.get(pk=job_id)
    return {
        "outcome": job.outcome,
        "rows": job.rows,
        "created": job.created,
        "documents": Document.objects.count(),
    }


def latest_job():
    from documents.models import ImportJob

    job = ImportJob.objects.order_by("-pk").first()
    return {"job": job and job.pk}


def batch_edit(count):
    """Make `count` documents and a subject, then add it to all of them in a batch edit;
    time the confirmation."""
    from django.urls import reverse

    from documents.models import BatchEdit, Document, Subject

    documents = Document.objects.bulk_create(
        [
            Document(title=f"Report {n}", record_id=30_000 + n, slug=f"report-{n}")
            for n in range(int(count))
        ]
    )
    oil = Subject.objects.create(name="Oil")
    url = (
        reverse("admin:documents_document_batch_edit")
        + "?ids="
        + ",".join(str(d.pk) for d in documents)
    )
    started = time.monotonic()
    confirmed = _client().post(
        url, {"step": "confirm", "field": "subjects", "action": "add", "values": oil.pk}
    )
    return {
        "status": confirmed.status_code,
        "seconds": time.monotonic() - started,
        "location": confirmed.get("Location", ""),
        "batch_edit": BatchEdit.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "subject": oil.pk,
    }


COMMANDS = {
    "batch_edit": batch_edit,
    "setup": setup,
    "upload_scan": upload_scan,
    "scan": scan,
    "import_file": import_file,
    "page": page,
    "job": job,
    "latest_job": latest_job,
}

if __name__ == "__main__":
    main(*sys.argv[1:])
