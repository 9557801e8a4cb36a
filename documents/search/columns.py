"""What the full-text index holds for each document: its columns, their weights, their text.

Declared once here and read by both backends: SQLite's FTS5 table has these columns in this
order (migrations 0005 and 0014 make it; tests/search/test_columns.py checks that the two
agree) and weighs them in bm25(); PostgreSQL folds them into one tsvector, each under its
weight. Like Wagtail's ``search_fields``: one list, every backend derived from it.

Public search and the admin's document search read the same entries, so an entry holds only what
a visitor may see of the document: a draft or withdrawn collection's title is left out (it would
make the collection's published documents findable by a title the public has never been shown),
and `documents.changes` re-indexes a collection's documents when its title or status changes, as
it does a subject's, place's or funder's when they are renamed.

May import: documents.models.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

from documents import models
from documents.models.base import split_names


@dataclass(frozen=True)
class Column:
    name: str
    weight: str  # "A" (weighs most) to "D", PostgreSQL's letters; SQLite's bm25 reads them too
    holds: str


COLUMNS = (
    Column("title", "A", "the title"),
    Column(
        "people",
        "B",
        "people's names, as written in the document, and their variant names; the "
        "translators of further translations; a cable's addressee and duty officers as written",
    ),
    Column(
        "terms",
        "B",
        "the subjects, places (a cable's origin and destination too), published collections and "
        "funders: names and other names",
    ),
    Column("summary", "C", "the summary"),
    Column(
        "citations",
        "C",
        "the archival citations: repository (and its other names), reference; a cable's "
        "outgoing, form, special and copy numbers",
    ),
    Column("body", "D", "the translation and the transcript, and the further ones"),
)
NAMES = tuple(column.name for column in COLUMNS)
# A cable's transmission details (Document.TRANSMISSION_FIELDS) as the columns above hold them:
# the names as written with the people, the numbers with the citations, the places with the terms.
CABLE_PLACES = (
    "origin__name",
    "origin__other_names",
    "destination__name",
    "destination__other_names",
)
CABLE_NAMES = ("addressee", "sent_by", "received_by")
CABLE_NUMBERS = ("outgoing_number", "form_number", "special_numbers", "copy_number")

Row = namedtuple("Row", ["document_id", *NAMES])


def position(name):
    """Where a column is in the index (FTS5 numbers its columns from 0 in this order)."""
    return NAMES.index(name)


def _terms(document_ids, *, using):
    """document id -> the names and other names of its subjects, places, published collections
    and funders."""
    terms = {}
    links = (
        (models.Document.subjects.through, {}, ("subject__name", "subject__other_names")),
        (models.Document.places.through, {}, ("place__name", "place__other_names")),
        (
            models.Document.collections.through,
            {"collection__status": models.Status.PUBLISHED},
            ("collection__title", "collection__other_names"),
        ),
        (
            models.Funding,
            {},
            ("organization__name", "organization__abbreviation", "organization__other_names"),
        ),
    )
    for link, only, fields in links:
        rows = (
            link.objects.using(using)
            .filter(document_id__in=document_ids, **only)
            .order_by()  # an ORDER BY here would make SQLite scan the whole link table
            .values_list("pk", "document_id", *fields)
        )
        # In the links' order, so an entry is the same whichever batch indexes the document.
        for _pk, document_id, *names, other_names in sorted(rows):
            terms.setdefault(document_id, []).extend([*names, *split_names(other_names)])
    return terms


def index_rows(document_ids, *, using):
    """The index row of each of these documents (that still exists), in ten queries."""
    people = {}
    further = {}
    for document_id, text, name, sort_name in (
        models.DocumentText.objects.using(using)
        .filter(document_id__in=document_ids)
        .order_by("document_id", "kind", "position", "pk")
        .values_list("document_id", "text", "translator__name", "translator__sort_name")
    ):
        texts, names = further.setdefault(document_id, ([], []))
        texts.append(text)
        names.extend([name, sort_name])
    # The people's names in a query of their own: joined to the people, SQLite may walk every
    # person and look each batch document up in turn (seconds per batch once its statistics
    # are behind an import's new rows), where each query alone uses its index.
    # In the links' order ("order", then pk), sorted here rather than by the database.
    contributions = sorted(
        models.Contribution.objects.using(using)
        .filter(document_id__in=document_ids)
        .order_by()
        .values_list("order", "pk", "document_id", "person_id", "name_as_written")
    )
    person_ids = {row[3] for row in contributions}
    own_names = {
        pk: (name, sort_name)
        for pk, name, sort_name in models.Person.objects.using(using)
        .filter(pk__in=person_ids)
        .values_list("pk", "name", "sort_name")
    }
    for _order, _pk, document_id, person_id, as_written in contributions:
        name, sort_name = own_names[person_id]
        people.setdefault(document_id, []).append((person_id, [name, sort_name, as_written]))
    variants = {}
    for person_id, name in (
        models.PersonName.objects.using(using)
        .filter(person_id__in=person_ids)
        .values_list("person_id", "name")
    ):
        variants.setdefault(person_id, []).append(name)
    citations = {}
    for document_id, abbreviation, name, other_names, reference in (
        models.Citation.objects.using(using)
        .filter(document_id__in=document_ids)
        .values_list(
            "document_id",
            "repository__abbreviation",
            "repository__name",
            "repository__other_names",
            "reference",
        )
    ):
        names = " ".join([abbreviation, name, *split_names(other_names)])
        citations.setdefault(document_id, []).append(f"{names} {reference}")

    terms = _terms(document_ids, using=using)

    rows = []
    for pk, title, summary, text, transcript, *cable in (
        models.Document.objects.using(using)
        .filter(pk__in=document_ids)
        .values_list(
            "pk",
            "title",
            "summary",
            "text",
            "transcript",
            *CABLE_PLACES,
            *CABLE_NAMES,
            *CABLE_NUMBERS,
        )
    ):
        cable_places = cable[: len(CABLE_PLACES)]
        cable_names = cable[len(CABLE_PLACES) : len(CABLE_PLACES) + len(CABLE_NAMES)]
        cable_numbers = cable[len(CABLE_PLACES) + len(CABLE_NAMES) :]
        places = []
        for name, other_names in zip(cable_places[::2], cable_places[1::2], strict=True):
            if name:
                places.extend([name, *split_names(other_names)])
        names = list(cable_names)
        for person_id, own in people.get(pk, []):
            names.extend(own)
            names.extend(variants.get(person_id, []))
        further_texts, translators = further.get(pk, ((), ()))
        names.extend(translators)
        rows.append(
            Row(
                document_id=pk,
                title=title,
                people="; ".join(dict.fromkeys(n for n in names if n)),
                terms="; ".join(dict.fromkeys(n for n in [*terms.get(pk, []), *places] if n)),
                summary=summary,
                citations="; ".join([*citations.get(pk, []), *filter(None, cable_numbers)]),
                body="\n".join([text, transcript, *further_texts]),
            )
        )
    return rows
