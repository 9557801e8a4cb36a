"""How the document list reads a page fast on a large archive, through the admin's own hooks.

The paginator that counts at most CAP rows and picks a page by primary key, the queryset whose
date hierarchy reads years from the date index, the ChangeList that makes the row links once a
page, and the one query that reads every list filter's options. DocumentAdmin and PersonAdmin
plug them in through get_paginator, get_queryset and get_changelist; Django renders the rows
(tests/admin/test_changelists.py compares them with a plain ModelAdmin's). May import
documents.models, documents.search and archive_collections.models.
"""

import datetime
import json

from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR, ChangeList
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Max, Min
from django.urls import reverse
from django.utils.functional import cached_property

from archive_collections.models import Collection
from documents import search
from documents.models import (
    Classification,
    Document,
    DocumentQuerySet,
    DocumentType,
    Language,
    Repository,
)


class CappedCountPaginator(Paginator):
    """Count at most CAP rows, so a page of a 1,000,000-row list never waits on COUNT(*).

    Past the cap, PostgreSQL's planner estimate stands in for the total; elsewhere the list says
    "more than 10,000" and search or filters narrow it down. When a curator asks for a page past
    the cap by number (the last page, say), the list is counted exactly, so that page exists.

    A page is one query: the primary keys of the page, read from a narrow subquery, pick the rows,
    so the database sorts and skips index entries, not rows with 20 KB of text. Pages in the
    second half are read backwards from the end, so the last page skips nothing.
    """

    CAP = 10_000

    def __init__(
        self,
        object_list,
        per_page,
        *args,
        page_number=1,
        rows=None,
        to_count=None,
        known_count=None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.known_count = known_count
        self.page_number = page_number
        self.rows = rows or (lambda ids: object_list.filter(pk__in=ids))
        # The same rows, written so that the database counts them fastest.
        self.to_count = object_list if to_count is None else to_count

    @cached_property
    def count(self):
        self.is_estimate = False
        narrow = self.to_count.order_by().values("pk")
        if (self.page_number - 1) * self.per_page >= self.CAP:
            return narrow.count()
        if self.known_count is not None:
            capped = min(self.known_count, self.CAP + 1)
        else:
            capped = narrow[: self.CAP + 1].count()
        if capped <= self.CAP:
            return capped
        self.is_estimate = True
        return max(self._planner_estimate() or 0, capped)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if not self.is_estimate and bottom > self.count // 2:
            from_end = self.object_list.reverse().values("pk")
            ids = from_end[self.count - top : self.count - bottom]
        else:
            ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.rows(ids), number, self)

    def _planner_estimate(self):
        if connection.vendor != "postgresql":
            return None
        sql, params = self.object_list.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])


class DocumentListQuerySet(DocumentQuerySet):
    """The document list's rows; its date hierarchy reads years without scanning every row."""

    def aggregate(self, *args, **kwargs):
        # The date hierarchy asks the same list for its first and last dates twice (to choose
        # a level, then to list the years); the answer cannot change within one request.
        answers = self.__dict__.setdefault("_aggregates", {})
        key = _aggregate_key(args, kwargs)
        if key not in answers:
            answers[key] = super().aggregate(*args, **kwargs)
        return answers[key]

    def assume_date_span(self, field_name, first, last):
        """Answer the date hierarchy's question about this list's first and last dates."""
        answers = self.__dict__.setdefault("_aggregates", {})
        answers[_date_span_key(field_name)] = {"first": first, "last": last}

    def dates(self, field_name, kind, order="ASC"):
        if kind != "year":
            # The list of one day (a single document, often) needs no query for its days.
            known = self.__dict__.get("_aggregates", {}).get(_date_span_key(field_name))
            if known and known["first"] is not None and known["first"] == known["last"]:
                day = known["first"]
                return [day] if kind == "day" else [day.replace(day=1)]
            return super().dates(field_name, kind, order)
        # Django lists years with SELECT DISTINCT over a date function of every row, which
        # takes seconds on 100,000 documents; the indexed first and last dates take milliseconds.
        bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None:
            return []
        years = range(bounds["first"].year, bounds["last"].year + 1)
        return [datetime.date(year, 1, 1) for year in (years if order == "ASC" else years[::-1])]


def _aggregate_key(args, kwargs):
    return repr((args, sorted(kwargs.items())))


def _date_span_key(field_name):
    return _aggregate_key((), {"first": Min(field_name), "last": Max(field_name)})


class DocumentChangeList(ChangeList):
    """Django's ChangeList, rendered by Django; its row links are made once a page, and a list
    that fits on one page is read like any page (with the paginator's narrow columns)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The row links carry the list's filters themselves (url_for_result): given them apart,
        # Django resolves each of the page's 200 links to learn that it is not the list's own.
        self.row_link_filters, self.preserved_filters = self.preserved_filters, ""

    def url_for_result(self, result):
        # One reverse() a page rather than two a row (the record ID and the title link).
        if not hasattr(self, "_change_url"):
            self._change_url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=["__pk__"],
                current_app=self.model_admin.admin_site.name,
            )
            if self.row_link_filters:
                self._change_url += f"?{self.row_link_filters}"
        return self._change_url.replace("__pk__", quote(str(result.pk)), 1)

    def get_results(self, request):
        super().get_results(request)
        if (self.show_all and self.can_show_all) or not self.multi_page:
            # Django shows a one-page list from the queryset itself; read it like any page.
            self.result_list = self.paginator.rows(self.queryset.values("pk"))
        elif self.result_count > self.paginator.CAP:
            # Past the cap the list spans the archive: its date hierarchy shows the archive's
            # years rather than reading the first and last dates of every matching row.
            first, last = filter_options(request)["dates"]
            self.queryset.assume_date_span(self.model_admin.date_hierarchy, first, last)


def filter_options(request):
    """The options of every filter of the document list that needs the database, in one query.

    Each vocabulary is a few dozen rows, but five filters asking for them separately, plus the
    decades, were six queries on every page of the list; a UNION ALL reads them all at once.
    On SQLite it also counts a search's matches, up to a limit, for the search to pick its plan.
    Returns {"collection": [(pk, label), ...], ..., "dates": (first start date, last start date),
    "matches": how many documents the search matches, up to the count's cap + 1, or None}.
    """
    if hasattr(request, "_document_filter_options"):
        return request._document_filter_options
    quote = connection.ops.quote_name
    sources = [
        ("collection", Collection, "title", "0"),
        ("document_type", DocumentType, "name", "0"),
        ("language", Language, "name", "0"),
        ("classification", Classification, "name", quote("rank")),
        ("repository", Repository, "abbreviation", "0"),
    ]
    parts = [
        f"SELECT '{kind}', {quote('id')}, {quote(label)}, {rank} FROM {quote(model._meta.db_table)}"
        for kind, model, label, rank in sources
    ]
    table = quote(Document._meta.db_table)
    # The first and the latest start date, each read from one end of the date index. (The
    # latest end date would need a scan of every row: 4 ms at 100,000 documents.)
    for kind, aggregate in [("first", "MIN"), ("last", "MAX")]:
        day = f"(SELECT {aggregate}({quote('date_start')}) FROM {table})"
        parts.append(f"SELECT '{kind}', 0, CAST({day} AS TEXT), 0")
    params = []
    term = request.GET.get(SEARCH_VAR, "").strip()
    if connection.vendor == "sqlite" and search.fts5_query(term):
        # How many documents the search matches, up to the count's cap + 1, from the index
        # alone: the search picks its plan by it (see DocumentAdmin.get_search_results).
        matches, params = search.matching_ids(term).query.sql_with_params()
        found = f"SELECT 1 FROM ({matches}) AS matches LIMIT {CappedCountPaginator.CAP + 1}"
        parts.append(f"SELECT 'matches', (SELECT COUNT(*) FROM ({found})), '', 0")
    options = {kind: [] for kind, *_ in sources}
    dates, found_count = {}, None
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for kind, pk, label, rank in cursor.fetchall():
            if kind in ("first", "last"):
                dates[kind] = datetime.date.fromisoformat(str(label)[:10]) if label else None
            elif kind == "matches":
                found_count = pk
            else:
                options[kind].append((-rank, label, pk))
    # Each vocabulary in the order its model lists it (classifications from highest rank down).
    for kind, rows in options.items():
        options[kind] = [(pk, label) for _, label, pk in sorted(rows)]
    options["dates"] = (dates.get("first"), dates.get("last"))
    options["matches"] = found_count
    request._document_filter_options = options
    return options


def page_number(request):
    """The page the changelist will show (Django's `p` parameter), for the paginator's count."""
    try:
        return max(int(request.GET.get(PAGE_VAR, 1)), 1)
    except ValueError:
        return 1
