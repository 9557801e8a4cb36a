"""The curators' workspace: forms, lists, history, publishing and merging in the Django admin."""

import datetime
from types import SimpleNamespace

import reversion
from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value, quote
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR, ChangeList
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Exists, F, Func, Max, Min, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext
from reversion.models import Version

from documents import changes, history, search
from documents.admin.forms import ConflictCheckedForm, DocumentForm, MergeForm, PersonForm, ScanForm
from documents.admin.imports import DocumentImportExportMixin
from documents.models import (
    Citation,
    Classification,
    Contribution,
    Document,
    DocumentQuerySet,
    DocumentType,
    Funding,
    Language,
    Organization,
    Person,
    PersonMerge,
    PersonName,
    Place,
    Repository,
    RightsStatement,
    Scan,
    Status,
    Subject,
)
from documents.parsing.dates import DateParseError, format_edtf, parse_date
from documents.parsing.names import name_key
from documents.workflows import publishing
from documents.workflows.merging import MergeError, merge_people, merge_preview, undo_merge

# Changelists -------------------------------------------------------------------------------------

# Past this many matches, SQLite finds a page of search results faster by walking the list's
# order than by reading and sorting every match.
MANY_MATCHES = 2_000


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
            import json

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
        Django finds it again for each of the 700 cells, a third of the page's time."""
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
            name = admin_list._coerce_field_name(name, index)
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
    from archive_collections.models import Collection

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


class RelatedFilter(admin.SimpleListFilter):
    """A filter on a related record written as a subquery, so lists never need SELECT DISTINCT."""

    related_model = None
    related_field = None

    def lookups(self, request, model_admin):
        return [(str(pk), label) for pk, label in filter_options(request)[self.parameter_name]]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            value = int(self.value())
        except ValueError:
            return queryset.none()
        # "pk IN (subquery)" is read once; a correlated EXISTS can make SQLite scan the whole
        # related table for every document when its planner picks the filter's index.
        matches = self.related_model._default_manager.filter(**{self.related_field: value})
        return queryset.filter(pk__in=matches.values("document_id"))


class VocabularyFilter(admin.RelatedFieldListFilter):
    """Django's filter on a foreign key, with its options read alongside the other filters'."""

    def field_choices(self, field, request, model_admin):
        return filter_options(request)[field.name]


class CollectionFilter(RelatedFilter):
    title = "collection"
    parameter_name = "collection"
    related_field = "collection_id"

    @property
    def related_model(self):
        from archive_collections.models import Collection

        return Collection.documents.through


class LanguageFilter(RelatedFilter):
    title = "original language"
    parameter_name = "language"
    related_model = Document.languages.through
    related_field = "language_id"


class RepositoryFilter(RelatedFilter):
    title = "repository"
    parameter_name = "repository"
    related_model = Citation
    related_field = "repository_id"


class DecadeFilter(admin.SimpleListFilter):
    title = "decade"
    parameter_name = "decade"

    def lookups(self, request, model_admin):
        # From the first to the latest start date: a document of "1989/1991" is found under
        # the 1990s, though that decade is offered only once a document starts in it.
        first, last = filter_options(request)["dates"]
        if first is None or last is None:
            return []
        first, last = first.year // 10 * 10, last.year // 10 * 10
        return [(str(d), f"{d}s") for d in range(last, first - 1, -10)] + [("undated", "Undated")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "undated":
            return queryset.filter(date_start__isnull=True)
        if value and value.isdigit():
            decade = int(value)
            return queryset.filter(date_end__year__gte=decade, date_start__year__lte=decade + 9)
        return queryset


class YearFilter(admin.SimpleListFilter):
    """Years of the chosen decade; shown once a decade is chosen."""

    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        decade = request.GET.get(DecadeFilter.parameter_name, "")
        if not decade.isdigit():
            return []
        return [(str(y), str(y)) for y in range(int(decade), int(decade) + 10)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            year = int(value)
            return queryset.filter(date_end__year__gte=year, date_start__year__lte=year)
        return queryset


def _page_number(request):
    """The page the changelist will show (Django's `p` parameter), for the paginator's count."""
    try:
        return max(int(request.GET.get(PAGE_VAR, 1)), 1)
    except ValueError:
        return 1


def _words(search_term):
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit.strip():
            yield bit


def people_matching(word):
    """People whose name, sort name or any variant contains `word`, accents and case ignored."""
    key = name_key(word)
    variants = PersonName.objects.filter(person=OuterRef("pk")).filter(
        Q(name__icontains=word) | Q(name_key__contains=key)
    )
    return Person.objects.filter(
        Q(name__icontains=word)
        | Q(sort_name__icontains=word)
        | Q(name_key__contains=key)
        | Exists(variants)
    )


# History, conflicts and revert ----------------------------------------------------------------


class HistoryAdmin(admin.ModelAdmin):
    """One revision per save, a history with field-by-field differences, and revert."""

    form = ConflictCheckedForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    object_history_template = "admin/history/object_history.html"
    version_template = "admin/history/version.html"

    def has_revert_permission(self, request, obj=None):
        return request.user.has_perm("documents.revert_document") and self.has_change_permission(
            request, obj
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            self._record_baseline(request, object_id)
        # One revision, and one application of the changes (documents.changes), per save.
        with reversion.create_revision(), changes.batch():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _record_baseline(self, request, object_id):
        """Keep a record's state from before its first admin edit (seeded or imported records)."""
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            return
        history.record_baselines([obj])

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or "Created.")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or "Saved without changes.")
        return entry

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/history/<int:version_id>/",
                self.admin_site.admin_view(self.version_view),
                name=f"{name}_version",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name=f"{name}_revert",
            ),
            *super().get_urls(),
        ]

    def _object_or_404(self, request, object_id):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with ID {object_id}.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _versions(self, obj):
        hidden = PersonMerge.objects.values("before_id")
        return list(history.versions_of(obj).exclude(revision_id__in=hidden))

    def history_view(self, request, object_id, extra_context=None):
        obj = self._object_or_404(request, object_id)
        versions = self._versions(obj)
        rows = []
        for index, version in enumerate(versions):
            merge = PersonMerge.objects.filter(revision_id=version.revision_id).first()
            rows.append({"version": version, "is_current": index == 0, "merge": merge})
        context = {
            **self.admin_site.each_context(request),
            "title": f"History of “{obj}”",
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "rows": rows,
            "can_revert": self.has_revert_permission(request, obj),
            "can_undo_merge": request.user.has_perm("documents.merge_person"),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def _version(self, obj, version_id):
        version = (
            Version.objects.get_for_object(obj)
            .select_related("revision__user")
            .filter(pk=version_id)
            .first()
        )
        if version is None:
            raise Http404("This version does not belong to this record.")
        return version

    def version_view(self, request, object_id, version_id):
        obj = self._object_or_404(request, object_id)
        version = self._version(obj, version_id)
        versions = self._versions(obj)
        older = [v for v in versions if v.revision.date_created < version.revision.date_created]
        previous = older[0] if older else None
        current = versions[0] if versions else None
        is_current = current is not None and current.pk == version.pk
        context = {
            **self.admin_site.each_context(request),
            "title": f"Version of “{obj}”",
            "object": obj,
            "opts": self.opts,
            "version": version,
            "previous": previous,
            "changes": history.diff_versions(previous, version),
            "is_current": is_current,
            "revert_changes": None if is_current else history.diff_versions(current, version),
            "can_revert": self.has_revert_permission(request, obj) and not is_current,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.version_template, context)

    def revert_view(self, request, object_id, version_id):
        obj = self._object_or_404(request, object_id)
        version = self._version(obj, version_id)
        if request.method != "POST" or not self.has_revert_permission(request, obj):
            raise PermissionDenied
        old_status = version.field_dict.get("status")
        if old_status and old_status != getattr(obj, "status", old_status):
            publish_perm = f"{self.opts.app_label}.publish_{self.opts.model_name}"
            if not request.user.has_perm(publish_perm):
                raise PermissionDenied
        history_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk]
        )
        try:
            history.revert_to(version, by=request.user)
        except history.RevertRefused as refusal:
            self.message_user(
                request, f"This version cannot be restored: {refusal}", messages.ERROR
            )
            return HttpResponseRedirect(history_url)
        except IntegrityError as error:
            self.message_user(
                request,
                f"This version cannot be restored: it clashes with another record ({error}).",
                messages.ERROR,
            )
            return HttpResponseRedirect(history_url)
        self.message_user(
            request, f"“{obj}” was reverted to the version you chose.", messages.SUCCESS
        )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )


class PublishingAdmin(HistoryAdmin):
    """Publish, unpublish and withdraw actions, and a status only publishers may set."""

    actions = ["publish_selected", "unpublish_selected", "withdraw_selected"]

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm(f"{self.opts.app_label}.publish_{self.opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request, obj):
            readonly.append("status")
        return readonly

    def _set_status(self, request, queryset, status, verb):
        changed = publishing.set_status(queryset, status=status, by=request.user)
        unchanged = queryset.count() - changed
        noun = self.opts.verbose_name if changed == 1 else self.opts.verbose_name_plural
        message = f"{verb} {changed} {noun}."
        if unchanged:
            message += f" {unchanged} already had that status."
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(permissions=["publish"], description="Publish selected %(verbose_name_plural)s")
    def publish_selected(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "Published")

    @admin.action(
        permissions=["publish"], description="Unpublish selected %(verbose_name_plural)s (to draft)"
    )
    def unpublish_selected(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "Returned to draft")

    @admin.action(permissions=["publish"], description="Withdraw selected %(verbose_name_plural)s")
    def withdraw_selected(self, request, queryset):
        self._set_status(request, queryset, Status.WITHDRAWN, "Withdrew")


# Documents ---------------------------------------------------------------------------------------


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    autocomplete_fields = ["person", "on_behalf_of"]
    fields = ["person", "role", "on_behalf_of", "name_as_written", "order"]
    verbose_name = "person"
    verbose_name_plural = "people and their roles"


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["repository"]
    fields = ["repository", "reference", "fond", "opis", "delo", "folios", "order"]
    readonly_fields = ["fond", "opis", "delo", "folios"]


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["organization", "credited", "order"]


class ScanInline(SortableTabularInline):
    model = Scan
    form = ScanForm
    extra = 0
    fields = ["preview", "file", "caption", "details"]
    readonly_fields = ["preview", "details"]

    @admin.display(description="scan")
    def preview(self, obj):
        if obj.pk and obj.thumbnail:
            return format_html(
                '<a href="{}" target="_blank"><img src="{}" alt="" class="scan-thumb"></a>',
                obj.file.url,
                obj.thumbnail.url,
            )
        return ""

    @admin.display(description="file details")
    def details(self, obj):
        if not obj.pk:
            return ""
        size = f"{obj.width} × {obj.height}" + (" pt" if obj.is_pdf else " px")
        pages = f", {obj.page_count} pages" if obj.page_count > 1 else ""
        return format_html(
            "{} · {} · {:.1f} MB{}<br><small>SHA-256 {}</small>",
            obj.get_media_type_display(),
            size,
            obj.byte_size / (1024 * 1024),
            pages,
            obj.sha256,
        )


# What the list shows and sorts by; not the long texts, nor timestamps to convert.
LIST_COLUMNS = [
    "record_id",
    "title",
    "date_text",
    "date_edtf",
    "date_start",
    "date_end",
    "status",
    "document_type__name",
]


@admin.register(Document)
class DocumentAdmin(DocumentImportExportMixin, SortableAdminBase, PublishingAdmin):
    form = DocumentForm
    # The import and export buttons' template extends this one (django-import-export's
    # ie_base_change_list_template); without naming it, the admin's stock list was used.
    change_list_template = "admin/documents/document/change_list.html"
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_display = ["record_id", "thumbnail", "title", "date_display", "document_type", "status"]
    list_display_links = ["record_id", "title"]
    list_filter = [
        "status",
        CollectionFilter,
        ("document_type", VocabularyFilter),
        LanguageFilter,
        ("classification", VocabularyFilter),
        RepositoryFilter,
        DecadeFilter,
        YearFilter,
    ]
    list_select_related = ["document_type"]
    date_hierarchy = "date_start"
    search_fields = ["title"]  # the real search is get_search_results below
    search_help_text = (
        "Searches titles, record IDs, summaries, citations (e.g. “RGASPI f. 558”), the names "
        "of people linked, including their variant names, and the texts. Whole words; "
        "“quotes” for a phrase."
    )
    autocomplete_fields = ["rights", "subjects", "places", "related", "languages"]
    readonly_fields = [
        "date_understood",
        "first_published_at",
        "created_at",
        "updated_at",
        "history_link",
    ]
    fieldsets = [
        (
            "Date and title",
            {"fields": ["date_text", "date_edtf", "date_understood", "title", "loaded_version"]},
        ),
        ("Text", {"fields": ["text", "summary", "transcript"]}),
        (
            "Document information",
            {
                "fields": [
                    "document_type",
                    "classification",
                    "languages",
                    "rights",
                    "in_collections",
                ]
            },
        ),
        ("Subjects, places and related documents", {"fields": ["subjects", "places", "related"]}),
        (
            "Publication",
            {
                "fields": [
                    "status",
                    "record_id",
                    "slug",
                    "first_published_at",
                    ("created_at", "updated_at"),
                    "history_link",
                ]
            },
        ),
    ]
    inlines = [ContributionInline, CitationInline, FundingInline, ScanInline]

    def get_queryset(self, request):
        queryset = DocumentListQuerySet(self.model, using=self.model._default_manager.db)
        if ordering := self.get_ordering(request):
            queryset = queryset.order_by(*ordering)
        return queryset

    def get_changelist(self, request, **kwargs):
        return DocumentChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        def rows(ids):
            """The page's documents, with only the columns shown, and each one's first scan."""
            first_thumbnail = (
                Scan.objects.filter(document=OuterRef("pk"))
                .order_by("order", "pk")
                .values("thumbnail")
            )
            return (
                DocumentListQuerySet(self.model, using=queryset.db)
                .filter(pk__in=ids)
                .select_related(*self.list_select_related)
                .only(*LIST_COLUMNS)
                .annotate(first_thumbnail=Subquery(first_thumbnail[:1]))
                .order_by(*queryset.query.order_by)
            )

        return self.paginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            page_number=_page_number(request),
            rows=rows,
            to_count=getattr(request, "_document_list_to_count", None),
            known_count=getattr(request, "_document_list_count", None),
        )

    def action_checkbox(self, obj):
        # The same markup Django renders through a form widget template, 100 times a page.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            gettext("Select this object for an action - {}").format(obj),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        document = form.instance
        before = set(document.collections.all())
        after = set(form.cleaned_data.get("in_collections") or [])
        if before != after:
            document.collections.set(after)
            # Membership is stored on the collection, so it shows in the collections' history.
            for collection in before ^ after:
                reversion.add_to_revision(collection)

    def get_search_results(self, request, queryset, search_term):
        """Search the full-text index, and record IDs exactly."""
        term = search_term.strip()
        if not term:
            return queryset, False
        by_record_id = Q(record_id=int(term)) if term.isdigit() else Q(pk__in=[])
        if not search.fts5_query(term):
            return queryset.filter(by_record_id), False
        matches = search.matching_ids(term)
        found_count = filter_options(request)["matches"]
        if found_count is not None and found_count > CappedCountPaginator.CAP:
            if not queryset.query.has_filters() and not term.isdigit():
                # Past the cap, the index's own count stands for the list's (which would read
                # the matches a second time) and is shown as "about" as any count past it.
                request._document_list_count = found_count
        if found_count is not None and found_count > MANY_MATCHES:
            # Given "id IN (...)", SQLite reads every match by primary key and sorts them all
            # for one page (50 ms for 18,000 matches). Given "+id IN (...)", it walks the
            # list's date index and stops after a page (4 ms), which is slower only for a few
            # matches.
            found = Q(In(Func(F("pk"), template="+%(expressions)s"), matches))
        else:
            found = Q(pk__in=matches)
        if connection.vendor == "postgresql":
            # Counting up to the cap, PostgreSQL expects to stop early and reads the matches
            # through the index's primary key, testing (and decompressing) every entry: 175 ms
            # for a common surname at 100,000 documents. OFFSET 0 makes it take the GIN index
            # first (40 ms). The page itself is found faster without it (8 ms against 160).
            sql, params = matches.query.sql_with_params()
            fenced = Q(pk__in=RawSQL(f"{sql} OFFSET 0", params))
            request._document_list_to_count = queryset.filter(by_record_id | fenced)
        return queryset.filter(by_record_id | found), False

    @admin.display(description="collections")
    def in_collections(self, obj):
        """Shown instead of the field to roles that may only view."""
        return ", ".join(str(c) for c in obj.collections.all()) if obj and obj.pk else ""

    @admin.display(description="scan")
    def thumbnail(self, obj):
        name = getattr(obj, "first_thumbnail", None)
        if not name:
            return ""
        url = Scan._meta.get_field("thumbnail").storage.url(name)
        return format_html('<img src="{}" alt="" class="scan-thumb" loading="lazy">', url)

    @admin.display(description="date", ordering="date_start")
    def date_display(self, obj):
        return obj.date_display

    @admin.display(description="how the date was understood")
    def date_understood(self, obj):
        if obj is None or obj.pk is None:
            return "Shown once the date is entered."
        return describe_date(obj.date_edtf, obj.date_start, obj.date_end)

    @admin.display(description="history")
    def history_link(self, obj):
        if obj is None or obj.pk is None:
            return ""
        url = reverse("admin:documents_document_history", args=[obj.pk])
        return format_html('<a href="{}">Every change to this document, with differences</a>', url)

    def get_urls(self):
        return [
            path(
                "read-date/",
                self.admin_site.admin_view(self.read_date_view),
                name="documents_document_read_date",
            ),
            *super().get_urls(),
        ]

    def read_date_view(self, request):
        """Tell the form, as the curator types, how a date will be understood."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        text = request.GET.get("text", "")
        try:
            parsed = parse_date(text)
        except DateParseError as error:
            return JsonResponse({"ok": False, "error": str(error)})
        return JsonResponse(
            {
                "ok": True,
                "edtf": parsed.edtf,
                "description": describe_date(parsed.edtf, parsed.start, parsed.end),
            }
        )


def describe_date(edtf, start, end):
    if not edtf:
        return "Undated (sorted after dated documents)."
    if start == end:
        span = f"on {start:%-d %B %Y}"
    else:
        span = f"between {_day(start)} and {_day(end)}"
    return f"{format_edtf(edtf)} — EDTF {edtf}, {span}."


def _day(value):
    return "open" if value is None else f"{value:%-d %B %Y}"


# People -----------------------------------------------------------------------------------------


class PersonNameInline(admin.TabularInline):
    model = PersonName
    extra = 1
    fields = ["name", "kind"]


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    form = PersonForm
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_display = ["name", "sort_name", "life_dates", "variant_names"]
    search_fields = ["name"]  # the real search is get_search_results below
    search_help_text = "Searches names, sort names and variant names, ignoring accents and case."
    actions = ["merge_selected"]
    inlines = [PersonNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("variants")

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return self.paginator(
            queryset, per_page, orphans, allow_empty_first_page, page_number=_page_number(request)
        )

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None:
            fields = [f for f in fields if f != "create_anyway"]
        return fields

    def get_search_results(self, request, queryset, search_term):
        for word in _words(search_term):
            queryset = queryset.filter(pk__in=people_matching(word).values("pk"))
        return queryset, False

    @admin.display(description="variant names")
    def variant_names(self, obj):
        return "; ".join(v.name for v in obj.variants.all())

    def has_merge_permission(self, request):
        return request.user.has_perm("documents.merge_person")

    @admin.action(permissions=["merge"], description="Merge selected people (preview first)")
    def merge_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('admin:documents_person_merge')}?ids={ids}")

    def get_urls(self):
        return [
            path(
                "merge/", self.admin_site.admin_view(self.merge_view), name="documents_person_merge"
            ),
            path(
                "merges/<int:merge_id>/undo/",
                self.admin_site.admin_view(self.undo_merge_view),
                name="documents_person_undo_merge",
            ),
            *super().get_urls(),
        ]

    def merge_view(self, request):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        raw = request.POST.get("ids") or request.GET.get("ids", "")
        ids = [int(pk) for pk in raw.split(",") if pk.strip().isdigit()]
        people = list(Person.objects.filter(pk__in=ids).prefetch_related("variants"))
        changelist = reverse("admin:documents_person_changelist")
        if len(people) < 2:
            self.message_user(request, "Choose at least two people to merge.", messages.WARNING)
            return HttpResponseRedirect(changelist)
        form = MergeForm(request.POST or None, people=people)
        preview = None
        if request.method == "POST" and form.is_valid():
            keep = form.cleaned_data["keep"]
            if "confirm" in request.POST:
                try:
                    merge = merge_people(
                        keep, duplicates=form.duplicates(), by=request.user, take=form.take()
                    )
                except MergeError as error:
                    self.message_user(request, str(error), messages.ERROR)
                    return HttpResponseRedirect(changelist)
                self.message_user(request, f"{merge.summary} It can be undone from its history.")
                return HttpResponseRedirect(
                    reverse("admin:documents_person_change", args=[merge.kept_id])
                )
            preview = merge_preview(keep, duplicates=form.duplicates(), take=form.take())
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge duplicate people",
            "opts": self.opts,
            "form": form,
            "people": people,
            "ids": ",".join(str(p.pk) for p in people),
            "preview": preview,
            "links": {p.pk: Contribution.objects.filter(person=p).count() for p in people},
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/documents/person/merge.html", context)

    def undo_merge_view(self, request, merge_id):
        merge = get_object_or_404(PersonMerge, pk=merge_id)
        if not self.has_merge_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            try:
                with transaction.atomic():
                    restored = undo_merge(merge, by=request.user)
            except MergeError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                names = ", ".join(f"“{p}”" for p in restored)
                self.message_user(request, f"Merge undone: {names} restored.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:documents_person_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Undo a merge",
            "opts": self.opts,
            "merge": merge,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/documents/person/undo_merge.html", context)


# Authorities and vocabularies -------------------------------------------------------------------


@admin.register(Repository)
class RepositoryAdmin(HistoryAdmin):
    list_display = ["abbreviation", "name", "place"]
    search_fields = ["abbreviation", "name"]


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    list_display = ["name", "abbreviation"]
    search_fields = ["name", "abbreviation"]


@admin.register(RightsStatement)
class RightsStatementAdmin(HistoryAdmin):
    list_display = ["title", "is_default", "uri"]
    search_fields = ["title", "text"]


@admin.register(Language)
class LanguageAdmin(HistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(DocumentType, Subject, Place)
class TermAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Classification)
class ClassificationAdmin(HistoryAdmin):
    list_display = ["name", "rank"]
    search_fields = ["name"]
