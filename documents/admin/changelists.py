"""How the document list reads a page fast on a large archive, through the admin's own hooks.

The paginator that counts at most CAP rows and picks a page by primary key, the queryset whose
date hierarchy reads years from the date index, the ChangeList that reads a one-page list like
any page, and the one query that reads every list filter's options. DocumentAdmin and PersonAdmin
plug them in through get_paginator, get_queryset and get_changelist. May import documents.models,
documents.search and archive_collections.models.
"""

import datetime
import json
from types import SimpleNamespace

from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value, quote
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR, ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import Max, Min
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

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
    def url_for_result(self, result):
        # One reverse() a page rather than two a row (the record ID and the title link).
        if not hasattr(self, "_change_url"):
            self._change_url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=["__pk__"],
                current_app=self.model_admin.admin_site.name,
            )
        return self._change_url.replace("__pk__", quote(str(result.pk)), 1)

    def result_list_context(self):
        """What Django's {% result_list %} tag gives its template, with faster rows."""
        headers = list(admin_list.result_headers(self))
        return {
            "cl": self,
            "result_hidden_fields": list(admin_list.result_hidden_fields(self)),
            "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
            "results": list(self.result_rows()),
        }

    def result_rows(self):
        """The page's rows as Django's admin_list.items_for_result renders them, with what is the
        same on every row (each column's field or function, classes and link) found once a page:
        Django finds it again for each of the 700 cells, a third of the page's time.

        Kept hand-written because a measurement earns it: rendered by Django's own result_list,
        the list took 1.25-1.35 times the CPU time a page (about +8-12 ms on 29-37 ms pages, at
        10,000 documents, one process alternating the two renderers). The rows are the same:
        tests/admin/test_changelists.py compares every cell with a plain ModelAdmin's rendering.
        A column this cannot render (a model method or property) falls back to Django's."""
        if self.formset or self.is_popup or self.to_field:
            yield from admin_list.results(self)
            return
        model_admin, empty = self.model_admin, self.model_admin.get_empty_value_display()
        # A stand-in primary key that admin's quote() leaves alone; the first one is the path's.
        sentinel = "ROWPK"
        link = add_preserved_filters(
            {"preserved_filters": self.preserved_filters, "opts": self.opts},
            self.url_for_result(SimpleNamespace(**{"pk": sentinel, self.pk_attname: sentinel})),
        )
        link = conditional_escape(link)
        cells, first = [], True
        for index, name in enumerate(self.list_display):
            if self.list_display_links is None:
                is_link = False
            else:
                is_link = (first and not self.list_display_links) or name in self.list_display_links
            tag = "th" if is_link and first else "td"
            first = first and not is_link
            name = f"__{index}" if callable(name) else name  # as Django names a callable column
            try:
                field = self.lookup_opts.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is not None and not field.auto_created:
                cell = _field_cell(field, empty, avoid_link=is_link)
                nowrap = isinstance(field, models.DateField | models.TimeField | models.ForeignKey)
            elif field is None and hasattr(model_admin, name):
                function = getattr(model_admin, name)
                cell = _function_cell(function, getattr(function, "empty_value_display", empty))
                nowrap = None  # decided by each value, as Django does
            else:  # a model's method or property, the primary key...: Django's own way
                yield from admin_list.results(self)
                return
            classes = "action-checkbox" if name == "action_checkbox" else f"field-{name}"
            cells.append((cell, tag, classes, nowrap, is_link))
        for result in self.result_list:
            row = []
            for cell, tag, classes, nowrap, is_link in cells:
                value, shown = cell(result)
                shown = conditional_escape(shown)
                if nowrap or (nowrap is None and isinstance(value, datetime.date | datetime.time)):
                    classes = f"{classes} nowrap"
                if is_link:
                    url = link.replace(sentinel, quote(str(result.pk)), 1)
                    shown = f'<a href="{url}">{shown}</a>'
                row.append(SafeString(f'<{tag} class="{classes}">{shown}</{tag}>'))
            yield admin_list.ResultList(None, row)

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


def _function_cell(function, empty):
    """A column computed by the admin: (value, as shown) of a row, as items_for_result has it."""
    boolean = getattr(function, "boolean", False)

    def cell(result):
        value = function(result)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        return value, display_for_value(value, empty, boolean)

    return cell


def _field_cell(field, empty, *, avoid_link):
    """A model field's column: (value, as shown) of a row, as items_for_result has it."""
    if isinstance(field.remote_field, models.ManyToOneRel):

        def cell(result):
            related = getattr(result, field.name)
            return related, empty if related is None else related

    else:

        def cell(result):
            value = getattr(result, field.name)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            return value, display_for_field(value, field, empty, avoid_link=avoid_link)

    return cell


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
