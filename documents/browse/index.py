"""Filter, count and page the published documents in memory, the way search engines do facets.

Facet counts are what made the public lists slow: every option of nine facets is a GROUP BY over
a link table joined to the results, so an unfiltered page of 100,000 documents took seconds on
SQLite and a million would on PostgreSQL. Search engines (Lucene, Solr, Elasticsearch) keep
"doc values" instead: for every link, the document's position and the term's id in two arrays,
so counting the terms of any result set is one pass over integers. This module does the same
with NumPy, in each web process:

- `PublicIndex` holds the published documents' ids (sorted), their type, classification and
  date bounds, and one pair of arrays per link table (languages, subjects, places, people with
  their roles, repositories through citations, collections), plus each sort order the public
  lists offer, read from the database so that collation and NULL placement are the database's.
- `find(filterset, within=...)` turns a validated `DocumentFilter` into a boolean mask over those
  documents, with exactly the filter's semantics (tests compare the two on random archives), and
  returns `Found`: the count, the facet counts, and any page of ids in the chosen order.

Only ids and counts live here. Slugs, names and the page's rows are read from the database on
every request (one query each), so a renamed subject or an unpublished document is never shown
from memory. Full-text search stays in the database (`documents.search`): its matching ids become
part of the mask, and a relevance-ranked page is read from the database with the same filters.

The index is rebuilt when the archive changes. Every save and delete path the public sees calls
`archive_site.cache.invalidate_public_pages()`, which drops this process's index at once and,
when the transaction commits, writes a new random token to the one-row table `PublicVersion`.
Each request reads that token (one primary-key query) and rebuilds when it differs, so every
process, and a replica's readers, follow the data they can see. A rebuild reads each table once
through narrow queries: about half a second at 100,000 documents on SQLite.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.db import connection, router
from django.db.models import Window
from django.db.models.functions import RowNumber

from archive_collections.models import Collection
from documents import search
from documents.models import (
    Citation,
    Classification,
    Contribution,
    Document,
    DocumentType,
    Language,
    Person,
    Place,
    PublicVersion,
    Repository,
    Status,
    Subject,
)

FACET_LIMIT = 12
FACET_CACHE_SIZE = 256  # filter combinations whose facet counts each process keeps
SHIFT = 1 << 32  # a document id and a term id packed into one 64-bit integer
ROLES = [value for value, _label in Contribution.Role.choices]
NO_DATE_START = np.iinfo(np.int64).max  # an undated document is never "on or before" a day
NO_DATE_END = np.iinfo(np.int64).min  # ... nor "on or after" one
EPOCH = dt.date(1970, 1, 1)  # day numbers count from here, as `_day_number` does in SQL

_lock = threading.Lock()
_index: PublicIndex | None = None


# The version token -------------------------------------------------------------------------------


def archive_changed(change_set, *, committed=False):
    """Told by `documents.changes` of every write the public may see, at once and after commit.

    At once, this process forgets its index; after commit, a new token tells every process.
    `change_set` (a `documents.changes.ChangeSet`) names what changed (documents, people,
    repositories, the models written, or everything), so a later version can patch the index in
    place instead of rebuilding it.
    """
    forget()
    if committed:
        write_new_version()


def write_new_version():
    db = router.db_for_write(PublicVersion)
    token = uuid.uuid4().hex
    if not PublicVersion.objects.using(db).filter(pk=1).update(token=token):
        # The migration makes the row; a database loaded without it gets it here, once.
        PublicVersion.objects.using(db).bulk_create(
            [PublicVersion(pk=1, token=token)], ignore_conflicts=True
        )


def forget():
    global _index
    _index = None


def current_version():
    return PublicVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def public_index():
    """This process's index, rebuilt first if the archive changed since it was built."""
    global _index
    version = current_version()
    index = _index
    if index is not None and index.version == version:
        return index
    with _lock:
        if _index is not None and _index.version == version:
            return _index
        _index = PublicIndex.build(version)
        return _index


# Building ----------------------------------------------------------------------------------------


def _columns(expressions, source, *, order=""):
    """Integer columns of one table as aligned NumPy arrays: element i of each is one row's.

    `expressions` are (SQL, params) pairs; `source` is (SQL, params) after FROM; rows come in
    `order` where it is given. No Python object is made per row: SQLite's rows are read from
    the driver's own cursor, one column a query, in the order given (Django's wrapper adds a
    call per row). PostgreSQL sends each column as one BIGINT array in binary, all from one
    pass over the rows, so they line up without sorting (a COPY of plain rows would still cost
    a message and a Python call per row).
    """
    source_sql, source_params = source
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ordered = f" ORDER BY {order}" if order else ""
            aggregates = ", ".join(
                f"array_agg(CAST({sql} AS BIGINT){ordered})" for sql, _params in expressions
            )
            params = [p for _sql, expression_params in expressions for p in expression_params]
            return _copy_arrays(
                cursor.cursor, f"SELECT {aggregates} FROM {source_sql}", [*params, *source_params]
            )
        ordered = f" ORDER BY {order}" if order else ""
        arrays = []
        for sql, params in expressions:
            cursor.execute(f"SELECT {sql} FROM {source_sql}{ordered}", [*params, *source_params])
            raw = cursor.cursor
            arrays.append(np.fromiter(itertools.chain.from_iterable(raw), dtype=np.int64))
        return arrays


def _column(expression, source, *, order=""):
    return _columns([(expression, [])], (source, []), order=order)[0]


# PostgreSQL's binary COPY of one row of BIGINT arrays: a 19-byte file header, the row's field
# count (int16), then per field its length (int32) and the array: dimensions, a null flag and
# the element type (3 x int32), the size and lower bound of its one dimension (2 x int32), then
# per element its length (int32) and value (int64), all big-endian. A 2-byte trailer ends it.
_ARRAY_ELEMENT = np.dtype([("length", ">i4"), ("value", ">i8")])


def _copy_arrays(cursor, sql, params):
    with cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)", params or None) as copy:
        data = b"".join(bytes(block) for block in copy)

    def integer(at):
        return int.from_bytes(data[at : at + 4], "big", signed=True)

    fields = int.from_bytes(data[19:21], "big")
    at, arrays = 21, []
    for _field in range(fields):
        length = integer(at)
        at += 4
        if length == -1:  # array_agg over no rows
            arrays.append(np.zeros(0, dtype=np.int64))
            continue
        dimensions, has_nulls = integer(at), integer(at + 4)
        if dimensions != 1 or has_nulls or (length - 20) % _ARRAY_ELEMENT.itemsize:
            raise ValueError("Expected arrays of non-null BIGINT values.")
        body = np.frombuffer(data, dtype=_ARRAY_ELEMENT, count=(length - 20) // 12, offset=at + 20)
        arrays.append(body["value"].astype(np.int64))
        at += length
    return arrays


def _distinct(values):
    """The distinct values, sorted (np.unique's hash path is slower for these sizes)."""
    values = np.sort(values)
    if len(values):
        values = values[np.concatenate(([True], values[1:] != values[:-1]))]
    return values


def _locate(ids, doc_ids):
    """Positions of `doc_ids` in the sorted `ids`, and which of them are there at all."""
    where_found = np.minimum(np.searchsorted(ids, doc_ids), max(len(ids) - 1, 0))
    found = ids[where_found] == doc_ids if len(ids) else np.zeros(len(doc_ids), dtype=bool)
    return where_found.astype(np.int32), found


def _q(name):
    return connection.ops.quote_name(name)


def _day_number(column):
    """SQL for a date column as a day number (NULL stays NULL), on either database."""
    if connection.vendor == "postgresql":
        return f"CAST({column} - DATE '1970-01-01' AS BIGINT)"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


@dataclass
class Links:
    """The links of one table among the published documents: position and term per row."""

    doc: np.ndarray  # position of the document in PublicIndex.ids
    term: np.ndarray  # the linked term's id
    size: int  # one more than the highest term id (for bincount)

    def docs_with(self, term_ids):
        """Positions of the documents linked to any of `term_ids` (repeats possible)."""
        return self.doc[np.isin(self.term, term_ids)]

    def counts(self, mask):
        return np.bincount(self.term[np.take(mask, self.doc)], minlength=self.size)


class PublicIndex:
    def __init__(self, version, ids, columns, links, contributions, collections_published):
        self.version = version
        self.ids = ids
        self.columns = columns
        self.links = links
        self.contributions = contributions  # (doc position, person id, role number), row-aligned
        self.published_collections = collections_published
        self._orders = {}
        # Facet counts of recent filter combinations: a popular page (a collection's first page,
        # say) is counted once per version of the archive, not once per visitor.
        self._facet_counts = OrderedDict()

    @classmethod
    def build(cls, version):
        document = Document._meta
        table = _q(document.db_table)
        published = [Status.PUBLISHED]
        where = f"WHERE {_q('status')} = %s"
        names = ["type", "classification", "date_start", "date_end"]
        ids, *values = _columns(
            [
                (_q("id"), []),
                (f"COALESCE({_q('document_type_id')}, %s)", [0]),
                (f"COALESCE({_q('classification_id')}, %s)", [0]),
                (f"COALESCE({_day_number(_q('date_start'))}, %s)", [int(NO_DATE_START)]),
                (f"COALESCE({_day_number(_q('date_end'))}, %s)", [int(NO_DATE_END)]),
            ],
            (f"{table} {where}", published),
            order=_q("id") if connection.vendor == "sqlite" else "",
        )
        by_id = np.argsort(ids, kind="stable")  # PostgreSQL's rows come in no particular order
        ids = ids[by_id]
        columns = {name: column[by_id] for name, column in zip(names, values, strict=True)}

        def pairs(model, document_field, term_field, *, distinct=False):
            t = _q(model._meta.db_table)
            doc_column = _q(model._meta.get_field(document_field).column)
            term_column = _q(model._meta.get_field(term_field).column)
            packed = _column(f"CAST({doc_column} AS BIGINT) * {SHIFT} + {term_column}", t)
            if distinct:
                packed = _distinct(packed)
            doc_pos, found = _locate(ids, packed // SHIFT)
            terms = (packed % SHIFT)[found].astype(np.int32)
            return Links(doc_pos[found], terms, int(terms.max()) + 1 if len(terms) else 1)

        collection_links = Document.collections.through
        links = {
            "language": pairs(Document.languages.through, "document", "language"),
            "subject": pairs(Document.subjects.through, "document", "subject"),
            "place": pairs(Document.places.through, "document", "place"),
            # A repository may hold two of a document's sources: it counts the document once.
            "repository": pairs(Citation, "document", "repository", distinct=True),
            "collection": pairs(collection_links, "document", "collection"),
        }

        cases = " ".join(f"WHEN %s THEN {number}" for number in range(len(ROLES)))
        packed, roles = _columns(
            [
                (f"CAST({_q('document_id')} AS BIGINT) * {SHIFT} + {_q('person_id')}", []),
                (f"CASE {_q('role')} {cases} ELSE -1 END", ROLES),
            ],
            (_q(Contribution._meta.db_table), []),
            order=_q("id") if connection.vendor == "sqlite" else "",
        )
        doc_pos, found = _locate(ids, packed // SHIFT)
        contributions = (
            doc_pos[found],
            (packed % SHIFT)[found].astype(np.int32),
            roles[found].astype(np.int8),
        )
        # A person may hold two roles on one document: each person counts the document once,
        # and each role does, for the person and role facets.
        people = _distinct(contributions[0].astype(np.int64) * SHIFT + contributions[1])
        people_terms = (people % SHIFT).astype(np.int32)
        links["person"] = Links(
            (people // SHIFT).astype(np.int32),
            people_terms,
            int(people_terms.max()) + 1 if len(people_terms) else 1,
        )
        known = contributions[2] >= 0
        packed_roles = _distinct(
            contributions[0][known].astype(np.int64) * len(ROLES) + contributions[2][known]
        )
        links["role"] = Links(
            (packed_roles // len(ROLES)).astype(np.int32),
            (packed_roles % len(ROLES)).astype(np.int32),
            len(ROLES),
        )
        collections_published = np.array(
            Collection.objects.published().values_list("pk", flat=True), dtype=np.int64
        )
        return cls(version, ids, columns, links, contributions, collections_published)

    def order(self, sort):
        """Positions of the documents in the order of `documents.filters.SORTS[sort]`."""
        if sort not in self._orders:
            from documents.browse.filters import SORTS

            # Numbered in the database by the list's own ordering, gathered in that order.
            sql, params = (
                Document.objects.published()
                .annotate(position=Window(RowNumber(), order_by=SORTS[sort]))
                .order_by()
                .values_list("pk", "position")
                .query.sql_with_params()
            )
            (ordered,) = _columns(
                [(f"q.{_q('pk')}", [])], (f"({sql}) q", params), order="q.position"
            )
            # Documents published after the build are not in `ids`; a new version rebuilds.
            where_found, found = _locate(self.ids, ordered)
            self._orders[sort] = where_found[found]
        return self._orders[sort]

    def mask_of(self, doc_ids):
        """A mask of the documents among `doc_ids` (ids of unpublished ones are left out)."""
        where_found, found = _locate(self.ids, doc_ids)
        return _mask(len(self.ids), where_found[found])


# Finding ------------------------------------------------------------------------------------------

# Filter name -> (vocabulary model, the field visitors' values name, label, sort label).
VOCABULARIES = {
    "type": (DocumentType, "slug", "name", "name"),
    "classification": (Classification, "slug", "name", "name"),
    "language": (Language, "code", "name", "name"),
    "subject": (Subject, "slug", "name", "name"),
    "place": (Place, "slug", "name", "name"),
    "person": (Person, "slug", "name", "sort_name"),
    "repository": (Repository, "abbreviation", "name", "name"),
    "collection": (Collection, "slug", "title", "title"),
}


def _resolve(values_by_filter):
    """{filter name: {value: id}} for every value chosen, in one query."""
    parts, params = [], []
    for name, values in values_by_filter.items():
        if not values:
            continue
        model, field, _label, _sort_label = VOCABULARIES[name]
        marks = ", ".join(["%s"] * len(values))
        column = _q(model._meta.get_field(field).column)
        parts.append(
            f"SELECT '{name}', {column}, {_q(model._meta.pk.column)} "
            f"FROM {_q(model._meta.db_table)} WHERE {column} IN ({marks})"
        )
        params += list(values)
    resolved = {name: {} for name in values_by_filter}
    if not parts:
        return resolved
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for name, value, pk in cursor.fetchall():
            resolved[name][value] = pk
    return resolved


@dataclass
class Found:
    """The documents a filter leaves: their number, facet counts and pages of ids."""

    index: PublicIndex
    mask: np.ndarray
    people: list[int]  # the chosen people's ids, for the role facet
    key: tuple | None = None  # what was asked for, for the index's cache of facet counts

    @property
    def count(self):
        return int(self.mask.sum())

    def page_ids(self, sort, start, stop):
        ordered = self.index.order(sort)
        chosen = ordered[self.mask[ordered]]
        return [int(i) for i in self.index.ids[chosen[start:stop]]]

    def facet_counts(self, names):
        """{facet name: [(term id or role, count), ...]} for the top options of each facet."""
        cache = self.index._facet_counts
        key = None if self.key is None else (self.key, tuple(names))
        if key is not None and key in cache:
            cache.move_to_end(key)
            return cache[key]
        result = self._count_facets(names)
        if key is not None:
            cache[key] = result
            while len(cache) > FACET_CACHE_SIZE:
                cache.popitem(last=False)
        return result

    def _count_facets(self, names):
        index, mask = self.index, self.mask
        result = {}
        for name in names:
            if name in ("type", "classification"):
                values = index.columns[name][mask]
                counts = np.bincount(values, minlength=1)
                counts[0] = 0  # documents without one
            elif name == "role" and self.people:
                # The chosen people's roles: a few rows, so deduplicated here.
                doc, person, role = index.contributions
                rows = np.isin(person, self.people) & (role >= 0)
                rows[rows] = mask[doc[rows]]
                packed = _distinct(doc[rows].astype(np.int64) * len(ROLES) + role[rows])
                counts = np.bincount(packed % len(ROLES), minlength=len(ROLES))
            else:
                counts = index.links[name].counts(mask)
                if name == "collection":
                    published = index.published_collections
                    counts[~_mask(len(counts), published[published < len(counts)])] = 0
            options = np.flatnonzero(counts)
            top = options[np.lexsort((options, -counts[options]))][:FACET_LIMIT]
            result[name] = [(int(term), int(counts[term])) for term in top]
        return result


def find(filterset, *, within=None):
    """The published documents `filterset` leaves, `within` a collection if given.

    `filterset` is a bound `documents.filters.DocumentFilter`; only its valid fields count, as
    in the filter itself (an invalid one is reported on the form and ignored).
    """
    filterset.is_valid()
    data = filterset.form.cleaned_data
    index = public_index()
    mask = np.ones(len(index.ids), dtype=bool)
    chosen = {name: data.get(name) or [] for name in VOCABULARIES}
    resolved = _resolve(chosen)

    def ids_of(name):
        return [resolved[name][value] for value in chosen[name] if value in resolved[name]]

    def narrow(positions):
        """Keep only the documents at `positions`."""
        nonlocal mask
        mask &= _mask(len(mask), positions)

    def narrow_each(name, links):
        for value in chosen[name]:
            # A value the archive does not know matches nothing.
            narrow(links.docs_with([resolved[name].get(value, -1)]))

    if within is not None:
        narrow(index.links["collection"].docs_with([within.pk]))
    if data.get("date_from"):
        mask &= index.columns["date_end"] >= _day(data["date_from"][0])
    if data.get("date_to"):
        mask &= index.columns["date_start"] <= _day(data["date_to"][1])
    for name in ("type", "classification"):
        if chosen[name]:
            mask &= np.isin(index.columns[name], ids_of(name))
    for name in ("language", "subject", "place", "repository"):
        narrow_each(name, index.links[name])
    # Only published collections can be chosen by name; another one matches nothing.
    published = set(index.published_collections.tolist())
    resolved["collection"] = {
        value: pk for value, pk in resolved["collection"].items() if pk in published
    }
    narrow_each("collection", index.links["collection"])

    doc, person, role = index.contributions
    roles = [ROLES.index(r) for r in data.get("role") or [] if r in ROLES]
    people = ids_of("person")
    if chosen["person"]:
        for value in chosen["person"]:
            rows = person == resolved["person"].get(value, -1)
            if data.get("role"):
                rows &= np.isin(role, roles)
            narrow(doc[rows])
    elif data.get("role"):
        narrow(doc[np.isin(role, roles)])

    query = (data.get("q") or "").strip()
    if query:
        # The index's own table only: the mask already knows which documents are published.
        if search.fts5_query(query):
            matching = search.matching_ids(query).iterator(chunk_size=10_000)
            ids = np.fromiter(matching, dtype=np.int64)
            mask &= index.mask_of(ids)
        else:  # no words in it: nothing matches, as in `search.search`
            mask[:] = False
    # What was asked for, by the ids the values named now: a renamed slug is a new question.
    asked = tuple(
        sorted(
            (name, repr([resolved[name].get(v) for v in chosen[name]]))
            if name in chosen
            else (name, repr(value))
            for name, value in data.items()
            if value and name != "sort"
        )
    )
    return Found(index, mask, people, key=(within.pk if within is not None else None, asked))


def _mask(size, positions):
    """A boolean array of `size`, true at `positions`."""
    mask = np.zeros(size, dtype=bool)
    mask[positions] = True
    return mask


def _day(value):
    return (value - EPOCH).days


def labels(facets):
    """{facet name: {id: (value, label, sort label)}} for the ids in `facets`, in one query."""
    parts, params = [], []
    for name, rows in facets.items():
        if name == "role" or not rows:
            continue
        model, value_field, label, sort_label = VOCABULARIES[name]
        pk = _q(model._meta.pk.column)
        marks = ", ".join(["%s"] * len(rows))
        parts.append(
            f"SELECT '{name}', {pk}, {_q(model._meta.get_field(value_field).column)}, "
            f"{_q(label)}, {_q(sort_label)} FROM {_q(model._meta.db_table)} "
            f"WHERE {pk} IN ({marks})"
        )
        params += [term for term, _count in rows]
    found = {name: {} for name in facets}
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for name, pk, value, label, sort_label in cursor.fetchall():
                found[name][pk] = (value, label, sort_label)
    if "role" in facets:
        found["role"] = {number: (role, role, role) for number, role in enumerate(ROLES)}
    return found


def documents_in_order(ids):
    """The published documents with these ids, in this order (a page of results)."""
    by_pk = Document.objects.published().select_related("document_type").in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]
