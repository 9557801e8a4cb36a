"""Undoing an import: remove the records it created, restore those it updated, keep later edits."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from archive_collections.models import Collection
from documents import changes as archive_changes  # `changes` names import rows here
from documents.history.bulk import write_revision
from documents.models import (
    Citation,
    Contribution,
    Document,
    Funding,
    ImportChange,
    ImportJob,
    Person,
)
from documents.parsing.references import parse_reference
from documents.spreadsheets.importing import user_or_none
from documents.spreadsheets.resources import (
    PEOPLE_COLUMNS,
)
from documents.spreadsheets.state import DOCUMENT_FIELDS, document_state_hashes


@dataclass
class UndoResult:
    removed: list = field(default_factory=list)  # record ids
    restored: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # (record id, reason)
    people_removed: int = 0
    terms_removed: int = 0

    def summary(self):
        text = (
            f"Removed {len(self.removed)} created records and restored {len(self.restored)} "
            "updated records."
        )
        if self.kept:
            text += (
                " Kept as they are, because they were edited after the import: "
                + ", ".join(f"record {record_id} ({reason})" for record_id, reason in self.kept)
                + "."
            )
        return text


@transaction.atomic
@archive_changes.batch()
def undo_import(job, *, user=None, dry_run=False):
    """Undo an import: remove the records it created, restore those it updated.

    Records edited since the import (their content no longer matches what the import left) are
    kept as they are and listed in the result. People and vocabulary entries the import created
    are removed when nothing uses them any more.
    """
    if job.undone_at is not None:
        raise ValueError(f"Import #{job.pk} was already undone.")
    if job.outcome == ImportJob.Outcome.FAILED:
        raise ValueError(f"Import #{job.pk} wrote nothing, so there is nothing to undo.")
    result = UndoResult()
    changes = list(job.changes.all())
    later = set(
        ImportChange.objects.filter(
            document_id__in=[c.document_id for c in changes],
            job__pk__gt=job.pk,
            job__undone_at__isnull=True,
        ).values_list("document_id", flat=True)
    )
    to_delete, to_restore = [], []
    for start in range(0, len(changes), 1000):
        chunk = changes[start : start + 1000]
        hashes = document_state_hashes([c.document_id for c in chunk])
        for change in chunk:
            current = hashes.get(change.document_id)
            if current is None:
                if change.action == ImportChange.Action.CREATED:
                    result.removed.append(change.record_id)  # already deleted by a curator
                else:
                    result.kept.append((change.record_id, "deleted since"))
                continue
            if change.document_id in later:
                result.kept.append((change.record_id, "changed by a later import"))
            elif current != change.after_hash:
                result.kept.append((change.record_id, "edited since"))
            elif change.action == ImportChange.Action.CREATED:
                to_delete.append(change)
            else:
                to_restore.append(change)
    result.removed += [c.record_id for c in to_delete]
    result.restored = [c.record_id for c in to_restore]
    if dry_run:
        return result
    Document.objects.filter(pk__in=[c.document_id for c in to_delete]).delete()
    for start in range(0, len(to_restore), 500):
        _restore([(c.document_id, c.before) for c in to_restore[start : start + 500]])
    # People and entries the import created go too, unless something uses them now.
    for pk, _name in job.new_people:
        person = Person.objects.filter(pk=pk).first()
        if person and not person.contributions.exists():
            person.delete()
            result.people_removed += 1
    for label, pk, _name in job.new_terms:
        from django.apps import apps
        from django.db.models import ProtectedError

        model = apps.get_model(label)
        obj = model._default_manager.filter(pk=pk).first()
        if obj is None:
            continue
        in_use = any(
            getattr(obj, rel.get_accessor_name()).exists()
            for rel in model._meta.related_objects
            if rel.get_accessor_name() and rel.related_model in (Document, Citation, Funding)
        ) or (isinstance(obj, Collection) and obj.documents.exists())
        if not in_use:
            try:
                obj.delete()
                result.terms_removed += 1
            except ProtectedError:
                pass
    write_revision(
        [c.document_id for c in to_restore],
        user=user_or_none(user),
        comment=f"Undid import #{job.pk} ({job.file_name})",
    )
    archive_changes.record(documents=[c.document_id for c in to_restore])  # restored in bulk
    job.undone_at = timezone.now()
    job.undone_by = user_or_none(user)
    job.outcome = ImportJob.Outcome.PARTLY_UNDONE if result.kept else ImportJob.Outcome.UNDONE
    job.undo_report = result.summary()
    job.save()
    return result


def _restore(items):
    """Put documents back as the `before` snapshots describe them."""
    now = timezone.now()
    documents = []
    for doc_id, before in items:
        document = Document(pk=doc_id, updated_at=now, **before["fields"])
        document.normalize_date()
        documents.append(document)
    Document.objects.bulk_update(
        documents, [*DOCUMENT_FIELDS, "date_start", "date_end", "updated_at"], batch_size=500
    )
    doc_ids = [doc_id for doc_id, _b in items]
    for key, through, column in (
        ("languages", Document.languages.through, "language_id"),
        ("subjects", Document.subjects.through, "subject_id"),
        ("places", Document.places.through, "place_id"),
        ("collections", Collection.documents.through, "collection_id"),
    ):
        through.objects.filter(document_id__in=doc_ids).delete()
        through.objects.bulk_create(
            [through(document_id=doc_id, **{column: pk}) for doc_id, b in items for pk in b[key]]
        )
    Funding.objects.filter(document_id__in=doc_ids).delete()
    Funding.objects.bulk_create(
        [
            Funding(document_id=doc_id, organization_id=org, credited=credited, order=order)
            for doc_id, b in items
            for org, credited, order in b["fundings"]
        ]
    )
    Citation.objects.filter(document_id__in=doc_ids).delete()
    citations = []
    for doc_id, b in items:
        for repo, reference, order in b["citations"]:
            parts = parse_reference(reference)
            citations.append(
                Citation(
                    document_id=doc_id,
                    repository_id=repo,
                    reference=reference,
                    fond=parts.fond,
                    opis=parts.opis,
                    delo=parts.delo,
                    folios=parts.folios,
                    order=order,
                )
            )
    Citation.objects.bulk_create(citations)
    Contribution.objects.filter(
        document_id__in=doc_ids, role__in=list(PEOPLE_COLUMNS.values())
    ).delete()
    Contribution.objects.bulk_create(
        [
            Contribution(
                document_id=doc_id,
                role=role,
                person_id=person,
                name_as_written=written,
                order=order,
                on_behalf_of_id=behalf,
            )
            for doc_id, b in items
            for role, person, written, order, behalf in b["contributions"]
        ]
    )
