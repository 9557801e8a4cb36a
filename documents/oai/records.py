"""Which records, sets and pages an OAI-PMH request selects.

Records come from `HarvestRecord` (documents.models.harvest): one per document ever published,
with the datestamp `documents.changes` moves. A record is served with metadata only while its
document is published now (`Document.objects.published()`, the public rule); otherwise it is
reported deleted. Sets are the published collections, named by their slugs; a draft or withdrawn
collection is no set and is named in no header. A page is read after the last (datestamp, id)
of the page before, in that order, with a fixed number of queries whatever its size.
"""

import re

from django.db.models import Min, Prefetch, Q

from archive_collections.models import Collection
from documents.models import (
    Citation,
    Contribution,
    Document,
    DocumentText,
    HarvestRecord,
    RightsStatement,
)

CONTRIBUTION_FIELDS = (
    "document_id",
    "role",
    "name_as_written",
    "order",
    "person__name",
    "person__sort_name",
    "person__slug",
    "person__wikidata_id",
    "person__viaf_id",
    "on_behalf_of__name",
    "on_behalf_of__abbreviation",
)
_IDENTIFIER = re.compile(r"^oai:(?P<namespace>[^:]+):(?P<record_id>[1-9][0-9]{0,9})$")


def identifier(namespace, record_id):
    return f"oai:{namespace}:{record_id}"


def find(namespace, oai_identifier):
    """The record an identifier names, or None (another namespace, or no such record)."""
    match = _IDENTIFIER.match(oai_identifier)
    if not match or match["namespace"] != namespace:
        return None
    return HarvestRecord.objects.filter(record_id=int(match["record_id"])).first()


def earliest_datestamp():
    return HarvestRecord.objects.aggregate(first=Min("datestamp"))["first"]


def published_sets():
    return Collection.objects.published().order_by("slug").only("slug", "title", "description")


def selected(*, start=None, end=None, set_spec=None):
    """The records a list's arguments select, in the order lists are paged."""
    rows = HarvestRecord.objects.order_by("datestamp", "document_id")
    if start:
        rows = rows.filter(datestamp__gte=start)
    if end:
        rows = rows.filter(datestamp__lte=end)
    if set_spec is not None:
        collections = Collection.objects.published().filter(slug=set_spec)
        rows = rows.filter(document__collections__in=collections)
    return rows


def page(rows, *, after=None, size):
    """The records after `after` (datestamp, id), at most `size`, and whether more follow."""
    if after:
        moment, pk = after
        # The first condition lets the (datestamp, id) index start at the moment.
        rows = rows.filter(datestamp__gte=moment).filter(
            Q(datestamp__gt=moment) | Q(document_id__gt=pk)
        )
    records = list(rows[: size + 1])
    return records[:size], len(records) > size


def sets_of(records):
    """The slugs of the published collections each record's document is in, by document id."""
    links = Collection.documents.through.objects.filter(
        document_id__in=[record.document_id for record in records],
        collection__in=Collection.objects.published(),
    ).values_list("document_id", "collection__slug")
    sets = {}
    for document_id, slug in links.order_by("collection__slug"):
        sets.setdefault(document_id, []).append(slug)
    return sets


def documents_of(records):
    """The published documents of these records, by id, with all a metadata format reads."""
    ids = [record.document_id for record in records if not record.deleted]
    if not ids:
        return {}
    documents = (
        Document.objects.published()
        .filter(pk__in=ids)
        .defer("text", "transcript")  # not harvested: the metadata points to the page
        .select_related("document_type", "rights", "origin", "destination")
        .prefetch_related(
            Prefetch(
                "contributions",
                # Only what the formats and citing.py read: a person's row also holds a note
                # and the matching keys, which would triple the cost of a page.
                Contribution.objects.select_related("person", "on_behalf_of").only(
                    *CONTRIBUTION_FIELDS
                ),
            ),
            Prefetch("citations", Citation.objects.select_related("repository")),
            # The translators of further translations (their texts are not harvested either).
            Prefetch(
                "texts",
                DocumentText.objects.filter(
                    kind=DocumentText.Kind.TRANSLATION, translator__isnull=False
                )
                .select_related("translator")
                .only("document_id", "kind", "position", "translator"),
                to_attr="oai_translated_texts",
            ),
            # As lists (formats.Record reads them): a related manager's .all() clones a
            # queryset each time, and a page asks for these hundreds of times.
            Prefetch("languages", to_attr="oai_languages"),
            Prefetch("subjects", to_attr="oai_subjects"),
            Prefetch("places", to_attr="oai_places"),
            Prefetch(
                "collections",
                Collection.objects.published().only("slug", "title").order_by("slug"),
                to_attr="oai_collections",
            ),
        )
    )
    return {document.pk: document for document in documents}


def default_rights():
    return RightsStatement.default()
