"""Writing an import's new and updated records in bulk, and what each held before, for undo.

The methods of `RecordWriter` are mixed into the importer (`documents.spreadsheets.importing`)."""

import json

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from documents import changes as archive_changes  # `changes` names import rows here
from documents.history.bulk import record_versions, start_revision
from documents.models import (
    Document,
    ImportChange,
    ImportJob,
    RecordIdCounter,
)
from documents.models.bulk import assign_slugs, insert_rows, with_ids
from documents.spreadsheets.columns import (
    COLUMNS_BY_KEY,
    DERIVED_FIELDS,
    DERIVING,
    DOCUMENT_FIELDS,
    LINKED,
    PENDING,
)
from documents.spreadsheets.state import after_state, snapshot, state_hash

# What the database adapters need for fields plain SQL cannot take as they are.
_ADAPTERS = {"DateField": "adapt_datefield_value", "DateTimeField": "adapt_datetimefield_value"}


def reserve_record_ids(n):
    """Reserve `n` consecutive unused record numbers; return the first."""
    counter, _created = RecordIdCounter.objects.select_for_update().get_or_create(pk=1)
    highest = Document.objects.aggregate(m=Max("record_id"))["m"] or 0
    first = max(counter.last_value, highest) + 1
    counter.last_value = first + n - 1
    counter.save(update_fields=["last_value"])
    return first


def note_highest_record_id(record_id):
    if record_id:
        RecordIdCounter.objects.get_or_create(pk=1)
        RecordIdCounter.objects.filter(pk=1, last_value__lt=record_id).update(last_value=record_id)


class RecordWriter:
    """Writes a batch's rows; mixed into the importer, which holds the state."""

    def materialize(self, rows):
        """Create the people and vocabulary entries the good rows of this batch need."""
        # Entries still to be created have negative ids; only these columns can hold one.
        needed, holding = set(), []
        for row in rows:
            values = row.values
            for column in PENDING:
                if column.key in values:
                    ids = column.pending_ids(values[column.key])
                    if ids:
                        needed.update(ids)
                        holding.append((values, column))
        if not needed:
            return
        mapping = self.people.materialize(needed, self.created_people)
        for vocabulary in self.vocab.values():
            mapping.update(vocabulary.materialize(needed, self.created_terms))
        real = mapping.get
        for values, column in holding:
            values[column.key] = column.materialize(values[column.key], real)

    def start_job(self):
        """Record the import and open its revision in the curators' history."""
        self.job = ImportJob.objects.create(**self.job_fields)
        self.revision = start_revision(
            user=self.job.user,
            comment=f"Imported from {self.job.file_name} (import #{self.job.pk})",
            date_created=self.job.started_at,
        )

    def write(self, rows, existing):
        new_rows = [r for r in rows if r.action == "new"]
        updated_rows = [r for r in rows if r.action == "updated"]
        if not new_rows and not updated_rows:
            return
        if self.job is None:
            self.start_job()
        self.materialize(new_rows + updated_rows)
        now = timezone.now()
        # New records: numbers, slugs, then one INSERT for the batch.
        wanted = [r for r in new_rows if r.record_id is None]
        if wanted:
            first = reserve_record_ids(len(wanted))
            for offset, row in enumerate(wanted):
                row.record_id = first + offset
        # What each record holds once written: the writes below and the undo fingerprint.
        for row in new_rows:
            row.after = after_state(None, row.values, now)
        for row in updated_rows:
            row.after = after_state(existing[row.doc_id], row.values, now)
        documents = []
        for row in new_rows:
            document = Document(record_id=row.record_id, **row.after["fields"])
            for column in DERIVING:
                column.derive(document, row)
            documents.append(document)
        if documents:
            # Earlier batches are in the database already, where assign_slugs looks.
            assign_slugs(Document, documents, [d.title for d in documents], 200)
            names = ["record_id", "slug", *DOCUMENT_FIELDS, *DERIVED_FIELDS]
            adapters = _adapters(Document, names)
            stamp = connection.ops.adapt_datetimefield_value(now)
            insert_rows(
                Document,
                [*names, "created_at", "updated_at"],
                (
                    (
                        *(
                            value if adapt is None else adapt(value)
                            for value, adapt in zip(
                                (getattr(d, name) for name in names), adapters, strict=True
                            )
                        ),
                        stamp,
                        stamp,
                    )
                    for d in documents
                ),
            )
            ids = dict(
                with_ids(
                    Document.objects.all(), "record_id", [r.record_id for r in new_rows]
                ).values_list("record_id", "pk")
            )
            for row in new_rows:
                row.doc_id = ids[row.record_id]
                self.max_record_id = max(self.max_record_id, row.record_id)
        # Updated records: the changed fields of the batch in one UPDATE.
        before = {r.doc_id: existing[r.doc_id] for r in updated_rows}
        changed_fields = set()
        updates = []
        # Derived fields: read for the updated records only, so they are written back unchanged.
        derived = {
            pk: rest
            for pk, *rest in with_ids(
                Document.objects.all(), "pk", [r.doc_id for r in updated_rows]
            ).values_list("pk", *DERIVED_FIELDS)
        }
        for row in updated_rows:
            document = Document(pk=row.doc_id, updated_at=now)
            old, new = existing[row.doc_id]["fields"], row.after["fields"]
            for attname, value in new.items():
                setattr(document, attname, value)
            for attname, value in zip(DERIVED_FIELDS, derived[row.doc_id], strict=True):
                setattr(document, attname, value)
            changed_fields.update(name for name in DOCUMENT_FIELDS if new[name] != old[name])
            for key in row.changed:
                changed_fields.update(COLUMNS_BY_KEY[key].derive(document, row))
            updates.append(document)
        if updates:
            fields = sorted(changed_fields | {"updated_at"})
            Document.objects.bulk_update(updates, fields, batch_size=500)
        self.write_relations(new_rows, updated_rows)
        self.record_changes(new_rows, updated_rows, before, existing)

    def write_relations(self, new_rows, updated_rows):
        """Replace the linked rows of the columns each record's row wrote or changed."""
        for column in LINKED:
            rows = [r for r in new_rows if column.key in r.values] + [
                r for r in updated_rows if column.key in r.changed
            ]
            if rows:
                column.replace(
                    [r.doc_id for r in rows if r.action == "updated"],
                    [(r.doc_id, r.after) for r in rows],
                )

    def record_changes(self, new_rows, updated_rows, before, existing):
        changes = []
        job = self.job.pk
        # Fingerprint the columns the job says its hashes cover, which undo compares.
        hashed = self.job.hashed_columns
        columns_created = None
        for row in new_rows:
            if columns_created is None:
                columns_created = json.dumps(sorted(row.values))
            changes.append(
                (
                    job,
                    row.doc_id,
                    row.record_id,
                    row.number,
                    ImportChange.Action.CREATED,
                    columns_created,
                    None,
                    state_hash(row.after, hashed),
                )
            )
        for row in updated_rows:
            old = before[row.doc_id]
            changes.append(
                (
                    job,
                    row.doc_id,
                    row.record_id or old["record_id"],
                    row.number,
                    ImportChange.Action.UPDATED,
                    json.dumps(row.changed),
                    snapshot(old),
                    state_hash(row.after, hashed),
                )
            )
        insert_rows(
            ImportChange,
            [
                "job_id",
                "document_id",
                "record_id",
                "row",
                "action",
                "columns",
                "before",
                "after_hash",
            ],
            changes,
        )
        written = [r.doc_id for r in new_rows + updated_rows]
        archive_changes.record(documents=written)  # bulk writes send no signals
        self.history_docs.extend(written)
        if len(self.history_docs) >= 2000:
            self.flush_history()

    def flush_history(self):
        if self.history_docs and self.revision is not None:
            record_versions(self.revision, self.history_docs)
        self.history_docs = []


def _adapters(model, names):
    """For each field, the database's adapter for its plain-SQL value, or None (taken as is)."""
    ops, found = connection.ops, []
    for name in names:
        adapter = _ADAPTERS.get(model._meta.get_field(name).get_internal_type())
        found.append(getattr(ops, adapter) if adapter else None)
    return found
