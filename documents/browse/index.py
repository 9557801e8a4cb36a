"""Filter, count and page the published documents in memory, the way search engines do facets.

Facet counts are what made the public lists slow: every option of nine facets is a GROUP BY over
a link table joined to the results, so an unfiltered page of 100,000 documents took seconds on
SQLite and a million would on PostgreSQL. Search engines (Lucene, Solr, Elasticsearch) keep
"doc values" instead: for every link, the document's position and the term's id in two arrays,
so counting the terms of any result set is one pass over integers. This module does the same
with NumPy, in each web process:

- `PublicIndex` holds the published documents' ids (sorted) and, for each filter declared in
  `documents.browse.declarations`, what it needs: a column per document for a ForeignKey or a
  date range, a pair of arrays per link table (people with their roles besides), plus each sort
  order the public lists offer, read from the database so that collation and NULL placement
  are its own.
- `find(filterset, within=...)` turns a validated `DocumentFilter` into a boolean mask over those
  documents, with exactly the filter's semantics (tests compare the two on random archives), and
  returns `Found`: the count, the facet counts, and any page of ids in the chosen order.
- `cannot_serve(declaration)` says why a declared filter is one this index cannot serve; the
  start-up check (`documents.browse.checks`) refuses to run with one.

This is a copy of the database kept for speed: `tests/public/test_facet_index.py` proves that it
finds, orders and counts what the filter set's SQL and plain ORM counts do.

Only ids and counts live here. Slugs, names and the page's rows are read from the database on
every request (one query each), so a renamed subject or an unpublished document is never shown
from memory. Full-text search stays in the database (`documents.search`): its matching ids become
part of the mask, and a relevance-ranked page is read from the database with the same filters.

The index is rebuilt when the archive changes. Every write the public may see reaches
`archive_changed()` through `documents.changes`, which drops this process's index at once and,
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
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, router
from django.db.models import (
    DateField,
    ForeignKey,
    IntegerField,
    UniqueConstraint,
    Window,
)
from django.db.models.functions import RowNumber

from documents import search
from documents.browse import declarations
from documents.browse.declarations import (
    COLLECTION,
    FACETS,
    SORT,
    SORTS,
    VOCABULARIES,
    Column,
    DateRange,
    FullText,
    Link,
    PeopleInRoles,
    Sorting,
)
from documents.models import Document, PublicVersion, Status

FACET_LIMIT = 12
FACET_CACHE_SIZE = 256  # filter combinations whose facet counts each process keeps
SHIFT = 1 << 32  # a document id and a term id packed into one 64-bit integer
NO_DATE_START = np.iinfo(np.int64).max  # an undated document is never "on or before" a day
NO_DATE_END = np.iinfo(np.int64).min  # ... nor "on or after" one
EPOCH = dt.date(1970, 1, 1)  # day numbers count from here, as `_day_number` does in SQL

# The declared filters by kind, as the index reads them.
COLUMNS = [d for d in declarations.FILTERS if isinstance(d, Column)]
LINKS = [d for d in declarations.FILTERS if isinstance(d, Link)]
PEOPLE = [d for d in declarations.FILTERS if isinstance(d, PeopleInRoles)]
DATE_RANGES = [d for d in declarations.FILTERS if isinstance(d, DateRange)]

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
    def __init__(self, version, ids, columns, links, contributions, public_terms):
        self.version = version
        self.ids = ids
        self.columns = columns  # {Column name or date field: one value per document}
        self.links = links  # {facet name: Links}
        # {people filter name: (doc position, person id, role number)}, row-aligned
        self.contributions = contributions
        self.public_terms = public_terms  # {filter name: ids of the terms visitors may choose}
        self._orders = {}
        # Facet counts of recent filter combinations: a popular page (a collection's first page,
        # say) is counted once per version of the archive, not once per visitor.
        self._facet_counts = OrderedDict()
        # What pages derive from this version and keep while it lasts (the browse pages' A to Z
        # orders, `documents.browse.directory`): dropped with the index when the archive changes.
        self._derived = {}

    @classmethod
    def build(cls, version):
        """Read every declared filter's column or link table among the published documents."""
        table = _q(Document._meta.db_table)
        where = f"WHERE {_q('status')} = %s"
        names = [column.name for column in COLUMNS]
        expressions = [(_q("id"), [])]
        expressions += [(f"COALESCE({_q(_column_of(column))}, %s)", [0]) for column in COLUMNS]
        for dates in DATE_RANGES:
            start, end = (_q(Document._meta.get_field(f).column) for f in (dates.start, dates.end))
            names += [dates.start, dates.end]
            expressions += [
                (f"COALESCE({_day_number(start)}, %s)", [int(NO_DATE_START)]),
                (f"COALESCE({_day_number(end)}, %s)", [int(NO_DATE_END)]),
            ]
        ids, *values = _columns(
            expressions,
            (f"{table} {where}", [Status.PUBLISHED]),
            order=_q("id") if connection.vendor == "sqlite" else "",
        )
        by_id = np.argsort(ids, kind="stable")  # PostgreSQL's rows come in no particular order
        ids = ids[by_id]
        columns = {name: column[by_id] for name, column in zip(names, values, strict=True)}

        def pairs(model, document_field, term_field):
            t = _q(model._meta.db_table)
            doc_column = _q(model._meta.get_field(document_field).column)
            term_column = _q(model._meta.get_field(term_field).column)
            packed = _column(f"CAST({doc_column} AS BIGINT) * {SHIFT} + {term_column}", t)
            if not _unique_together(model, document_field, term_field):
                # A repository may hold two of a document's sources: it counts the document once.
                packed = _distinct(packed)
            doc_pos, found = _locate(ids, packed // SHIFT)
            terms = (packed % SHIFT)[found].astype(np.int32)
            return Links(doc_pos[found], terms, int(terms.max()) + 1 if len(terms) else 1)

        links = {link.name: pairs(link.through, link.document, link.term) for link in LINKS}

        contributions = {}
        for people in PEOPLE:
            roles = [value for value, _label in people.roles]
            cases = " ".join(f"WHEN %s THEN {number}" for number in range(len(roles)))
            through = people.through._meta
            packed, role_numbers = _columns(
                [
                    (
                        f"CAST({_q(through.get_field(people.document).column)} AS BIGINT) "
                        f"* {SHIFT} + {_q(through.get_field(people.person).column)}",
                        [],
                    ),
                    (
                        f"CASE {_q(through.get_field(people.role).column)} {cases} ELSE -1 END",
                        roles,
                    ),
                ],
                (_q(through.db_table), []),
                order=_q(through.pk.column) if connection.vendor == "sqlite" else "",
            )
            doc_pos, found = _locate(ids, packed // SHIFT)
            doc, person, role = (
                doc_pos[found],
                (packed % SHIFT)[found].astype(np.int32),
                role_numbers[found].astype(np.int8),
            )
            contributions[people.name] = (doc, person, role)
            # A person may hold two roles on one document: each person counts the document once,
            # and each role does, for the person and role facets.
            chosen = _distinct(doc.astype(np.int64) * SHIFT + person)
            people_terms = (chosen % SHIFT).astype(np.int32)
            links[people.name] = Links(
                (chosen // SHIFT).astype(np.int32),
                people_terms,
                int(people_terms.max()) + 1 if len(people_terms) else 1,
            )
            known = role >= 0
            packed_roles = _distinct(doc[known].astype(np.int64) * len(roles) + role[known])
            links[people.role_name] = Links(
                (packed_roles // len(roles)).astype(np.int32),
                (packed_roles % len(roles)).astype(np.int32),
                len(roles),
            )

        public_terms = {
            name: np.array(vocabulary.terms().values_list("pk", flat=True), dtype=np.int64)
            for name, vocabulary in VOCABULARIES.items()
            if vocabulary.published_only
        }
        return cls(version, ids, columns, links, contributions, public_terms)

    def order(self, sort):
        """Positions of the documents in the order of `declarations.SORTS[sort]`."""
        if sort not in self._orders:
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

    def derived(self, key, make):
        """`make()`, made once for this version of the archive and kept under `key`."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    def term_counts(self, name):
        """Published documents per term id of the facet `name`, over the whole archive."""
        everything = np.ones(len(self.ids), dtype=bool)
        return self.derived(("term counts", name), lambda: self.links[name].counts(everything))

    def mask_of(self, doc_ids):
        """A mask of the documents among `doc_ids` (ids of unpublished ones are left out)."""
        where_found, found = _locate(self.ids, doc_ids)
        return _mask(len(self.ids), where_found[found])


def _column_of(column):
    return Document._meta.get_field(column.field).column


def _unique_together(model, *fields):
    """Whether the table holds each combination of `fields` at most once."""
    wanted = set(fields)
    if any(set(together) == wanted for together in model._meta.unique_together):
        return True
    return any(
        isinstance(constraint, UniqueConstraint)
        and set(constraint.fields) == wanted
        and constraint.condition is None
        for constraint in model._meta.constraints
    )


# What the index can serve ---------------------------------------------------------------------


def cannot_serve(declaration):
    """Why this index cannot serve `declaration`, as a sentence; None when it can.

    The index reads integer columns and link tables by their database columns, so every field a
    declaration names must exist and be of the kind the index reads.
    """
    kind = _KINDS.get(type(declaration))
    if kind is None:
        return f"the in-memory index knows no filter of the kind {type(declaration).__name__}."
    if declaration.facets and kind.count is None:
        return f"the in-memory index cannot count facets of the kind {type(declaration).__name__}."
    try:
        return kind.problem(declaration)
    except FieldDoesNotExist as error:
        return f"{error}."


def _foreign_key_problem(model, name, target):
    field = model._meta.get_field(name)
    if not isinstance(field, ForeignKey) or field.related_model is not target:
        return (
            f"{model.__name__}.{name} is not a ForeignKey to {target.__name__}, "
            "so the index cannot read it as a term id."
        )
    return None


def _vocabulary_problem(vocabulary):
    model = vocabulary.model
    if not isinstance(model._meta.pk, IntegerField):
        return f"{model.__name__} has no integer primary key for the index's arrays."
    value = model._meta.get_field(vocabulary.value)
    if not (value.unique or value.primary_key):
        return (
            f"{model.__name__}.{vocabulary.value} is not unique, so a value in the query "
            "string could name two terms."
        )
    model._meta.get_field(vocabulary.label)
    model._meta.get_field(vocabulary.sort_label)
    if vocabulary.published_only and not hasattr(model._default_manager, "published"):
        return f"{model.__name__} has no published() terms to keep to."
    return None


def _column_problem(column):
    return _foreign_key_problem(
        Document, column.field, column.vocabulary.model
    ) or _vocabulary_problem(column.vocabulary)


def _link_problem(link):
    return (
        _foreign_key_problem(link.through, link.document, Document)
        or _foreign_key_problem(link.through, link.term, link.vocabulary.model)
        or _vocabulary_problem(link.vocabulary)
    )


def _people_problem(people):
    if not people.through._meta.get_field(people.role).choices:
        return f"{people.through.__name__}.{people.role} has no choices to number the roles by."
    return (
        _foreign_key_problem(people.through, people.document, Document)
        or _foreign_key_problem(people.through, people.person, people.vocabulary.model)
        or _vocabulary_problem(people.vocabulary)
    )


def _dates_problem(dates):
    for name in (dates.start, dates.end):
        if not isinstance(Document._meta.get_field(name), DateField):
            return f"Document.{name} is not a date, so the index cannot number its days."
    return None


def _no_problem(declaration):
    return None


# Finding ------------------------------------------------------------------------------------------


def _resolve(values_by_filter):
    """{filter name: {value: id}} for every value chosen, in one query."""
    parts, params = [], []
    for name, values in values_by_filter.items():
        if not values:
            continue
        vocabulary = VOCABULARIES[name]
        model = vocabulary.model
        marks = ", ".join(["%s"] * len(values))
        column = _q(model._meta.get_field(vocabulary.value).column)
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
    chosen: dict[str, list[int]]  # {filter name: the chosen terms' ids}, for the role facet
    key: tuple | None = None  # what was asked for, for the index's cache of facet counts

    @property
    def count(self):
        return int(self.mask.sum())

    def page_ids(self, sort, start, stop):
        ordered = self.index.order(sort)
        chosen = ordered[self.mask[ordered]]
        return [int(i) for i in self.index.ids[chosen[start:stop]]]

    def remembered(self, what, make):
        """`make()`, kept with the facet counts of what was asked for (the timeline's counts)."""
        cache = self.index._facet_counts
        key = None if self.key is None else (self.key, what)
        if key is not None and key in cache:
            cache.move_to_end(key)
            return cache[key]
        result = make()
        if key is not None:
            cache[key] = result
            while len(cache) > FACET_CACHE_SIZE:
                cache.popitem(last=False)
        return result

    def facet_counts(self, names):
        """{facet name: [(term id or role, count), ...]} for the top options of each facet."""
        cache = self.index._facet_counts
        key = None if self.key is None else (self.key, tuple(names))
        if key is not None and key in cache:
            cache.move_to_end(key)
            return cache[key]
        result = {}
        for name in names:
            declaration = FACETS[name]
            counts = _KINDS[type(declaration)].count(self, declaration, name)
            options = np.flatnonzero(counts)
            top = options[np.lexsort((options, -counts[options]))][:FACET_LIMIT]
            result[name] = [(int(term), int(counts[term])) for term in top]
        if key is not None:
            cache[key] = result
            while len(cache) > FACET_CACHE_SIZE:
                cache.popitem(last=False)
        return result


def _count_column(found, column, name):
    counts = np.bincount(found.index.columns[name][found.mask], minlength=1)
    counts[0] = 0  # documents without one
    return counts


def _count_link(found, link, name):
    counts = found.index.links[name].counts(found.mask)
    public = found.index.public_terms.get(name)
    if public is not None:
        counts[~_mask(len(counts), public[public < len(counts)])] = 0
    return counts


def _count_people(found, people, name):
    if name == people.role_name and found.chosen[people.name]:
        # The chosen people's roles: a few rows, so deduplicated here.
        doc, person, role = found.index.contributions[people.name]
        roles = len(people.roles)
        rows = np.isin(person, found.chosen[people.name]) & (role >= 0)
        rows[rows] = found.mask[doc[rows]]
        packed = _distinct(doc[rows].astype(np.int64) * roles + role[rows])
        return np.bincount(packed % roles, minlength=roles)
    return found.index.links[name].counts(found.mask)


class _Narrowing:
    """The mask `find()` narrows, one declared filter at a time, and what each was given."""

    def __init__(self, index, data, chosen, resolved):
        self.index, self.data, self.chosen, self.resolved = index, data, chosen, resolved
        self.mask = np.ones(len(index.ids), dtype=bool)

    def ids_of(self, name):
        resolved = self.resolved[name]
        return [resolved[value] for value in self.chosen[name] if value in resolved]

    def keep(self, positions):
        """Keep only the documents at `positions`."""
        self.mask &= _mask(len(self.mask), positions)

    def keep_each(self, name, links):
        for value in self.chosen[name]:
            # A value the archive does not know matches nothing.
            self.keep(links.docs_with([self.resolved[name].get(value, -1)]))


def _narrow_by_column(narrowing, column):
    if narrowing.chosen[column.name]:
        values = narrowing.index.columns[column.name]
        narrowing.mask &= np.isin(values, narrowing.ids_of(column.name))


def _narrow_by_link(narrowing, link):
    narrowing.keep_each(link.name, narrowing.index.links[link.name])


def _narrow_by_people(narrowing, people):
    doc, person, role = narrowing.index.contributions[people.name]
    numbers = {value: number for number, (value, _label) in enumerate(people.roles)}
    chosen_roles = narrowing.data.get(people.role_name)
    roles = [numbers[value] for value in chosen_roles or [] if value in numbers]
    if narrowing.chosen[people.name]:
        for value in narrowing.chosen[people.name]:
            rows = person == narrowing.resolved[people.name].get(value, -1)
            if chosen_roles:
                rows &= np.isin(role, roles)
            narrowing.keep(doc[rows])
    elif chosen_roles:
        narrowing.keep(doc[np.isin(role, roles)])


def _narrow_by_dates(narrowing, dates):
    data, columns = narrowing.data, narrowing.index.columns
    if data.get(dates.name):
        narrowing.mask &= columns[dates.end] >= _day(data[dates.name][0])
    if data.get(dates.to_name):
        narrowing.mask &= columns[dates.start] <= _day(data[dates.to_name][1])


def _narrow_by_search(narrowing, full_text):
    query = (narrowing.data.get(full_text.name) or "").strip()
    if not query:
        return
    # The index's own table only: the mask already knows which documents are published.
    if search.fts5_query(query):
        matching = search.matching_ids(query).iterator(chunk_size=10_000)
        ids = np.fromiter(matching, dtype=np.int64)
        narrowing.mask &= narrowing.index.mask_of(ids)
    else:  # no words in it: nothing matches, as in `search.search`
        narrowing.mask[:] = False


def _leave_as_is(narrowing, sorting):
    """The order is chosen by the page (`Found.page_ids`), not by narrowing."""


def find(filterset, *, within=None):
    """The published documents `filterset` leaves, `within` a collection if given.

    `filterset` is a bound `documents.browse.filters.DocumentFilter`; only its valid fields
    count, as in the filter itself (an invalid one is reported on the form and ignored).
    """
    filterset.is_valid()
    data = filterset.form.cleaned_data
    index = public_index()
    chosen = {name: data.get(name) or [] for name in VOCABULARIES}
    resolved = _resolve(chosen)
    # Only terms visitors may see can be chosen by name (a draft collection matches nothing).
    for name, public_ids in index.public_terms.items():
        public = set(public_ids.tolist())
        resolved[name] = {value: pk for value, pk in resolved[name].items() if pk in public}
    narrowing = _Narrowing(index, data, chosen, resolved)
    if within is not None:
        narrowing.keep(index.links[COLLECTION.name].docs_with([within.pk]))
    for declaration in declarations.FILTERS:
        _KINDS[type(declaration)].narrow(narrowing, declaration)
    # What was asked for, by the ids the values named now: a renamed slug is a new question.
    asked = tuple(
        sorted(
            (name, repr([resolved[name].get(v) for v in chosen[name]]))
            if name in chosen
            else (name, repr(value))
            for name, value in data.items()
            if value and name != SORT.name
        )
    )
    ids = {name: narrowing.ids_of(name) for name in chosen}
    key = (within.pk if within is not None else None, asked)
    return Found(index, narrowing.mask, ids, key=key)


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
    found = {name: {} for name in facets}
    for name, rows in facets.items():
        if name not in VOCABULARIES:
            # A role: its value, its label from the role's choices, and its value to sort by.
            people = FACETS[name]
            found[name] = {
                number: (value, str(label), value)
                for number, (value, label) in enumerate(people.roles)
            }
            continue
        if not rows:
            continue
        vocabulary = VOCABULARIES[name]
        meta = vocabulary.model._meta
        pk = _q(meta.pk.column)
        marks = ", ".join(["%s"] * len(rows))
        fields = (vocabulary.value, vocabulary.label, vocabulary.sort_label)
        selected = ", ".join(_q(meta.get_field(field).column) for field in fields)
        parts.append(
            f"SELECT '{name}', {pk}, {selected} FROM {_q(meta.db_table)} WHERE {pk} IN ({marks})"
        )
        params += [term for term, _count in rows]
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for name, pk, value, label, sort_label in cursor.fetchall():
                found[name][pk] = (value, label, sort_label)
    return found


@dataclass(frozen=True)
class _Kind:
    """How the index serves one kind of declaration."""

    problem: Callable  # (declaration) -> why it cannot be served, or None
    narrow: Callable  # (_Narrowing, declaration) -> None
    count: Callable | None = None  # (Found, declaration, facet name) -> counts by term id


_KINDS = {
    # The search's matching ids come from `documents.search`.
    FullText: _Kind(_no_problem, _narrow_by_search),
    DateRange: _Kind(_dates_problem, _narrow_by_dates),
    Column: _Kind(_column_problem, _narrow_by_column, _count_column),
    Link: _Kind(_link_problem, _narrow_by_link, _count_link),
    PeopleInRoles: _Kind(_people_problem, _narrow_by_people, _count_people),
    # Each order is read from the database by its own ORDER BY (`PublicIndex.order`).
    Sorting: _Kind(_no_problem, _leave_as_is),
}


def documents_in_order(ids):
    """The published documents with these ids, in this order (a page of results)."""
    by_pk = Document.objects.published().select_related("document_type").in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]
