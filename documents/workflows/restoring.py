"""Restoring a deleted document, person or collection from the version kept when it was deleted.

A workflow like reverting: it checks what would clash (a slug or record ID taken since, a person,
repository or funder the record links to that was deleted too) and refuses with sentences that
say what to do, writes the record and what it follows back with their old ids, and leaves a
revision "Restored from deletion." in the history. What the restored rows change reaches every
index through `documents.changes` (the receivers see the raw saves; the whole restore is one
batch).

Not `Revision.revert()`: a deletion's revision also keeps the collections that held a document,
and reverting those would undo their later edits; here only the document's membership and its
place among their popular documents come back.

A restored record comes back as a draft unless `publish=True` (the curator's choice, for one
who may publish): a record deleted by mistake is put back where it was, one deleted on purpose
is looked at again before the public sees it. A draft or withdrawn record comes back as it was.
"""

from dataclasses import dataclass, field

import reversion
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from documents import changes, history
from documents.history import model_of, related_versions
from documents.models import Document, Scan, Status


class RestoreRefused(Exception):
    """A deleted record that cannot be restored as it stands; str() says why in sentences."""


@dataclass
class Restored:
    record: models.Model
    # Sentences on what could not come back (a subject deleted since), for the curator.
    left_out: list = field(default_factory=list)
    scans: list = field(default_factory=list)  # restored scans, whose page images are remade


def _kept_versions(version):
    """The versions a restore writes: the record's, and those of the rows it follows."""
    return [version, *related_versions(version)]


def _name(model, pk):
    """How a curator knows a linked record: its name now, or as it was kept when deleted."""
    obj = model._default_manager.filter(pk=pk).first()
    if obj is not None:
        return f"“{obj}”"
    kept = history.versions_of_id(model, pk)
    return f"“{kept.object_repr}”" if kept else f"{model._meta.verbose_name} #{pk}"


def problems(version):
    """Sentences on what stops this deleted record from being restored; empty if nothing does."""
    found = []
    for each in _kept_versions(version):
        model = model_of(each)
        data = each.field_dict
        for model_field in model._meta.concrete_fields:
            value = data.get(model_field.attname)
            if value in (None, ""):
                continue
            if model_field.unique and not model_field.primary_key:
                taken = model._default_manager.filter(**{model_field.attname: value}).first()
                if taken is not None and str(taken.pk) != str(each.object_id):
                    found.append(
                        f"Its {model_field.verbose_name} “{value}” is now used by the "
                        f"{model._meta.verbose_name} “{taken}”: change that one's "
                        f"{model_field.verbose_name} first."
                    )
            elif isinstance(model_field, models.ForeignKey) and model_field.attname not in (
                _link_to_parent(model, version)
            ):
                target = model_field.related_model
                if not target._default_manager.filter(pk=value).exists():
                    where = (
                        " Restore it first from Deleted records."
                        if history.deleted_versions(target).filter(object_id=str(value)).exists()
                        else ""
                    )
                    found.append(
                        f"“{each.object_repr}” links to the {target._meta.verbose_name} "
                        f"{_name(target, value)}, which was deleted too.{where}"
                    )
    return found


def _link_to_parent(model, version):
    """The field by which a followed row points at the record being restored (it comes first)."""
    parent = model_of(version)
    if model is parent:
        return set()
    return {
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is parent
    }


@transaction.atomic
@changes.batch()
def restore_deleted(version, *, by, publish=False):
    """Bring back the deleted record `version` keeps, with what it follows; return a `Restored`.

    `publish`: a record that was published goes back on the public site at once; otherwise it
    comes back as a draft. Raises RestoreRefused (with the reasons) when it would clash.
    """
    model = model_of(version)
    if model._default_manager.filter(pk=version.object_id).exists():
        raise RestoreRefused(f"The {model._meta.verbose_name} “{version.object_repr}” exists.")
    if found := problems(version):
        raise RestoreRefused(" ".join(found))
    left_out = []
    for each in _kept_versions(version):
        for model_field, pk in history.restore_version(each):
            left_out.append(
                f"The link to the {model_field.related_model._meta.verbose_name} "
                f"{_name(model_field.related_model, pk)} ({model_field.verbose_name}) was left "
                "out: that record was deleted too."
            )
    record = model._default_manager.get(pk=version.object_id)
    also = []
    if isinstance(record, Document):
        also, missing = _rejoin_collections(version, record)
        left_out.extend(missing)
    status = getattr(record, "status", None)
    if status == Status.PUBLISHED and not publish:
        record.status = Status.DRAFT
    # Saved through the model, so the page shows when it came back and the indexes hear of it.
    record.save()
    scans = list(Scan.objects.filter(document=record)) if isinstance(record, Document) else []
    for scan in scans:
        if scan.file and not default_storage.exists(scan.file.name):
            left_out.append(
                f"The file of the scan “{scan}” is no longer in storage: upload it again."
            )
    when = timezone.localtime(version.revision.date_created)
    comment = "Restored from deletion"
    if history.is_deletion(version):
        comment += f" (deleted on {when:%Y-%m-%d %H:%M} by {version.revision.user or 'someone'})"
    comment += "; published again." if status == Status.PUBLISHED and publish else "."
    with reversion.create_revision(atomic=False):
        reversion.set_user(by)
        reversion.set_comment(comment)
        reversion.add_to_revision(record)
        for collection in also:
            reversion.add_to_revision(collection)
    return Restored(record=record, left_out=left_out, scans=scans)


def _rejoin_collections(version, document):
    """Put the document back in the collections that held it when it was deleted."""
    Collection = apps.get_model("collections", "Collection")
    FeaturedDocument = apps.get_model("collections", "FeaturedDocument")
    joined, missing = [], []
    for kept in history.versions_in_revision(version.revision, Collection):
        if document.pk not in [int(pk) for pk in kept.field_dict.get("documents", [])]:
            continue
        collection = Collection.objects.filter(pk=kept.object_id).first()
        if collection is None:
            missing.append(
                f"It was in the collection “{kept.object_repr}”, which was deleted since."
            )
            continue
        collection.documents.add(document)
        joined.append(collection)
    for kept in history.versions_in_revision(version.revision, FeaturedDocument):
        data = kept.field_dict
        if str(data.get("document_id")) != str(document.pk):
            continue
        if any(str(c.pk) == str(data.get("collection_id")) for c in joined):
            if not FeaturedDocument.objects.filter(
                collection_id=data["collection_id"], document=document
            ).exists():
                history.restore_version(kept)
    return joined, missing
