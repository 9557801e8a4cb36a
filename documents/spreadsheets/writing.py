"""Writing an import's new and updated records in bulk, and what each held before, for undo.

The methods of `RecordWriter` are mixed into the importer (`documents.spreadsheets.importing`)."""

import json

from django.utils import timezone

from documents import changes as archive_changes  # `changes` names import rows here
from documents import history
from documents.authorities.matching import name_key, sound_key
from documents.history.bulk import record_versions, start_revision
from documents.models import (
    Document,
    ImportChange,
    PersonName,
    RememberedAnswer,
    record_ids,
)
from documents.models.bulk import insert_objects, insert_rows, with_ids
from documents.spreadsheets.columns import (
    COLUMNS_BY_KEY,
    DERIVED_FIELDS,
    DERIVING,
    DOCUMENT_FIELDS,
    LINK_KEYS,
    PENDING,
)
from documents.spreadsheets.state import after_state, snapshot, state_hash


class RecordWriter:
    """Writes a batch's rows; mixed into the importer, which holds the state."""

    # Documents whose versions are written together, while their rows are still in the cache.
    HISTORY_EVERY = 2000

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
        for vocabulary in self.vocabularies.values():
            mapping.update(vocabulary.materialize(needed, self.created_terms))
        real = mapping.get
        for values, column in holding:
            values[column.key] = column.materialize(values[column.key], real)

    def start_job(self):
        """Record the import and open its revision in the curators' history."""
        self.job = self.job_row(self.job_fields)
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
        # New records: numbers, slugs, then one INSERT for the batch. The numbers the file gives
        # move the counter past them; the rows without one get numbers no row of the file gives.
        record_ids.note(*(r.record_id for r in new_rows if r.record_id is not None))
        wanted = [r for r in new_rows if r.record_id is None]
        if wanted:
            numbers = record_ids.reserve(len(wanted), avoiding=self.record_ids_seen)
            for row, number in zip(wanted, numbers, strict=True):
                row.record_id = number
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
            # Earlier batches are in the database already, where the slugs are checked.
            self.document_slugs.assign(documents, [d.title for d in documents])
            for document in documents:
                document.created_at = document.updated_at = now
            fields = ["record_id", "slug", *DOCUMENT_FIELDS, *DERIVED_FIELDS]
            insert_objects(
                Document, documents, fields=[*fields, "created_at", "updated_at"], key="record_id"
            )
            for row, document in zip(new_rows, documents, strict=True):
                row.doc_id = document.pk
            for row in wanted:
                self.numbered_here[row.record_id] = (row.doc_id, row.number)
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
        """Replace the linked rows of the tables each record's row wrote or changed, each
        table once (the people of every role, a text with its language and translator)."""
        for link, keys in LINK_KEYS:
            rows = [r for r in new_rows if not keys.isdisjoint(r.values)] + [
                r for r in updated_rows if not keys.isdisjoint(r.changed)
            ]
            if rows:
                later = link.replace(
                    [r.doc_id for r in rows if r.action == "updated"],
                    [(r.doc_id, r.after) for r in rows],
                )
                if later:  # links to records a later row creates (see links.Related)
                    self.links_later.append((link, later))

    def write_names(self):
        """Add the spellings the curator's answers linked as the entries' variant or other names.

        So the same file imported again asks nothing, and search finds the entry by them."""
        variants = [
            PersonName(
                person_id=pid,
                name=spelling,
                name_key=name_key(spelling),
                sound_key=sound_key(spelling),
            )
            for pid, spellings in self.people.remembered.items()
            if pid > 0
            for spelling in spellings
        ]
        for vocabulary in self.vocabularies.values():
            if any(pk > 0 for pk in vocabulary.remembered):
                if self.job is None:
                    self.start_job()
                self.added_names.extend(vocabulary.write_names())
        moved = {
            q.key: q.answer
            for q in self.questions
            if q.answer and q.kind != "record" and q.answer[0] not in "#=" and q.answer != "new"
        }
        if moved:
            if self.job is None:
                self.start_job()
            for key, answer in moved.items():
                RememberedAnswer.objects.update_or_create(
                    question=key, defaults={"answer": answer, "job": self.job}
                )
        if variants:
            existing = set(
                PersonName.objects.filter(
                    person_id__in={v.person_id for v in variants}
                ).values_list("person_id", "name")
            )
            variants = [v for v in variants if (v.person_id, v.name) not in existing]
        if not variants:
            return
        if self.job is None:
            self.start_job()
        PersonName.objects.bulk_create(variants, batch_size=500)
        self.added_names.extend(["documents.Person", v.person_id, v.name] for v in variants)
        archive_changes.record(people={v.person_id for v in variants})

    def write_links_later(self):
        """Write the links that waited for records created later in the file."""
        for link, pairs in self.links_later:
            link.add_later(pairs)
        self.links_later = []

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
        if len(self.history_docs) >= self.HISTORY_EVERY:
            self.flush_history()

    def flush_history(self):
        if self.history_docs and self.revision is not None:
            record_versions(self.revision, self.history_docs)
        self.history_docs = []

    def release_claimed_numbers(self, rows):
        """Renumber the records this import numbered whose numbers later rows of the file give.

        A row without a record ID took the next free number; a row read later gives that number
        for its own record. The earlier record, made by this import and seen by no one yet,
        moves to the next free number, so the later row's record gets the number it gives.
        Returns {row number: the moved record's new number}.
        """
        claimed = [r.record_id for r in rows if r.record_id in self.numbered_here]
        if not claimed:
            return {}
        numbers = record_ids.reserve(len(claimed), avoiding=self.record_ids_seen)
        moved, documents = {}, []
        for old, new in zip(claimed, numbers, strict=True):
            doc_id, row_number = self.numbered_here.pop(old)
            self.numbered_here[new] = (doc_id, row_number)
            documents.append(Document(pk=doc_id, record_id=new))
            ImportChange.objects.filter(job=self.job, document_id=doc_id).update(record_id=new)
            moved[row_number] = new
        Document.objects.bulk_update(documents, ["record_id"])
        # Versions already written say the old number: write them again (rare, a few queries).
        pending = set(self.history_docs)
        written = [d for d in documents if d.pk not in pending]
        if written and self.revision is not None:
            for document in Document.objects.filter(pk__in=[d.pk for d in written]):
                for obj in (document, *history.followed_objects(document)):
                    history.versions_of(obj).filter(revision=self.revision).delete()
            record_versions(self.revision, [d.pk for d in written])
        return moved
