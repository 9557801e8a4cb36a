"""PostgreSQL's full-text search, through django.contrib.postgres.search's expressions.

A weighted tsvector per document (`SearchVector`, each column of `documents.search.columns`
under its weight) in a table with a GIN index; a visitor's words as `SearchQuery` with
web-search syntax; ranked by cover density (`SearchRank`, ts_rank_cd); highlighted with
`SearchHeadline` (ts_headline). The only SQL written here is `ANALYZE` after a rebuild, which
Django has no expression for: with fresh statistics (and the statistics target of migration 0007)
the planner ranks a rare word from its few index entries rather than every document's vector
(0.5 s to under 1 ms at 100,000 documents).

May import: documents.models, documents.parsing, documents.search.columns and .marks.
"""

from __future__ import annotations

from functools import reduce
from operator import add

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
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


def vector(row):
    """The weighted tsvector of one index row (`columns.Row`)."""
    return reduce(
        add,
        (
            SearchVector(Value(getattr(row, column.name)), config=PG_CONFIG, weight=column.weight)
            for column in COLUMNS
        ),
    )


def write(rows, *, using):
    """Insert these index rows, whose documents have no entry now, in one statement."""
    models.SearchEntry.objects.using(using).bulk_create(
        models.SearchEntry(document_id=row.document_id, entry=vector(row)) for row in rows
    )


def after_rebuild(*, using):
    """Refresh the planner's statistics of the index (see the module's docstring)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"ANALYZE {models.SearchEntry._meta.db_table}")
