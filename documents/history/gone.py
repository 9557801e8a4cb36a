"""What a deleted record's public address says: that it was deleted, and when, if the public saw it.

A record the public never saw (a draft deleted before it was published) is unknown, as it was
while it existed: its address stays a plain 404 and gives nothing away. The public saw:
- a document that harvesters were told of (`HarvestRecord`, one row for every document ever
  published, kept after its deletion: the one place that fact is kept);
- a person named by such a document (in a version of one of their contributions);
- a collection any of whose versions was published (also what a withdrawn collection's page
  asks before it names the collection).

When it was deleted is the date of the revision kept as it was deleted (`record_deletion`); for
a document deleted outside the admin, the moment harvesters were told it was gone.

Reads versions through `documents.history`; imports Django and `documents.models`.
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from reversion.models import Version

from documents.history import deleted_with, is_deletion, versions_naming, versions_of_id
from documents.models import Contribution, Document, HarvestRecord, Person, Status


@dataclass
class Gone:
    """A deleted record the public once saw: its name as it was, and when it was deleted."""

    name: str
    deleted_at: datetime | None
    record_id: int | None = None


def _deleted_at(version):
    return version.revision.date_created if version and is_deletion(version) else None


def deleted_document(record_id):
    """The deleted, once published document with this record ID, or None."""
    harvested = HarvestRecord.objects.filter(record_id=record_id).first()
    if harvested is None or Document.objects.filter(pk=harvested.document_id).exists():
        return None
    version = versions_of_id(Document, harvested.document_id)
    return Gone(
        name=version.object_repr if version else "",
        deleted_at=_deleted_at(version) or harvested.datestamp,
        record_id=record_id,
    )


def deleted_person(slug):
    """The deleted person at this address, if a published document once named them; or None."""
    version = deleted_with(Person, "slug", slug)
    if version is None:
        return None
    named_in = {
        v.field_dict.get("document_id")
        for v in versions_naming(Contribution, "person", int(version.object_id))
    }
    if not HarvestRecord.objects.filter(document_id__in=named_in).exists():
        return None
    return Gone(name=version.object_repr, deleted_at=_deleted_at(version))


def deleted_collection(slug):
    """The deleted collection at this address, if it was ever published; or None."""
    Collection = apps.get_model("collections", "Collection")
    version = deleted_with(Collection, "slug", slug)
    if version is None:
        return None
    if not collection_was_published(version.object_id):
        return None
    return Gone(name=version.object_repr, deleted_at=_deleted_at(version))


def collection_was_published(collection_id):
    """Whether any version of the collection with this id was published: the public saw it."""
    Collection = apps.get_model("collections", "Collection")
    return any(
        v.field_dict.get("status") == Status.PUBLISHED
        for v in Version.objects.get_for_object_reference(Collection, collection_id)
    )
