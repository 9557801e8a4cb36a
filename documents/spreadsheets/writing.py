"""Writing an import's new and updated records in bulk, and what each held before, for undo.

The methods of `RecordWriter` are mixed into the importer (`documents.spreadsheets.importing`)."""

import json
from functools import lru_cache

from django.utils import timezone

from archive_collections.models import Collection
from archive_site.cache import invalidate_public_pages
from documents import history, search
from documents.history.bulk import record_versions
from documents.models import (
    Citation,
    Contribution,
    Document,
    Funding,
    ImportChange,
    ImportJob,
    Status,
    record_ids,
)
from documents.models.bulk import insert_objects, insert_rows, with_ids
from documents.parsing.references import parse_reference
from documents.spreadsheets.resources import (
    PEOPLE_COLUMNS,
)
from documents.spreadsheets.state import M2M_COLUMNS, state_hash

_FIELD_OF = {
    "title": "title",
    "summary": "summary",
    "text": "text",
    "transcript": "transcript",
    "type": "document_type_id",
    "classification": "classification_id",
    "rights": "rights_id",
    "status": "status",
}
_INSERT_FIELDS = [
    "record_id",
    "title",
    "slug",
    "date_text",
    "date_edtf",
    "document_type_id",
    "summary",
    "text",
    "transcript",
    "classification_id",
    "rights_id",
    "status",
    "date_start",
    "date_end",
    "first_published_at",
    "created_at",
    "updated_at",
]
_CITATION_COLUMNS = [
    "document_id",
    "repository_id",
    "reference",
    "fond",
    "opis",
    "delo",
    "folios",
    "order",
]
_CONTRIBUTION_COLUMNS = [
    "document_id",
    "person_id",
    "role",
    "name_as_written",
    "order",
    "on_behalf_of_id",
]

_parse_reference = lru_cache(maxsize=5_000)(parse_reference)


class RecordWriter:
    """Writes a batch's rows; mixed into the importer, which holds the state."""

    # Documents whose versions are written together, while their rows are still in the cache.
    HISTORY_EVERY = 2000

    def materialize(self, rows):
        """Create the people and vocabulary entries the good rows of this batch need."""
        # Entries still to be created have negative ids; only these columns can hold one.
        pairs = ("citations", *PEOPLE_COLUMNS)
        needed = set()
        for row in rows:
            values = row.values
            for key in ("type", "classification", "rights"):
                value = values.get(key)
                if value is not None and value < 0:
                    needed.add(value)
            for key in (*M2M_COLUMNS, "funders"):
                needed.update(pk for pk in values.get(key, ()) if pk < 0)
            for key in pairs:
                needed.update(pair[0] for pair in values.get(key, ()) if pair[0] < 0)
        if not needed:
            return
        mapping = self.people.materialize(needed, self.created_people)
        for vocabulary in self.vocab.values():
            mapping.update(vocabulary.materialize(needed, self.created_terms))
        real = mapping.get
        for row in rows:
            values = row.values
            for key in ("type", "classification", "rights"):
                value = values.get(key)
                if value is not None and value < 0:
                    values[key] = mapping[value]
            for key in (*M2M_COLUMNS, "funders"):
                ids = values.get(key)
                if ids and min(ids) < 0:
                    ids = tuple(real(pk, pk) for pk in ids)
                    values[key] = tuple(sorted(ids)) if key in M2M_COLUMNS else ids
            for key in pairs:
                items = values.get(key)
                if items and any(pair[0] < 0 for pair in items):
                    values[key] = tuple((real(first, first), rest) for first, rest in items)

    def start_job(self):
        """Record the import and open its revision in the curators' history."""
        import reversion

        self.job = ImportJob.objects.create(**self.job_fields)
        if reversion.is_registered(Document):
            from reversion.models import Revision

            self.revision = Revision.objects.create(
                date_created=self.job.started_at,
                user=self.job.user,
                comment=f"Imported from {self.job.file_name} (import #{self.job.pk})",
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
        documents = []
        for row in new_rows:
            values = row.values
            date = row.extra.get("date")
            status = values.get("status") or Status.DRAFT
            documents.append(
                Document(
                    record_id=row.record_id,
                    title=values["title"],
                    date_text=values.get("date", ("", ""))[0],
                    date_edtf=date.edtf if date else "",
                    date_start=date.start if date else None,
                    date_end=date.end if date else None,
                    document_type_id=values.get("type"),
                    summary=values.get("summary", ""),
                    text=values.get("text", ""),
                    transcript=values.get("transcript", ""),
                    classification_id=values.get("classification"),
                    rights_id=values.get("rights"),
                    status=status,
                    first_published_at=now if status == Status.PUBLISHED else None,
                    created_at=now,
                    updated_at=now,
                )
            )
        if documents:
            # Earlier batches are in the database already, where the slugs are checked.
            self.document_slugs.assign(documents, [d.title for d in documents])
            insert_objects(Document, documents, fields=_INSERT_FIELDS, key="record_id")
            for row, document in zip(new_rows, documents, strict=True):
                row.doc_id = document.pk
            for row in wanted:
                self.numbered_here[row.record_id] = (row.doc_id, row.number)
        # Updated records: scalar columns in one UPDATE per batch.
        before = {r.doc_id: existing[r.doc_id] for r in updated_rows}
        changed_fields = set()
        updates = []
        # Not columns: read for the updated records only, so they are written back unchanged.
        derived = {
            pk: rest
            for pk, *rest in with_ids(
                Document.objects.all(), "pk", [r.doc_id for r in updated_rows]
            ).values_list("pk", "date_start", "date_end", "first_published_at")
        }
        for row in updated_rows:
            document = Document(pk=row.doc_id, updated_at=now)
            old = existing[row.doc_id]["fields"]
            for attname, value in old.items():
                setattr(document, attname, value)
            start, end, first_published = derived[row.doc_id]
            document.date_start, document.date_end = start, end
            document.first_published_at = first_published
            for key in row.changed:
                if key == "date":
                    date = row.extra["date"]
                    document.date_text, document.date_edtf = row.values["date"][0], date.edtf
                    document.date_start, document.date_end = date.start, date.end
                    changed_fields.update(["date_text", "date_edtf", "date_start", "date_end"])
                elif key in _FIELD_OF:
                    setattr(document, _FIELD_OF[key], row.values[key])
                    changed_fields.add(_FIELD_OF[key])
                    if key == "status" and row.values[key] == Status.PUBLISHED:
                        document.first_published_at = document.first_published_at or now
                        changed_fields.add("first_published_at")
            updates.append(document)
        if updates:
            fields = sorted(changed_fields | {"updated_at"})
            Document.objects.bulk_update(updates, fields, batch_size=500)
        self.write_relations(new_rows, updated_rows, existing)
        self.record_changes(new_rows, updated_rows, before, existing)

    def write_relations(self, new_rows, updated_rows, existing):
        def touched(key):
            return [r for r in new_rows if key in r.values] + [
                r for r in updated_rows if key in r.changed
            ]

        for key, through, column in (
            ("languages", Document.languages.through, "language_id"),
            ("subjects", Document.subjects.through, "subject_id"),
            ("places", Document.places.through, "place_id"),
            ("collections", Collection.documents.through, "collection_id"),
        ):
            rows = touched(key)
            if not rows:
                continue
            through.objects.filter(
                document_id__in=[r.doc_id for r in rows if r.action == "updated"]
            ).delete()
            insert_rows(
                through,
                ["document_id", column],
                ((r.doc_id, pk) for r in rows for pk in r.values[key]),
            )
        rows = touched("funders")
        if rows:
            credited = {}
            for r in rows:
                if r.action == "updated":
                    credited[r.doc_id] = {org: c for org, c, _o in existing[r.doc_id]["fundings"]}
            Funding.objects.filter(document_id__in=list(credited)).delete()
            insert_rows(
                Funding,
                ["document_id", "organization_id", "order", "credited"],
                (
                    (r.doc_id, org, order, credited.get(r.doc_id, {}).get(org, True))
                    for r in rows
                    for order, org in enumerate(r.values["funders"])
                ),
            )
        rows = touched("citations")
        if rows:
            Citation.objects.filter(
                document_id__in=[r.doc_id for r in rows if r.action == "updated"]
            ).delete()
            citations = []
            for r in rows:
                for order, (repo, reference) in enumerate(r.values["citations"]):
                    parts = _parse_reference(reference)
                    citations.append(
                        (
                            r.doc_id,
                            repo,
                            reference,
                            parts.fond,
                            parts.opis,
                            parts.delo,
                            parts.folios,
                            order,
                        )
                    )
            insert_rows(Citation, _CITATION_COLUMNS, citations)
        contributions, deletes = [], {}
        for column, role in PEOPLE_COLUMNS.items():
            for r in touched(column):
                behalf = {}
                if r.action == "updated":
                    deletes.setdefault(role, []).append(r.doc_id)
                    behalf = {
                        p: b
                        for ro, p, _w, _o, b in existing[r.doc_id]["contributions"]
                        if ro == role
                    }
                for order, (pid, written) in enumerate(r.values[column]):
                    contributions.append((r.doc_id, pid, role, written, order, behalf.get(pid)))
        for role, doc_ids in deletes.items():
            Contribution.objects.filter(document_id__in=doc_ids, role=role).delete()
        insert_rows(Contribution, _CONTRIBUTION_COLUMNS, contributions)

    def after_raw(self, row, old):
        """The state a written row leaves its record in, built from what was written."""
        if old is None:
            old = {
                "fields": {
                    "title": "",
                    "date_text": "",
                    "date_edtf": "",
                    "document_type_id": None,
                    "summary": "",
                    "text": "",
                    "transcript": "",
                    "classification_id": None,
                    "rights_id": None,
                    "status": Status.DRAFT.value,
                },
                "languages": [],
                "subjects": [],
                "places": [],
                "collections": [],
                "fundings": [],
                "contributions": [],
                "citations": [],
            }
        raw = {key: value for key, value in old.items()}
        raw["fields"] = dict(old["fields"])
        for key, value in row.values.items():
            if key == "date":
                raw["fields"]["date_text"], raw["fields"]["date_edtf"] = value
            elif key in _FIELD_OF:
                raw["fields"][_FIELD_OF[key]] = value
            elif key in M2M_COLUMNS:
                raw[key] = list(value)
            elif key == "funders":
                raw["fundings"] = [[org, True, i] for i, org in enumerate(value)]
            elif key == "citations":
                raw["citations"] = [[repo, ref, i] for i, (repo, ref) in enumerate(value)]
        people = [
            c
            for c in old["contributions"]
            if not any(c[0] == PEOPLE_COLUMNS[col] for col in row.values if col in PEOPLE_COLUMNS)
        ]
        for column, role in PEOPLE_COLUMNS.items():
            if column in row.values:
                people += [
                    [role, pid, written, i, None]
                    for i, (pid, written) in enumerate(row.values[column])
                ]
        raw["contributions"] = people
        return raw

    def record_changes(self, new_rows, updated_rows, before, existing):
        changes = []
        job = self.job.pk
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
                    state_hash(self.after_raw(row, None)),
                )
            )
        for row in updated_rows:
            old = before[row.doc_id]
            snapshot = {k: v for k, v in old.items() if k not in ("record_id", "state")}
            changes.append(
                (
                    job,
                    row.doc_id,
                    row.record_id or old["record_id"],
                    row.number,
                    ImportChange.Action.UPDATED,
                    json.dumps(row.changed),
                    json.dumps(snapshot, ensure_ascii=False),
                    state_hash(self.after_raw(row, old)),
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
        # Bulk writes bypass Document.save(), so the batch is indexed for search here.
        search.index_documents(written)
        invalidate_public_pages()
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
