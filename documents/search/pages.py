"""A search's results that fetch a page in two steps: which documents, then their rows.

Shared by both backends: the page is chosen from primary keys and relevance, which every
backend provides as the `relevance` annotation, and its rows get the backend's snippets.

May import: documents.search.backends.
"""

from __future__ import annotations

from django.db.models import Case, FloatField, Value, When
from django.db.models.query import ModelIterable

from documents.search.backends import backend


class RankedPages:
    """Mixed into a Document queryset's class by `ranked()`.

    Sorting every match with its whole row (kilobytes of text, on SQLite read from overflow
    pages) is what made a common word slow. A page is chosen from the primary keys and the
    sort keys alone, then its twenty rows are read by primary key, with their snippets. Best
    first is the backend's `best_first`, the order its index answers (PostgreSQL's RUM index:
    its distance); equal relevance is ordered by primary key when choosing the page (reading
    the dates of every match would cost as much as the rows; with RUM, in the index's order),
    and by the requested order within the page.
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
        alias = self.db
        if ordering[0] == "-relevance":
            choosing = backend(alias).best_first(self._search_query, using=alias)
        else:
            choosing = (*ordering, "pk")
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
            rows = rows.annotate(search_snippet=backend(alias).snippet(self._search_query))
        return list(rows.order_by(*ordering))

    def _clone(self):
        clone = super()._clone()
        clone._search_query = getattr(self, "_search_query", "")
        return clone


_RANKED_CLASSES = {}


def ranked(queryset, query):
    """The queryset, as the RankedPages version of its own class."""
    cls = type(queryset)
    if not issubclass(cls, RankedPages):
        if cls not in _RANKED_CLASSES:
            _RANKED_CLASSES[cls] = type(f"Ranked{cls.__name__}", (RankedPages, cls), {})
        queryset = queryset._chain()
        queryset.__class__ = _RANKED_CLASSES[cls]
    queryset._search_query = query
    return queryset
