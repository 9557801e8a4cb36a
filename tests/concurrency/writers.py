"""A writer process for the concurrency tests, run against the database in DATABASE_URL.

    python -m tests.concurrency.writers seed --documents 12
    python -m tests.concurrency.writers save --records 900001,900002 --worker 1 --writers 2 \\
        --barrier DIR
    python -m tests.concurrency.writers admin --records 900003,900004 --worker 2 --writers 2 \\
        --barrier DIR
    python -m tests.concurrency.writers read

DATABASE_URL names a migrated database of its own (a file in a temporary folder, or a database
made on the PostgreSQL server), never the test database. `save` writes "saved by writer N" into
each record's summary in a transaction with its history, as a workflow does; `admin` does it
through the admin change form (GET it, change the summary, POST it) with Django's test client,
as a curator does. Before each save the writers meet (`--barrier`, `--writers`), so that every
process writes at the same moment; each prints one JSON line: how many saves succeeded and, for
each that failed, what the error said.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks import standalone  # noqa: E402

standalone.setup(
    SECRET_KEY="concurrency-tests-only",
    DEBUG="0",
    SECURE_SSL_REDIRECT="0",
    ALLOWED_HOSTS="testserver",
    STATIC_MANIFEST="0",
    LOG_LEVEL="CRITICAL",
)

import reversion  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from reversion.models import Version  # noqa: E402

from benchmarks.admin_form import change_form_fields  # noqa: E402
from documents.models import Document  # noqa: E402
from tests.factories import DocumentFactory  # noqa: E402

CURATOR = "concurrency-curator"


def summary_of(worker, record_id):
    return f"Record {record_id}, saved by writer {worker}."


def seed(args):
    first = 900_000 + Document.objects.filter(record_id__gte=900_000).count()
    documents = [DocumentFactory(record_id=first + n) for n in range(args.documents)]
    curator, created = User.objects.get_or_create(username=CURATOR, defaults={"is_staff": True})
    if created:
        curator.groups.add(Group.objects.get(name="Curator"))
    return {"records": [d.record_id for d in documents]}


def together(args, step):
    """Wait until every writer has reached `step` (a file each in --barrier), then go on."""
    if not args.barrier:
        return
    folder = Path(args.barrier)
    (folder / f"{step}.{args.worker}").touch()
    deadline = time.monotonic() + 120
    while len(list(folder.glob(f"{step}.*"))) < args.writers and time.monotonic() < deadline:
        time.sleep(0.005)


def save(args):
    records = [int(r) for r in args.records.split(",")]
    saved, failures = 0, []
    for step, record_id in enumerate(records):
        together(args, step)
        try:
            with transaction.atomic(), reversion.create_revision():
                document = Document.objects.get(record_id=record_id)
                document.summary = summary_of(args.worker, record_id)
                document.save()
                reversion.set_comment(f"Saved by writer {args.worker}.")
            saved += 1
        except Exception as error:  # noqa: BLE001 - counted and reported, never hidden
            failures.append(f"record {record_id}: {type(error).__name__}: {error}")
    return {"saved": saved, "failures": failures}


def admin(args):
    records = [int(r) for r in args.records.split(",")]
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=CURATOR))
    saved, failures = 0, []
    for step, record_id in enumerate(records):
        url = reverse(
            "admin:documents_document_change",
            args=[Document.objects.get(record_id=record_id).pk],
        )
        data = {}
        fields = change_form_fields(
            client.get(url).content.decode(), summary=summary_of(args.worker, record_id)
        )
        for name, value in fields:
            data.setdefault(name, []).append(value)
        together(args, step)
        response = client.post(url, data)
        if response.status_code == 302:
            saved += 1
        else:
            failures.append(
                f"record {record_id}: HTTP {response.status_code}: "
                f"{response.content.decode(errors='replace')[:300]}"
            )
    return {"saved": saved, "failures": failures}


def read(args):
    return {
        "summaries": {
            str(d.record_id): d.summary for d in Document.objects.filter(record_id__gte=900_000)
        },
        "versions": {
            str(d.record_id): Version.objects.get_for_object(d).count()
            for d in Document.objects.filter(record_id__gte=900_000)
        },
        "documents": Document.objects.count(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["seed", "save", "admin", "read"])
    parser.add_argument("--documents", type=int, default=12)
    parser.add_argument("--records", default="")
    parser.add_argument("--worker", type=int, default=0)
    parser.add_argument("--barrier", help="A folder the writers meet in before each save.")
    parser.add_argument("--writers", type=int, default=1, help="How many meet there.")
    args = parser.parse_args()
    action = {"seed": seed, "save": save, "admin": admin, "read": read}[args.action]
    print(json.dumps(action(args)))


if __name__ == "__main__":
    main()
