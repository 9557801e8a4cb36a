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

The index follows the archive by deltas, never by a rebuild for one edit. Every write the public
may see reaches `archive_changed()` through `documents.changes`: at once, this process notes the
documents to read again; when the transaction commits, a numbered row of the change log
(`PublicChange`) names them. Each request reads the log past the number its index holds (one
indexed query, empty when nothing changed) and applies what it finds: only the named documents'
rows are read and spliced into the arrays (`PublicIndex.patched`), each sort order made so far
gets them placed by the database's own ORDER BY, and the facet counts and derived pages are kept
when the documents' index rows did not change (a corrected translation, a new summary). Every
process, and a replica's readers, follow the log of the database they read. A bulk load, a
restore or a change of more than `DELTA_LIMIT` documents is logged as "everything" and rebuilds:
each table read once through narrow queries, about half a second at 100,000 documents on SQLite.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import logging
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, router
from django.db.models import (
    DateField,
    ForeignKey,
    IntegerField,
    Max,
    Q,
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
from documents.models import Document, PublicChange, Status

FACET_LIMIT = 12
FACET_CACHE_SIZE = 256  # filter combinations whose facet counts each process keeps
SHIFT = 1 << 32  # a document id and a term id packed into one 64-bit integer
NO_DATE_START = np.iinfo(np.int64).max  # an undated document is never "on or before" a day
NO_DATE_END = np.iinfo(np.int64).min  # ... nor "on or after" one
EPOCH = dt.date(1970, 1, 1)  # day numbers count from here, as `_day_number` does in SQL
KEEP_CHANGES_SECONDS = 3600  # the change log keeps an hour; an index idle for half that rebuilds
PRUNE_CHANCE = 0.01  # one write in a hundred prunes the log
GAP_SECONDS = 10  # how long a number skipped in the log is waited for (a commit in flight)

# The declared filters by kind, as the index reads them.
COLUMNS = [d for d in declarations.FILTERS if isinstance(d, Column)]
LINKS = [d for d in declarations.FILTERS if isinstance(d, Link)]
PEOPLE = [d for d in declarations.FILTERS if isinstance(d, PeopleInRoles)]
DATE_RANGES = [d for d in declarations.FILTERS if isinstance(d, DateRange)]

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_index: PublicIndex | None = None


# The change log ----------------------------------------------------------------------------------


def archive_changed(change_set, *, committed=False):
    """Told by `documents.changes` of every write the public may see, at once and after commit.

    At once, this process notes the documents to read again on its next request (or, for a bulk
    load, forgets its index); after commit, a numbered row in the change log (`PublicChange`)
    tells every process, which applies it as a delta (`public_index`).
    """
    documents = change_set.documents | change_set.removed_documents
    whole = change_set.everything or len(documents) > DELTA_LIMIT
    if committed:
        write_change(
            documents=() if whole else documents,
            everything=whole,
            terms=_names_terms(change_set.models),
        )
    elif whole:
        forget()
    else:
        with _lock:
            _unseen.documents |= documents
            _unseen.terms |= _names_terms(change_set.models)


def _names_terms(models):
    """Whether a write to these models can change which terms visitors may choose, or the
    derived pages kept with the index (a vocabulary renamed, a collection published)."""
    return bool(set(models) - DOCUMENT_ROWS)


# What a document's own save writes: the index reads these by document, so the delta covers them.
DOCUMENT_ROWS = {
    "documents.Document",
    "documents.Contribution",
    "documents.Citation",
    "documents.Funding",
    "documents.DocumentText",
    "documents.Scan",
    "documents.ScanImage",
    "documents.Document_languages",
    "documents.Document_subjects",
    "documents.Document_places",
    "documents.Document_related",
    "collections.Collection_documents",
}


def write_change(*, documents=(), everything=False, terms=False):
    """Add a row to the change log: every web process applies it on its next request."""
    db = router.db_for_write(PublicChange)
    PublicChange.objects.using(db).create(
        documents=sorted(int(pk) for pk in documents), everything=everything, terms=terms
    )
    if random.random() < PRUNE_CHANCE:
        old = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=KEEP_CHANGES_SECONDS)
        PublicChange.objects.using(db).filter(at__lt=old).delete()


def write_new_version():
    """Tell every process to rebuild its index (a restore, a load past the signals)."""
    write_change(everything=True)


@dataclass
class _Unseen:
    """What this process wrote and has not read into its index yet (its own transaction's)."""

    documents: set = field(default_factory=set)
    terms: bool = False
    uncommitted: set = field(default_factory=set)  # read into it from inside a transaction
    uncommitted_terms: bool = False


_unseen = _Unseen()


def forget():
    global _index
    _index = None
    _unseen.documents.clear()
    _unseen.uncommitted = set()
    _unseen.terms = _unseen.uncommitted_terms = False


def current_version():
    """The number of the latest change in the log (0 before the first)."""
    return PublicChange.objects.aggregate(latest=Max("pk"))["latest"] or 0


def public_index():
    """This process's index, with every change logged since it was made applied first.

    One query per request reads the log past the index's number (and any number skipped before
    it, which a transaction still committing may fill: PostgreSQL hands out numbers before
    commit). Changes naming documents are applied as a delta (`PublicIndex.patched`); a bulk
    change, or an index older than the log keeps, is a rebuild.
    """
    global _index
    with _lock:
        index = _index
        if index is None or time.monotonic() - index.polled > KEEP_CHANGES_SECONDS / 2:
            version = current_version()
            _index = index = PublicIndex.build(version)
            _unseen.documents.clear()
            _unseen.uncommitted = set()
            _unseen.terms = _unseen.uncommitted_terms = False
        index.polled = time.monotonic()
        waiting = [n for n, since in index.gaps.items() if time.monotonic() - since < GAP_SECONDS]
        rows = PublicChange.objects.filter(Q(pk__gt=index.version) | Q(pk__in=waiting))
        rows = list(rows.order_by("pk").values_list("pk", "documents", "everything", "terms"))
        documents, terms = set(_unseen.documents), _unseen.terms
        _unseen.documents.clear()
        _unseen.terms = False
        if connection.in_atomic_block:
            # Read inside the writer's transaction, which may yet roll back: read again by the
            # first request outside one (a committed write is in the log anyway).
            _unseen.uncommitted |= documents
            _unseen.uncommitted_terms |= terms
        else:
            documents |= _unseen.uncommitted
            terms |= _unseen.uncommitted_terms
            _unseen.uncommitted = set()
            _unseen.uncommitted_terms = False
        if not rows and not documents and not terms:
            return index
        if any(everything for _pk, _documents, everything, _terms in rows):
            _index = PublicIndex.build(max(pk for pk, *_rest in rows))
            _index.polled = time.monotonic()
            return _index
        for _pk, logged, _everything, logged_terms in rows:
            documents.update(logged)
            terms |= logged_terms
        version = max([index.version, *(pk for pk, *_rest in rows)])
        gaps = {n: since for n, since in index.gaps.items() if n in waiting}
        gaps.update(
            (n, time.monotonic())
            for n in set(range(index.version + 1, version)) - {pk for pk, *_rest in rows}
        )
        for pk, *_rest in rows:
            gaps.pop(pk, None)
        started = time.perf_counter()
        if len(documents) > DELTA_LIMIT:
            _index = PublicIndex.build(version)
        else:
            _index = index.patched(version, documents, terms_changed=terms)
            logger.info(
                "Public index: applied the change log up to #%s as a delta, %d document(s) "
                "read again, in %.1f ms.",
                version,
                len(documents),
                (time.perf_counter() - started) * 1000,
            )
        _index.gaps = gaps
        _index.polled = time.monotonic()
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
        if len(term_ids) == 1:  # one collection, one subject: 0.3 ms where isin takes 1.1
            return self.doc[self.term == term_ids[0]]
        return self.doc[np.isin(self.term, term_ids)]

    def counts(self, mask):
        return np.bincount(self.term[np.take(mask, self.doc)], minlength=self.size)


class PublicIndex:
    def __init__(self, version, ids, columns, links, contributions, public_terms):
        self.version = version  # the number of the last change in the log it holds
        self.gaps = {}  # {number skipped in the log: when first seen}
        self.polled = time.monotonic()
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
        return cls.from_rows(version, _read(), _public_terms())

    @classmethod
    def from_rows(cls, version, rows, public_terms):
        """The index of `rows` (from `_read`, in document ids): positions, links, role links."""
        ids, columns = rows.ids, rows.columns

        def located(packed):
            doc_pos, found = _locate(ids, packed // SHIFT)
            return doc_pos[found], (packed % SHIFT)[found].astype(np.int32), found

        links = {}
        for link in LINKS:
            doc, terms, _found = located(rows.links[link.name])
            links[link.name] = Links(doc, terms, int(terms.max()) + 1 if len(terms) else 1)
        contributions = {}
        for people in PEOPLE:
            packed, role_numbers = rows.people[people.name]
            doc, person, found = located(packed)
            role = role_numbers[found].astype(np.int8)
            contributions[people.name] = (doc, person, role)
            roles = people.roles
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
        return cls(version, ids, columns, links, contributions, public_terms)

    def rows(self):
        """This index as `_read` gives it (document ids, not positions): what a delta splices."""
        links = {
            link.name: self.ids[self.links[link.name].doc] * SHIFT + self.links[link.name].term
            for link in LINKS
        }
        people = {}
        for declaration in PEOPLE:
            doc, person, role = self.contributions[declaration.name]
            people[declaration.name] = (self.ids[doc] * SHIFT + person, role.astype(np.int64))
        return Rows(self.ids, dict(self.columns), links, people)

    def rows_of(self, documents):
        """The rows of `documents` (sorted ids) alone, read from the arrays by position."""
        where_found, found = _locate(self.ids, documents)
        positions = where_found[found]
        links = {}
        for link in LINKS:
            chosen = self.links[link.name]
            rows = np.isin(chosen.doc, positions)
            links[link.name] = self.ids[chosen.doc[rows]] * SHIFT + chosen.term[rows]
        people = {}
        for declaration in PEOPLE:
            doc, person, role = self.contributions[declaration.name]
            rows = np.isin(doc, positions)
            people[declaration.name] = (
                self.ids[doc[rows]] * SHIFT + person[rows],
                role[rows].astype(np.int64),
            )
        columns = {name: values[positions] for name, values in self.columns.items()}
        return Rows(self.ids[positions], columns, links, people)

    def _replaced(self, version, fresh, public_terms):
        """A new index on the same published documents, with the rows of `fresh`'s replaced."""
        positions, _found = _locate(self.ids, fresh.ids)
        columns = {}
        for name, values in self.columns.items():
            columns[name] = values.copy()
            columns[name][positions] = fresh.columns[name]

        def replaced(old, doc, term, size=None):
            keep = ~np.isin(old.doc, positions)
            largest = int(term.max()) + 1 if len(term) else 1
            return Links(
                np.concatenate((old.doc[keep], doc.astype(np.int32))),
                np.concatenate((old.term[keep], term.astype(np.int32))),
                size or max(old.size, largest),
            )

        def located(packed):
            doc, found = _locate(self.ids, packed // SHIFT)
            return doc[found], (packed % SHIFT)[found], found

        links = dict(self.links)
        for link in LINKS:
            doc, term, _found = located(fresh.links[link.name])
            links[link.name] = replaced(self.links[link.name], doc, term)
        contributions = dict(self.contributions)
        for people in PEOPLE:
            packed, role_numbers = fresh.people[people.name]
            doc, person, found = located(packed)
            person, role = person.astype(np.int32), role_numbers[found].astype(np.int8)
            old_doc, old_person, old_role = self.contributions[people.name]
            keep = ~np.isin(old_doc, positions)
            contributions[people.name] = (
                np.concatenate((old_doc[keep], doc)),
                np.concatenate((old_person[keep], person)),
                np.concatenate((old_role[keep], role)),
            )
            chosen = _distinct(doc.astype(np.int64) * SHIFT + person)
            links[people.name] = replaced(self.links[people.name], chosen // SHIFT, chosen % SHIFT)
            roles = len(people.roles)
            known = role >= 0
            packed_roles = _distinct(doc[known].astype(np.int64) * roles + role[known])
            links[people.role_name] = replaced(
                self.links[people.role_name], packed_roles // roles, packed_roles % roles, roles
            )
        return PublicIndex(version, self.ids, columns, links, contributions, public_terms)

    def patched(self, version, documents, *, terms_changed):
        """A new index: this one with `documents` (ids) read again, and `version` its number.

        Only those documents' rows are read from the database and spliced into the arrays; each
        sort order already made gets them placed by the database's own ORDER BY
        (`_place`). When the documents' rows are what the index holds, and no vocabulary was
        written, the facet counts and derived pages kept with this index stay valid and are kept.
        """
        wanted = np.array(sorted(documents), dtype=np.int64)
        fresh = _read(only=wanted)
        unchanged = self.rows_of(wanted) == fresh and not terms_changed
        if unchanged:
            # The common edit (a title, a summary, a translation): the arrays stay as they are,
            # shared with the index before, and only the orders are checked.
            index = copy.copy(self)
            index.version, index._orders = version, {}
        elif np.array_equal(wanted[np.isin(wanted, self.ids)], fresh.ids):
            # The same documents published (a subject added, a person credited): each array
            # keeps its positions and has these documents' rows replaced.
            public_terms = _public_terms() if terms_changed else self.public_terms
            index = self._replaced(version, fresh, public_terms)
        else:
            spliced = self.rows().without(wanted).joined(fresh)
            public_terms = _public_terms() if terms_changed else self.public_terms
            index = PublicIndex.from_rows(version, spliced, public_terms)
        same_ids = index.ids is self.ids
        placed = set(fresh.ids.tolist())
        for sort, positions in self._orders.items():
            if len(placed) > PLACE_LIMIT:
                break  # many documents: the order is read again when a page needs it
            if same_ids:  # the same ids at the same positions: placed by position
                moved, _found = _locate(self.ids, fresh.ids)
                kept = positions[~np.isin(positions, moved)]
                for document_id, position in zip(fresh.ids.tolist(), moved.tolist(), strict=True):
                    at = _place(self.ids[kept], document_id, sort)
                    kept = np.insert(kept, at, position)
                index._orders[sort] = kept
                continue
            ordered = self.ids[positions]
            ordered = ordered[~np.isin(ordered, wanted)]
            for document_id in sorted(placed):
                ordered = np.insert(ordered, _place(ordered, document_id, sort), document_id)
            where_found, found = _locate(index.ids, ordered)
            index._orders[sort] = where_found[found]
        if unchanged:
            index._facet_counts = self._facet_counts
            index._derived = self._derived
        return index

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

    def nbytes(self):
        """Bytes held by this index's arrays (the orders made so far included)."""
        arrays = [self.ids, *self.columns.values(), *self._orders.values()]
        arrays += [a for links in self.links.values() for a in (links.doc, links.term)]
        arrays += [a for rows in self.contributions.values() for a in rows]
        return sum(a.nbytes for a in arrays)

    def mask_of(self, doc_ids):
        """A mask of the documents among `doc_ids` (ids of unpublished ones are left out)."""
        where_found, found = _locate(self.ids, doc_ids)
        return _mask(len(self.ids), where_found[found])


# Reading the database ----------------------------------------------------------------------------

DELTA_LIMIT = 5_000  # documents a change may name and still be applied as a delta
PLACE_LIMIT = 200  # documents a delta places in each kept order; past it, orders are read again


@dataclass
class Rows:
    """What the index is made of, in document ids: what `_read` gives and a delta splices.

    `ids` are the published documents' ids, sorted, and `columns` one value per id; `links` the
    link rows of each `Link` filter packed as document id * SHIFT + term id; `people` each people
    filter's rows (document id * SHIFT + person id, role number), row-aligned.
    """

    ids: np.ndarray
    columns: dict
    links: dict
    people: dict

    def without(self, documents):
        """These rows less everything of `documents` (sorted ids)."""
        keep = ~np.isin(self.ids, documents)
        return Rows(
            self.ids[keep],
            {name: values[keep] for name, values in self.columns.items()},
            {name: p[~np.isin(p // SHIFT, documents)] for name, p in self.links.items()},
            {
                name: (p[k], r[k])
                for name, (p, r) in self.people.items()
                for k in [~np.isin(p // SHIFT, documents)]
            },
        )

    def only(self, documents):
        """These rows of `documents` alone, in a canonical order (for comparing with `_read`)."""
        keep = np.isin(self.ids, documents)

        def rows_of(packed, *aligned):
            chosen = np.isin(packed // SHIFT, documents)
            order = np.lexsort([a[chosen] for a in aligned][::-1] + [packed[chosen]])
            return (packed[chosen][order], *(a[chosen][order] for a in aligned))

        return Rows(
            self.ids[keep],
            {name: values[keep] for name, values in self.columns.items()},
            {name: rows_of(p)[0] for name, p in self.links.items()},
            {name: rows_of(p, r) for name, (p, r) in self.people.items()},
        )

    def joined(self, other):
        """These rows and `other`'s (of documents not in these), ids kept sorted."""
        ids = np.concatenate((self.ids, other.ids))
        order = np.argsort(ids, kind="stable")
        return Rows(
            ids[order],
            {
                name: np.concatenate((values, other.columns[name]))[order]
                for name, values in self.columns.items()
            },
            {name: np.concatenate((p, other.links[name])) for name, p in self.links.items()},
            {
                name: (
                    np.concatenate((p, other.people[name][0])),
                    np.concatenate((r, other.people[name][1])),
                )
                for name, (p, r) in self.people.items()
            },
        )

    def __eq__(self, other):
        if not isinstance(other, Rows):
            return NotImplemented
        mine, theirs = self.only(self.ids), other.only(other.ids)

        def same(a, b):
            return len(a) == len(b) and bool(np.all(a == b))

        return (
            same(mine.ids, theirs.ids)
            and all(same(v, theirs.columns[n]) for n, v in mine.columns.items())
            and all(same(v, theirs.links[n]) for n, v in mine.links.items())
            and all(
                same(p, theirs.people[n][0]) and same(r, theirs.people[n][1])
                for n, (p, r) in mine.people.items()
            )
        )


def _read(only=None):
    """The published documents' rows the index is made of: all, or those of the ids `only`.

    Each table is read once through narrow queries (`_columns`), by the documents' ids.
    """
    restrict, restrict_params = "", []
    if only is not None:
        restrict_params = [int(i) for i in only]
        restrict = "IN (" + ", ".join(["%s"] * len(restrict_params)) + ")"
        if not restrict_params:
            restrict = "IN (NULL)"
    table = _q(Document._meta.db_table)
    where = f"WHERE {_q('status')} = %s"
    if restrict:
        where += f" AND {_q('id')} {restrict}"
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
        (f"{table} {where}", [Status.PUBLISHED, *restrict_params]),
        order=_q("id") if connection.vendor == "sqlite" else "",
    )
    by_id = np.argsort(ids, kind="stable")  # PostgreSQL's rows come in no particular order
    ids = ids[by_id]
    columns = {name: column[by_id] for name, column in zip(names, values, strict=True)}

    def source(model, document_field):
        sql = _q(model._meta.db_table)
        if restrict:
            sql += f" WHERE {_q(model._meta.get_field(document_field).column)} {restrict}"
        return sql, restrict_params

    links = {}
    for link in LINKS:
        model = link.through
        doc_column = _q(model._meta.get_field(link.document).column)
        term_column = _q(model._meta.get_field(link.term).column)
        (packed,) = _columns(
            [(f"CAST({doc_column} AS BIGINT) * {SHIFT} + {term_column}", [])],
            source(model, link.document),
        )
        if not _unique_together(model, link.document, link.term):
            # A repository may hold two of a document's sources: it counts the document once.
            packed = _distinct(packed)
        links[link.name] = packed

    people_rows = {}
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
                (f"CASE {_q(through.get_field(people.role).column)} {cases} ELSE -1 END", roles),
            ],
            source(people.through, people.document),
            order=_q(through.pk.column) if connection.vendor == "sqlite" else "",
        )
        people_rows[people.name] = (packed, role_numbers)
    return Rows(ids, columns, links, people_rows)


def _public_terms():
    """{filter name: ids of the terms visitors may choose}, for vocabularies kept to published."""
    return {
        name: np.array(vocabulary.terms().values_list("pk", flat=True), dtype=np.int64)
        for name, vocabulary in VOCABULARIES.items()
        if vocabulary.published_only
    }


def _place(ordered, document_id, sort):
    """Where the document goes among `ordered` (ids in the order `sort`), by the database.

    The database orders the document among at most 65 evenly spaced ids of the range it can be
    in, which narrows the range 64 times a query: four queries at a million documents, with the
    collation and NULL placement of the database itself, as `PublicIndex.order` reads them.
    """
    lo, hi = 0, len(ordered)
    order_by = [*SORTS[sort], "pk"]
    while lo < hi:
        step = max(1, (hi - lo) // 64)
        pivots = [int(i) for i in ordered[lo:hi:step]]
        ranked = list(
            Document.objects.filter(pk__in=[*pivots, document_id])
            .order_by(*order_by)
            .values_list("pk", flat=True)
        )
        before = ranked.index(document_id)
        new_lo = lo if before == 0 else lo + (before - 1) * step + 1
        new_hi = hi if before == len(pivots) else lo + before * step
        lo, hi = new_lo, new_hi
        if step == 1:
            break
    return lo


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


@dataclass
class PersonLinks:
    """The published documents naming one person, by role, read from the index's people links.

    What the person page shows visitors: counts per role, the number of documents, and a role's
    documents in an order of the lists. One pass over the index's link arrays (a few
    milliseconds at a million documents) instead of counting and sorting the person's links in
    the database, which took 100 ms and more for a person named in 80,000 documents.
    """

    index: PublicIndex
    declaration: PeopleInRoles
    positions: np.ndarray  # the documents' positions in the index, one per link
    roles: np.ndarray  # each link's role number (declaration.roles)

    @property
    def document_count(self):
        return len(np.unique(self.positions))

    def counts(self):
        """{role value: documents naming the person in that role} (a role at most once each)."""
        numbers = np.bincount(self.roles[self.roles >= 0], minlength=len(self.declaration.roles))
        return {
            value: int(n)
            for (value, _label), n in zip(self.declaration.roles, numbers, strict=True)
        }

    def in_role(self, value):
        """The documents naming the person as `value`, as `find` leaves them (for pages)."""
        number = [v for v, _label in self.declaration.roles].index(value)
        chosen = self.positions[self.roles == number]
        return Found(self.index, _mask(len(self.index.ids), chosen), {})


def person_links(person_id, declaration=PEOPLE[0]):
    """`PersonLinks` of the person `person_id` among the published documents."""
    index = public_index()
    doc, person, role = index.contributions[declaration.name]
    rows = person == person_id
    return PersonLinks(index, declaration, doc[rows], role[rows])


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
    # Whole rows: the API serializes more of each document than a list page shows.
    by_pk = Document.objects.published().select_related("document_type").in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]
