"""Undoing an import: remove the records it created, restore those it updated, keep later edits."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from archive_collections.models import Collection
from documents import changes as archive_changes  # `changes` names import rows here
from documents.history.bulk import write_revision
from documents.models import (
    Citation,
    Document,
    Funding,
    ImportChange,
    ImportJob,
    Person,
    PersonName,
)
from documents.models.base import split_names
from documents.spreadsheets.importing import user_or_none
from documents.spreadsheets.state import document_state_hashes, write_states


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
        # The columns the import fingerprinted: a column added since is no edit.
        hashes = document_state_hashes([c.document_id for c in chunk], job.hashed_columns)
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
        write_states([(c.document_id, c.before) for c in to_restore[start : start + 500]])
    _remove_added_names(job)
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


def _remove_added_names(job):
    """Take away the variant and other names the import added from the curator's answers."""
    from django.apps import apps

    people = {}
    for label, pk, name in job.new_names:
        if label == "documents.Person":
            people.setdefault(pk, []).append(name)
            continue
        model = apps.get_model(label)
        obj = model._default_manager.filter(pk=pk).first()
        if obj is not None:
            kept = [n for n in split_names(obj.other_names) if n != name]
            obj.other_names = "\n".join(kept)
            obj.save(update_fields=["other_names"])
    for pk, names in people.items():
        PersonName.objects.filter(person_id=pk, name__in=names).delete()
    if people:
        archive_changes.record(people=list(people))
    job.remembered_answers.all().delete()
