"""Full-text search over documents: one interface, two engines.

SQLite (the embedded default) keeps an FTS5 table, ranked with bm25() and highlighted with
snippet(); PostgreSQL keeps a weighted tsvector per document under a GIN index, ranked with
ts_rank_cd() and highlighted with ts_headline(). Both live in the table ``documents_search``
(created by migration 0002 for the database in use) and are reached through the unmanaged model
``SearchEntry``, so a search is an ordinary join inside the caller's queryset. The public lists
count and facet the matches in memory (``documents.browse.index`` reads the matching ids from this
table alone) and read a relevance-ranked page through ``RankedPages``.

What is indexed, by weight: the title (A); people's names and their variant names (B); the
summary and the archival citations (C); the translation and the transcript (D).

The index is kept current by explicit calls from the models' save and delete paths
(``index_documents``, ``index_documents_of_person``); ``manage.py rebuild_search_index`` rebuilds
it from scratch.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    OuterRef,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.query import ModelIterable
from django.utils.html import escape
from django.utils.safestring import mark_safe

from documents.parsing.search_query import PG_CONFIG, fts5_query

TABLE = "documents_search"
# Private-use characters mark highlighted words in snippets; the text around them is escaped
# before the marks become <mark> tags, so nothing a curator typed can turn into markup.
MARK_START, MARK_END = "\ue000", "\ue001"
BATCH_SIZE = 500


def is_postgresql():
    return connection.vendor == "postgresql"


# Searching -------------------------------------------------------------------------------------


class Relevance(Func):
    """How well a document matches: higher is better (bm25 on SQLite, ts_rank_cd on PostgreSQL)."""

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
        match = fts5_query(self.query)
        in_column = (
            f"(CASE WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s)"
            f" THEN {pk} IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s) ELSE 0 END)"
        )
        sql = f"-bm25({entry}, 10.0, 5.0, 2.0, 2.0, 1.0) * (1 + {in_column} + 0.5 * {in_column})"
        title, people = f"{{title}} : ({match})", f"{{people}} : ({match})"
        return sql, [*params, title, *pk_params, title, people, *pk_params, people]

    def as_postgresql(self, compiler, connection, **extra):
        entry, params = compiler.compile(self.source_expressions[0])
        return f"ts_rank_cd({entry}, websearch_to_tsquery(%s, %s))", [
            *params,
            PG_CONFIG,
            self.query,
        ]


class Snippet(Func):
    """A passage around the matches, marked with MARK_START/MARK_END; render with `highlight()`.

    On SQLite, an expression over a `SearchEntry` (FTS5's snippet()); see `snippet_of_document`.
    """

    output_field = TextField()

    def __init__(self, query):
        super().__init__(F("entry"))
        self.query = query

    # Prefer a passage of the document itself to the title shown above it: the translation and
    # transcript, then the summary, the people, the citations, and the title only as a last resort.
    # (column, words, label): a passage of the translation or transcript, then the summary,
    # then the names or citations that matched (labelled, as they are lists, not prose).
    COLUMNS_BY_PREFERENCE = ((4, 32, ""), (2, 32, ""), (1, 10, "Names: "), (3, 16, "Source: "))

    def as_sqlite(self, compiler, connection, **extra):
        entry, params = compiler.compile(self.source_expressions[0])

        def snippet(column, words):
            sql = f"snippet({entry}, {column}, %s, %s, '…', {words})"
            return sql, [*params, MARK_START, MARK_END]

        cases, case_params = [], []
        for column, words, label in self.COLUMNS_BY_PREFERENCE:
            sql, sql_params = snippet(column, words)
            cases.append(f"WHEN instr({sql}, %s) > 0 THEN %s || {sql}")
            case_params += [*sql_params, MARK_START, label, *sql_params]
        fallback, fallback_params = snippet(-1, 32)
        return (
            f"CASE {' '.join(cases)} ELSE {fallback} END",
            [*case_params, *fallback_params],
        )


class Headline(Func):
    """PostgreSQL's passage around the matches in a document's summary and text (ts_headline)."""

    output_field = TextField()

    def __init__(self, query):
        super().__init__(F("summary"), F("text"))
        self.query = query

    def as_postgresql(self, compiler, connection, **extra):
        summary, summary_params = compiler.compile(self.source_expressions[0])
        text, text_params = compiler.compile(self.source_expressions[1])
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15, "
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        sql = (
            f"ts_headline(%s, concat_ws(' ', {summary}, {text}), websearch_to_tsquery(%s, %s), %s)"
        )
        return sql, [PG_CONFIG, *summary_params, *text_params, PG_CONFIG, self.query, options]


def snippet_of_document(query):
    """An expression for Document rows: the highlighted passage of each, computed row by row.

    On SQLite it is a subquery that reaches the FTS5 table by rowid: joined the other way, the
    planner would walk every match of a common word to find the twenty shown.
    """
    if is_postgresql():
        return Headline(query)
    from documents.models import SearchEntry

    entries = SearchEntry.objects.filter(pk=OuterRef("pk"), entry__matches=query)
    return Subquery(entries.annotate(snippet=Snippet(query)).values("snippet")[:1])


class RankedPages:
    """A search's results that fetch a page in two steps: which documents, then their rows.

    Sorting every match with its whole row (kilobytes of text, on SQLite read from overflow
    pages) is what made a common word slow. A page is chosen from the primary keys and the
    sort keys alone, then its twenty rows are read by primary key, with their snippets. Equal
    relevance is ordered by primary key when choosing the page (reading the dates of every
    match would cost as much as the rows), and by the requested order within the page.
    """

    def __getitem__(self, k):
        if (
            isinstance(k, slice)
            and self._result_cache is None
            and self._iterable_class is ModelIterable
            and not self.query.is_sliced
            and self._ordering()
            and set(self.query.annotations) == {"relevance"}
        ):
            return self._page(k)
        return super().__getitem__(k)

    def _ordering(self):
        if self.query.order_by:
            return tuple(self.query.order_by)
        return tuple(self.model._meta.ordering) if self.query.default_ordering else ()

    def _page(self, k):
        ordering = self._ordering()
        choosing = ("-relevance", "pk") if ordering[0] == "-relevance" else (*ordering, "pk")
        alias = self.db
        chosen = list(self.using(alias).order_by(*choosing).values_list("pk", "relevance")[k])
        if not chosen:
            return []
        rows = self.model._base_manager.using(alias).filter(pk__in=[pk for pk, _ in chosen])
        rows.query.select_related = self.query.select_related
        rows.query.deferred_loading = self.query.deferred_loading
        rows._prefetch_related_lookups = self._prefetch_related_lookups
        relevance = Case(
            *[When(pk=pk, then=Value(score)) for pk, score in chosen],
            output_field=FloatField(),
        )
        rows = rows.annotate(relevance=relevance)
        if self._search_query:
            rows = rows.annotate(search_snippet=snippet_of_document(self._search_query))
        return list(rows.order_by(*ordering))

    def _clone(self):
        clone = super()._clone()
        clone._search_query = getattr(self, "_search_query", "")
        return clone


_RANKED_CLASSES = {}


def _ranked(queryset, query):
    """The queryset, as the RankedPages version of its own class."""
    cls = type(queryset)
    if not issubclass(cls, RankedPages):
        if cls not in _RANKED_CLASSES:
            _RANKED_CLASSES[cls] = type(f"Ranked{cls.__name__}", (RankedPages, cls), {})
        queryset = queryset._chain()
        queryset.__class__ = _RANKED_CLASSES[cls]
    queryset._search_query = query
    return queryset


def search(queryset, query):
    """Narrow a Document queryset to the documents matching `query`, annotated with `relevance`.

    A query with no words in it (only punctuation, say) matches nothing. A slice of the result
    (a page) also carries each document's `search_snippet`.
    """
    if not fts5_query(query):
        return queryset.annotate(relevance=Value(0.0, output_field=FloatField())).none()
    matches = queryset.filter(search_entry__entry__matches=query).annotate(
        relevance=Relevance(query)
    )
    return _ranked(matches, query)


def matching_ids(query):
    """The ids of every document the index matches for `query`, drafts included, from the index
    table alone (callers narrow to what they may show). Usable as a subquery."""
    from documents.models import SearchEntry

    return SearchEntry.objects.filter(entry__matches=query).values_list("document_id", flat=True)


def add_snippets(documents, query):
    """Set `search_snippet` on each of a page of documents, in one query at most.

    Not an annotation on the results: the database would build a snippet for every matching
    row before sorting them, where only one page of them is shown. A page of `search()` results
    has its snippets already.
    """
    from documents.models import Document

    documents = list(documents)
    if not documents or not fts5_query(query):
        return documents
    if all(hasattr(document, "search_snippet") for document in documents):
        return documents
    snippets = dict(
        Document.objects.filter(pk__in=[d.pk for d in documents])
        .annotate(search_snippet=snippet_of_document(query))
        .values_list("pk", "search_snippet")
    )
    for document in documents:
        document.search_snippet = snippets.get(document.pk) or ""
    return documents


def highlight(snippet):
    """Escape a snippet, then turn its match marks into <mark> elements."""
    if not snippet:
        return ""
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - everything but our own marks was escaped above


# Keeping the index current ---------------------------------------------------------------------


def index_documents(document_ids):
    """Write (or rewrite) the index entries of these documents, in a few queries per batch."""
    ids = sorted({i for i in document_ids if i is not None})
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        rows = _index_rows(batch)
        with transaction.atomic(), connection.cursor() as cursor:
            _delete_rows(cursor, batch)
            _insert_rows(cursor, rows)


def index_documents_of_person(person_id):
    """Re-index every document a person is linked to (after a rename or a new variant name)."""
    from documents.models import Contribution

    index_documents(
        Contribution.objects.filter(person_id=person_id).values_list("document_id", flat=True)
    )


def index_documents_citing(repository_id):
    from documents.models import Citation

    index_documents(
        Citation.objects.filter(repository_id=repository_id).values_list("document_id", flat=True)
    )


def remove_documents(document_ids):
    with connection.cursor() as cursor:
        _delete_rows(cursor, list(document_ids))


def rebuild_index():
    """Empty the index and index every document again; return how many were indexed."""
    from documents.models import Document

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
        ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
        index_documents(ids)
    with connection.cursor() as cursor:
        if is_postgresql():
            # Fresh statistics let the planner tell rare words from common ones (migration 0007).
            cursor.execute(f"ANALYZE {TABLE}")
        else:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
    return len(ids)


def _index_rows(document_ids):
    """(id, title, people, summary, citations, body) for each document, in four queries."""
    from documents.models import Citation, Contribution, Document, PersonName

    people = {}
    contributions = Contribution.objects.filter(document_id__in=document_ids).values_list(
        "document_id", "person_id", "person__name", "person__sort_name", "name_as_written"
    )
    person_ids = set()
    for document_id, person_id, name, sort_name, as_written in contributions:
        person_ids.add(person_id)
        people.setdefault(document_id, []).append((person_id, [name, sort_name, as_written]))
    variants = {}
    for person_id, name in PersonName.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "name"
    ):
        variants.setdefault(person_id, []).append(name)
    citations = {}
    for document_id, abbreviation, name, reference in Citation.objects.filter(
        document_id__in=document_ids
    ).values_list("document_id", "repository__abbreviation", "repository__name", "reference"):
        citations.setdefault(document_id, []).append(f"{abbreviation} {name} {reference}")

    rows = []
    for pk, title, summary, text, transcript in Document.objects.filter(
        pk__in=document_ids
    ).values_list("pk", "title", "summary", "text", "transcript"):
        names = []
        for person_id, own in people.get(pk, []):
            names.extend(own)
            names.extend(variants.get(person_id, []))
        people_text = "; ".join(dict.fromkeys(n for n in names if n))
        rows.append(
            (
                pk,
                title,
                people_text,
                summary,
                "; ".join(citations.get(pk, [])),
                f"{text}\n{transcript}",
            )
        )
    return rows


def _delete_rows(cursor, ids):
    if not ids:
        return
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({placeholders})", list(ids))


def _insert_rows(cursor, rows):
    if not rows:
        return
    if is_postgresql():
        vector = " || ".join(
            f"setweight(to_tsvector('{PG_CONFIG}', %s), '{weight}')" for weight in "ABCCD"
        )
        cursor.executemany(f"INSERT INTO {TABLE} (rowid, {TABLE}) VALUES (%s, {vector})", rows)
    else:
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, people, summary, citations, body)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )
