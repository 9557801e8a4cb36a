"""PostgreSQL's full-text search, through django.contrib.postgres.search's expressions.

A weighted tsvector per document (each column of `documents.search.columns` under its weight)
in a table with a GIN index; a visitor's words as `SearchQuery` with web-search syntax;
highlighted with `SearchHeadline` (ts_headline). Ranked in one of two ways, whichever the
database has (`ranks_in_index`, asked once per process):

- with the RUM index of migration 0034 (the `rum` extension): best first is
  ``ORDER BY entry <=> query``, which the index answers from the positions and weights it keeps
  beside its postings, never reading a document's vector; the relevance shown is
  `rum_ts_score`, the inverse of that distance (a cover-density score with the same weights as
  ts_rank_cd's). At a million
  documents a page of a word in 2% of them went from 0.3 s to 0.06 s and of a phrase in 5%
  from 1.1 s to 0.16 s; a word in 90% of them still has every posting scored (1-2 s);
- without it (the extension is not installed): cover density (`SearchRank`, ts_rank_cd), which
  reads the vector of every matching document.

Two statements are written by hand, each earned: the INSERT of index rows (see `write`: the
same vectors through `SearchVector` expressions take twice as long to write), and `ANALYZE`
after a rebuild, which Django has no expression for: with fresh statistics (and the statistics
target of migration 0007) the planner ranks a rare word from its few index entries rather than
every document's vector (0.5 s to under 1 ms at 100,000 documents).

May import: documents.models, documents.parsing, documents.search.columns and .marks.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import F, FloatField, Func, Q, TextField, Value
from django.db.models.functions import Concat

from documents import models
from documents.parsing.search_query import PG_CONFIG
from documents.search.columns import COLUMNS
from documents.search.marks import MARK_END, MARK_START


def websearch_query(query):
    """What a visitor typed, as PostgreSQL reads a web search box: quotes, `or`, a minus."""
    return SearchQuery(query, config=PG_CONFIG, search_type="websearch")


def matches(query, entry):
    """A filter: the index entry reached by the path `entry` matches `query` (``@@``)."""
    return Q(**{entry: websearch_query(query)})


RUM_INDEX = "documents_search_rum"  # migration 0034

_ranks_in_index = {}


def ranks_in_index(using):
    """Whether the database `using` has the RUM index: asked once per process and database."""
    connection = connections[using]
    key = (using, connection.settings_dict["NAME"])
    if key not in _ranks_in_index:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexname = %s",
                [models.SearchEntry._meta.db_table, RUM_INDEX],
            )
            _ranks_in_index[key] = cursor.fetchone() is not None
    return _ranks_in_index[key]


class Distance(Func):
    """RUM's ``entry <=> query``: lower is a better match; an ordering the RUM index answers."""

    arg_joiner = " <=> "
    template = "(%(expressions)s)"
    output_field = FloatField()


class Score(Func):
    """RUM's rum_ts_score(entry, query), 1 / `Distance`: higher is a better match."""

    function = "rum_ts_score"
    output_field = FloatField()


def relevance(query, *, using):
    """An expression for Document rows: how well each matches `query` (higher is better)."""
    if ranks_in_index(using):
        return Score(F("search_entry__entry"), websearch_query(query))
    return SearchRank(F("search_entry__entry"), websearch_query(query), cover_density=True)


def best_first(query, *, using):
    """How a page of Document rows is chosen by `relevance`, best first, ties included.

    With RUM: its distance ascending, the same order as its score descending, with equal
    distances in the index's own order. Breaking those ties by id as well would make PostgreSQL
    score and sort every match from its vector again (18,000 matches of one distance: 9 ms to
    0.5 s), as it cannot read the index's order and sort only within ties here. Without RUM:
    the relevance, then the id.
    """
    if ranks_in_index(using):
        return [Distance(F("search_entry__entry"), websearch_query(query)).asc()]
    return ["-relevance", "pk"]


def snippet(query):
    """An expression for Document rows: passages of the summary and text around the matches."""
    return SearchHeadline(
        Concat("summary", Value(" "), "text", output_field=TextField()),
        websearch_query(query),
        config=PG_CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_END,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def write(rows, *, using):
    """Insert these index rows (`columns.Row`), whose documents have no entry now.

    Hand-written, earned by a measurement: the same weighted vectors through ``bulk_create``
    with a `SearchVector` per column make one statement per batch, but compiling those
    expressions costs more than PostgreSQL's to_tsvector(). Re-indexing 2,000 documents of the
    benchmark's archive (10,000 documents) took 5.9 to 8.6 s that way and 2.2 to 3.8 s as one
    executemany of this INSERT, with 7.5 s of Python time against 1.4 s; every import and edit
    writes through here.
    tests/search/test_backends.py checks that the vectors equal what `SearchVector` builds.
    """
    if not rows:
        return
    vector = " || ".join(
        f"setweight(to_tsvector('{PG_CONFIG}', %s), '{column.weight}')" for column in COLUMNS
    )
    table = models.SearchEntry._meta.db_table
    with connections[using].cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (rowid, {table}) VALUES (%s, {vector})", rows)


@contextmanager
def rebuilding(*, using):
    """Write the whole index inside this block with the RUM index dropped, then build it again.

    Measured: inserted entry by entry, RUM costs about 3 ms a document more than the GIN index
    alone (re-indexing 2,000 documents 2.2-4.0 s without it, 8.6-10.8 s with it; 100,000
    documents took over 8 minutes), while CREATE INDEX reads the finished table in one pass
    (4.5 minutes at 1,000,000 documents). Inside the rebuild's transaction: searches in other
    sessions wait for it to commit, then find the new index.
    """
    if not ranks_in_index(using):
        yield
        return
    with connections[using].cursor() as cursor:
        cursor.execute(f"DROP INDEX {RUM_INDEX}")
    yield
    table = models.SearchEntry._meta.db_table
    with connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute(f"CREATE INDEX {RUM_INDEX} ON {table} USING rum ({table} rum_tsvector_ops)")


def after_rebuild(*, using):
    """Refresh the planner's statistics of the index (see the module's docstring)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"ANALYZE {models.SearchEntry._meta.db_table}")
