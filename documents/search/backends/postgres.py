"""PostgreSQL's full-text search, through django.contrib.postgres.search's expressions.

A weighted tsvector per document (each column of `documents.search.columns` under its weight)
in a table with a GIN index; a visitor's words as `SearchQuery` with web-search syntax; ranked by
cover density (`SearchRank`, ts_rank_cd); highlighted with `SearchHeadline` (ts_headline).

Two statements are written by hand, each earned: the INSERT of index rows (see `write`: the
same vectors through `SearchVector` expressions take twice as long to write), and `ANALYZE`
after a rebuild, which Django has no expression for: with fresh statistics (and the statistics
target of migration 0007) the planner ranks a rare word from its few index entries rather than
every document's vector (0.5 s to under 1 ms at 100,000 documents).

May import: documents.models, documents.parsing, documents.search.columns and .marks.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import F, Q, TextField, Value
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


def relevance(query):
    """An expression for Document rows: how well each matches `query` (ts_rank_cd)."""
    return SearchRank(F("search_entry__entry"), websearch_query(query), cover_density=True)


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


def after_rebuild(*, using):
    """Refresh the planner's statistics of the index (see the module's docstring)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"ANALYZE {models.SearchEntry._meta.db_table}")
