"""The admin lists' filters. The document list's read their options from the one
filter_options query and filter through a subquery, so the list never needs SELECT DISTINCT.
QualityFilter, LastSavedByFilter and ImportStateFilter are also the curators' dashboard's
definitions of its lists (documents/admin/dashboard.py counts what they list). May import
documents.models, documents.history, archive_collections.models and documents.admin.changelists.
"""

from django.contrib import admin

from archive_collections.models import Collection
from documents import history
from documents.admin.changelists import filter_options
from documents.models import Citation, Document


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

    related_model = Collection.documents.through


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
            return queryset.undated()
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


class QualityFilter(admin.SimpleListFilter):
    """What a record lacks: each check, one queryset method, is what the dashboard counts."""

    title = "data quality"
    parameter_name = "quality"
    # value: (what the list shows, which documents)
    checks = {
        "no_summary": ("Published, without a summary", lambda qs: qs.published().without_summary()),
        "no_citation": (
            "Published, without a citation",
            lambda qs: qs.published().without_citation(),
        ),
        "undated": ("Published, without a date", lambda qs: qs.published().undated()),
        "failed_scans": (
            "With a scan that could not be processed",
            lambda qs: qs.with_failed_scans(),
        ),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _rows) in self.checks.items()]

    def queryset(self, request, queryset):
        check = self.checks.get(self.value())
        return check[1](queryset) if check else queryset


class LastSavedByFilter(admin.SimpleListFilter):
    """Records whose latest version in the history was saved by the curator looking."""

    title = "last saved by"
    parameter_name = "saved_by"
    MINE = "me"

    def lookups(self, request, model_admin):
        return [(self.MINE, "Me")]

    def queryset(self, request, queryset):
        if self.value() == self.MINE:
            return history.last_saved_by(queryset, request.user)
        return queryset


class ImportStateFilter(admin.SimpleListFilter):
    """Imports that have not ended: waiting for the worker, or running."""

    title = "state"
    parameter_name = "state"
    ACTIVE = "active"

    def lookups(self, request, model_admin):
        return [(self.ACTIVE, "Waiting or running")]

    def queryset(self, request, queryset):
        if self.value() == self.ACTIVE:
            return queryset.active()
        return queryset
