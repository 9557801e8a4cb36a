"""Measure what the import's bulk history writer (documents.history.bulk) earns.

    SECRET_KEY=x DATABASE_URL=sqlite:////tmp/measure-history.sqlite3 \
        .venv/bin/python scripts/measure_history.py 10000

Migrates a fresh database, imports N generated rows (scripts/measure_import.py's file) the way
the archive does, with the bulk writer, then writes the history of the same documents again
both ways: with the bulk writer and with django-reversion's own path
(`reversion.create_revision()` and `add_to_revision()` for each document, 2,000 at a time as the
import flushes them, their links prefetched). Prints wall and CPU seconds for each, and what the
import would take with reversion's path instead.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")

import django  # noqa: E402

django.setup()

import reversion  # noqa: E402
from django.db import transaction  # noqa: E402
from measure_import import prepare  # noqa: E402
from reversion.models import Version  # noqa: E402

from documents.history import bulk, followed_relations  # noqa: E402
from documents.models import Document  # noqa: E402
from documents.spreadsheets.importing import import_documents  # noqa: E402

# What each followed record's str() reads, fetched with it as a careful caller would.
LABELLED_BY = {
    "contributions": "contributions__person",
    "citations": "citations__repository",
    "fundings": "fundings__organization",
}


def by_reversion(ids):
    many = [
        f.name for f in Document._meta.many_to_many if f.remote_field.through._meta.auto_created
    ]
    follow = [LABELLED_BY.get(name, name) for name in followed_relations(Document)]
    for start in range(0, len(ids), 2000):
        with reversion.create_revision(atomic=False):
            reversion.set_comment("Measured: django-reversion's own path")
            # Fetched 500 at a time: SQLite refuses the prefetch query for many more.
            for first in range(start, min(start + 2000, len(ids)), 500):
                documents = Document.objects.filter(pk__in=ids[first : first + 500])
                for document in documents.prefetch_related(*many, *follow):
                    reversion.add_to_revision(document)


def by_bulk(ids):
    bulk.write_revision(ids, user=None, comment="Measured: the bulk writer")


def timed(function, *args, **kwargs):
    start, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        function(*args, **kwargs)
    return time.perf_counter() - start, time.process_time() - cpu


def main():
    n, path = prepare(10000)
    seconds, cpu = timed(import_documents, path, create_missing=True)
    if not Document.objects.exists():
        sys.exit("The import wrote nothing; is the database fresh?")
    ids = list(Document.objects.values_list("pk", flat=True))
    print(f"import of {n:,} rows (bulk writer): {seconds:.1f} s wall, {cpu:.1f} s CPU")
    figures = {}
    for label, writer in (("bulk writer", by_bulk), ("reversion's own path", by_reversion)):
        before = Version.objects.count()
        figures[label] = timed(writer, ids)
        written = Version.objects.count() - before
        wall, used = figures[label]
        print(
            f"history of those documents, {label}: {wall:.1f} s wall, {used:.1f} s CPU, "
            f"{written:,} versions"
        )
    gap = [
        r - b for r, b in zip(figures["reversion's own path"], figures["bulk writer"], strict=True)
    ]
    print(
        f"import with reversion's own path instead: about {seconds + gap[0]:.1f} s wall, "
        f"{cpu + gap[1]:.1f} s CPU"
    )


if __name__ == "__main__":
    main()
