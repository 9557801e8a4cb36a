"""Full-text search over documents: the one interface every caller uses.

Searching (`search`, `matching_ids`, `add_snippets`, `highlight`) and keeping the index current
(`index_documents`, `remove_documents`, `rebuild_index`), called by `documents.changes`, which
knows which documents a write touched. Each call is served by the backend of the database it
runs on:

- `backends/sqlite.py`: an FTS5 table, ranked with bm25() and highlighted with snippet(), in
  hand-written SQL (Django has no FTS5 expressions);
- `backends/postgres.py`: a weighted tsvector per document under a GIN index, searched through
  django.contrib.postgres.search (SearchQuery, SearchRank, SearchHeadline).

What is indexed, and under which weight, is declared once in `columns.py`: the title (A);
people's names and their variant names, and the subjects, places, published collections and
funders (B); the summary and the archival citations (C); the translation and the transcript
(D). Either engine keeps its entries in the table ``documents_search`` (created by migration
0005 for the database in use, remade by 0014), reached through the unmanaged model
``SearchEntry``, so a search is an ordinary join inside the caller's queryset.
The public lists count and facet the matches in memory (``documents.browse.index`` reads the
matching ids from this table alone) and read a relevance-ranked page through `pages.RankedPages`.

``manage.py rebuild_search_index`` rebuilds the index from scratch.

May import: documents.models, documents.parsing and its own modules; never a view, the admin,
the public index or the cache.
"""

from __future__ import annotations

from django.db import router, transaction
from django.db.models import FloatField, Value

from documents import models
from documents.parsing.search_query import fts5_query
from documents.search.backends import backend
from documents.search.columns import index_rows
from documents.search.marks import MARK_END, MARK_START, highlight
from documents.search.pages import ranked

__all__ = [
    "MARK_END",
    "MARK_START",
    "add_snippets",
    "fts5_query",
    "highlight",
    "index_documents",
    "matching_ids",
    "rebuild_index",
    "remove_documents",
    "search",
]

BATCH_SIZE = 500


# Searching -------------------------------------------------------------------------------------


def search(queryset, query):
    """Narrow a Document queryset to the documents matching `query`, annotated with `relevance`.

    A query with no words in it (only punctuation, say) matches nothing. A slice of the result
    (a page) also carries each document's `search_snippet`.
    """
    if not fts5_query(query):
        return queryset.annotate(relevance=Value(0.0, output_field=FloatField())).none()
    engine = backend(queryset.db)
    matches = queryset.filter(engine.matches(query, "search_entry__entry")).annotate(
        relevance=engine.relevance(query, using=queryset.db)
    )
    return ranked(matches, query)


def matching_ids(query):
    """The ids of every document the index matches for `query`, drafts included, from the index
    table alone (callers narrow to what they may show). Usable as a subquery."""
    entries = models.SearchEntry.objects.all()
    return entries.filter(backend(entries.db).matches(query, "entry")).values_list(
        "document_id", flat=True
    )


def add_snippets(documents, query):
    """Set `search_snippet` on each of a page of documents, in one query at most.

    Not an annotation on the results: the database would build a snippet for every matching
    row before sorting them, where only one page of them is shown. A page of `search()` results
    has its snippets already.
    """
    documents = list(documents)
    if not documents or not fts5_query(query):
        return documents
    if all(hasattr(document, "search_snippet") for document in documents):
        return documents
    page = models.Document.objects.filter(pk__in=[d.pk for d in documents])
    snippets = dict(
        page.annotate(search_snippet=backend(page.db).snippet(query)).values_list(
            "pk", "search_snippet"
        )
    )
    for document in documents:
        document.search_snippet = snippets.get(document.pk) or ""
    return documents


# Keeping the index current ---------------------------------------------------------------------


def index_documents(document_ids):
    """Write (or rewrite) the index entries of these documents, in a few queries per batch."""
    using = router.db_for_write(models.SearchEntry)
    engine = backend(using)
    ids = sorted({i for i in document_ids if i is not None})
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        rows = index_rows(batch, using=using)
        with transaction.atomic(using=using):
            models.SearchEntry.objects.using(using).filter(pk__in=batch).delete()
            engine.write(rows, using=using)


def remove_documents(document_ids):
    """Take these documents' entries out of the index (after the documents were deleted)."""
    ids = [i for i in document_ids if i is not None]
    if ids:
        using = router.db_for_write(models.SearchEntry)
        models.SearchEntry.objects.using(using).filter(pk__in=ids).delete()


def rebuild_index():
    """Empty the index and index every document again; return how many were indexed."""
    using = router.db_for_write(models.SearchEntry)
    engine = backend(using)
    with transaction.atomic(using=using), engine.rebuilding(using=using):
        models.SearchEntry.objects.using(using).all().delete()
        ids = list(models.Document.objects.using(using).order_by("pk").values_list("pk", flat=True))
        index_documents(ids)
    engine.after_rebuild(using=using)
    return len(ids)
