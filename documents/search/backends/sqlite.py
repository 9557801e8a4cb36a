"""SQLite's full-text search: an FTS5 table, ranked with bm25() and highlighted with snippet().

Django has no expressions for FTS5, so this module writes its SQL by hand: the ranking, the
snippet, the insert and the 'optimize' command (the MATCH lookup is registered with the field, in
`documents.models.search_entry`). The table's columns are `documents.search.columns.COLUMNS`,
in order.

May import: documents.models, documents.parsing, documents.search.columns and .marks.
"""

from __future__ import annotations

from contextlib import nullcontext

from django.db import connections
from django.db.models import F, FloatField, Func, OuterRef, Q, Subquery, TextField

from documents import models
from documents.parsing.search_query import fts5_query
from documents.search.columns import COLUMNS, NAMES, position
from documents.search.marks import MARK_END, MARK_START

# bm25()'s weight for each of PostgreSQL's weight letters, given in the table's column order.
BM25_WEIGHTS = {"A": 10.0, "B": 5.0, "C": 2.0, "D": 1.0}


def table():
    return models.SearchEntry._meta.db_table


def matches(query, entry):
    """A filter: the index entry reached by the path `entry` matches `query`."""
    return Q(**{f"{entry}__matches": query})


class Relevance(Func):
    """How well a document matches: higher is better."""

    output_field = FloatField()

    def __init__(self, query):
        super().__init__(F("search_entry__entry"), F("pk"))
        self.query = query

    def as_sqlite(self, compiler, connection, **extra):
        entry, params = compiler.compile(self.source_expressions[0])
        pk, pk_params = compiler.compile(self.source_expressions[1])
        # bm25() is lower for better matches; the weights follow the index's column order. FTS5
        # weighs the columns before normalizing for the whole row's length, so a long letter
        # whose title names the person searched for could rank below a short note that mentions
        # him: a match in the title doubles the score, a match in the people's names adds half.
        # Each is one more full-text query, run once, not a look at every matching row; when no
        # title (or name) matches at all, as for a common word, no row is looked up in it.
        match, t = fts5_query(self.query), table()
        in_column = (
            f"(CASE WHEN EXISTS (SELECT 1 FROM {t} WHERE {t} MATCH %s)"
            f" THEN {pk} IN (SELECT rowid FROM {t} WHERE {t} MATCH %s) ELSE 0 END)"
        )
        weights = ", ".join(str(BM25_WEIGHTS[column.weight]) for column in COLUMNS)
        sql = f"-bm25({entry}, {weights}) * (1 + {in_column} + 0.5 * {in_column})"
        title, people = f"{{title}} : ({match})", f"{{people}} : ({match})"
        return sql, [*params, title, *pk_params, title, people, *pk_params, people]


def relevance(query, *, using):
    """An expression for Document rows: how well each matches `query`."""
    return Relevance(query)


def best_first(query, *, using):
    """How a page of Document rows is chosen by `relevance`, best first: ties by id."""
    return ["-relevance", "pk"]


class Snippet(Func):
    """A passage around the matches, marked with MARK_START/MARK_END; an expression over a
    `SearchEntry` (FTS5's snippet())."""

    output_field = TextField()

    # Prefer a passage of the document itself to the title shown above it: (column, words,
    # label): the translation and transcript, then the summary, then the names, index terms or
    # citations that matched (labelled, as they are lists, not prose); the title only as a
    # last resort.
    COLUMNS_BY_PREFERENCE = (
        ("body", 32, ""),
        ("summary", 32, ""),
        ("people", 10, "Names: "),
        ("terms", 10, "Indexed under: "),
        ("citations", 16, "Source: "),
    )

    def __init__(self, query):
        super().__init__(F("entry"))
        self.query = query

    def as_sqlite(self, compiler, connection, **extra):
        entry, params = compiler.compile(self.source_expressions[0])

        def snippet(column, words):
            sql = f"snippet({entry}, {column}, %s, %s, '…', {words})"
            return sql, [*params, MARK_START, MARK_END]

        cases, case_params = [], []
        for name, words, label in self.COLUMNS_BY_PREFERENCE:
            sql, sql_params = snippet(position(name), words)
            cases.append(f"WHEN instr({sql}, %s) > 0 THEN %s || {sql}")
            case_params += [*sql_params, MARK_START, label, *sql_params]
        fallback, fallback_params = snippet(-1, 32)
        return (
            f"CASE {' '.join(cases)} ELSE {fallback} END",
            [*case_params, *fallback_params],
        )


def snippet(query):
    """An expression for Document rows: the highlighted passage of each, computed row by row.

    A subquery that reaches the FTS5 table by rowid: joined the other way, the planner would
    walk every match of a common word to find the twenty shown.
    """
    entries = models.SearchEntry.objects.filter(pk=OuterRef("pk"), entry__matches=query)
    return Subquery(entries.annotate(snippet=Snippet(query)).values("snippet")[:1])


def write(rows, *, using):
    """Insert these index rows (`columns.Row`), whose documents have no entry now.

    One executemany of a plain INSERT: the FTS5 table has no model fields for its columns.
    """
    if not rows:
        return
    placeholders = ", ".join(["%s"] * (len(NAMES) + 1))
    with connections[using].cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table()} (rowid, {', '.join(NAMES)}) VALUES ({placeholders})", rows
        )


def rebuilding(*, using):
    """The block that writes the whole index: nothing to prepare in FTS5."""
    return nullcontext()


def after_rebuild(*, using):
    """Merge the index's segments into one after a rebuild (FTS5's 'optimize' command)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"INSERT INTO {table()}({table()}) VALUES ('optimize')")
