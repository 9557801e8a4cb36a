"""`manage.py generate_archive`: a realistic, reproducible archive (or import spreadsheet) of N
documents for benchmarks and load tests. The generator and its options are described in
`documents/generating/`.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from archive_site.db_routers import use_primary
from documents import changes
from documents.generating.database import (
    create_people,
    ensure_authorities,
    ensure_translators,
    reset_sequences,
    write_documents,
)
from documents.generating.plans import build_plan, iter_document_plans  # noqa: F401 - used by tests
from documents.generating.spreadsheet import CSV_COLUMNS, write_csv  # noqa: F401 - used by tests
from documents.generating.words import SEARCH_TERMS  # noqa: F401 - used by tests and benchmarks
from documents.models import Document, record_ids


class Command(BaseCommand):
    help = (
        "Generate a realistic archive of N documents (same seed, same archive) for benchmarks, "
        "or with --csv write an import spreadsheet of N rows instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, required=True, help="How many documents.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--csv",
            metavar="FILE",
            help=(
                "Write an import spreadsheet of N rows to FILE instead of the database; people "
                "are marked [new] or [#id] where this database would otherwise refuse the name."
            ),
        )
        parser.add_argument(
            "--first-record-id",
            type=int,
            help="Record ID of the first document (default: one above the highest in use).",
        )

    def handle(self, *args, **options):
        # Reads that decide what to write must see the primary, never a lagging replica.
        with use_primary(), changes.batch():
            self.generate(**options)

    def generate(self, *, documents, seed, csv, first_record_id, **options):
        if documents < 1:
            raise CommandError("--documents must be at least 1.")
        started = time.monotonic()
        if csv:
            if first_record_id is None:
                # The file gives its records these numbers when it is imported.
                first_record_id = record_ids.peek()
            plan = build_plan(documents=documents, seed=seed)
            write_csv(plan, csv, first_record_id=first_record_id)
            self.stdout.write(
                f"Wrote {documents:,} rows to {csv} in {time.monotonic() - started:.1f} s."
            )
            return
        if first_record_id is None:
            first_record_id = record_ids.reserve(documents)[0]
        clash = Document.objects.filter(
            record_id__gte=first_record_id, record_id__lt=first_record_id + documents
        )
        if clash.exists():
            raise CommandError(
                f"Record IDs {first_record_id}-{first_record_id + documents - 1} are partly "
                "in use; "
                "choose another --first-record-id."
            )
        reset_sequences()
        plan = build_plan(documents=documents, seed=seed)
        self.stdout.write(
            f"Generating {documents:,} documents and {len(plan.people):,} people "
            f"(seed {seed}) on {connection.vendor} ..."
        )
        lookups = ensure_authorities(plan, stdout=self.stdout)
        person_pks = create_people(plan)
        translator_pks = ensure_translators(plan)
        write_documents(
            plan,
            lookups,
            person_pks,
            translator_pks,
            first_record_id=first_record_id,
            stdout=self.stdout,
        )
        record_ids.note(first_record_id + documents - 1)
        # Written in bulk, past every signal: the search index is rebuilt whole, and the public
        # index and page cache are told that everything changed.
        self.stdout.write("Rebuilding the search index ...")
        changes.rebuild()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"Generated {documents:,} documents in {time.monotonic() - started:.1f} s."
        )
