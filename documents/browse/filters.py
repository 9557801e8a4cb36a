"""Filters for the public document lists (/documents/ and each collection page).

Every filter lives in the query string under a stable name, so a result page can be bookmarked,
shared and cited: q, date_from, date_to, type, language, person, role, subject, place,
repository, classification, collection, sort and page. Values are slugs or codes (not database
ids), so the same URL keeps meaning the same thing after an export and re-import.

Several values of one filter narrow the results further (documents about Iran *and* oil), except
for a document's one type and one classification, where they widen them (telegrams *or* letters).
"""

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from archive_collections.models import Collection
from documents import search
from documents.models import Citation, Contribution, Document, Status

_PARTIAL_DATE = re.compile(r"^\s*(\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")
_SLUG = re.compile(r"^[-\w.]+$")


class PartialDateField(forms.CharField):
    """A year, a year-month or a day ('1946', '1946-05', '1946-05-08'), cleaned to (first, last)."""

    default_error_messages = {
        "invalid": _("Enter a year (1946), a month (1946-05) or a day (1946-05-08)."),
    }

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = _PARTIAL_DATE.match(value)
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            if month is None:
                return date(year, 1, 1), date(year, 12, 31)
            if day is None:
                first = date(year, month, 1)
                following = date(year + month // 12, month % 12 + 1, 1)
                return first, date.fromordinal(following.toordinal() - 1)
            day_value = date(year, month, day)
            return day_value, day_value
        except ValueError as error:
            raise ValidationError(
                _("%(value)s is not a date in the calendar."),
                code="invalid",
                params={"value": value},
            ) from error


class PartialDateFilter(django_filters.Filter):
    field_class = PartialDateField


class ValueListField(forms.Field):
    """Every value given for one query-string name (?subject=iran&subject=oil)."""

    widget = forms.MultipleHiddenInput

    def clean(self, value):
        values = [v.strip() for v in (value or []) if v and v.strip()]
        for v in values:
            if len(v) > 200 or not _SLUG.match(v):
                raise ValidationError(
                    _("'%(value)s' is not a value this filter knows."), params={"value": v[:50]}
                )
        return list(dict.fromkeys(values))


class ValueListFilter(django_filters.Filter):
    field_class = ValueListField

    def __init__(self, *args, lookup=None, **kwargs):
        self.lookup = lookup
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if self.method is not None:
            return self.method(qs, self.field_name, value)
        return qs.filter(**{f"{self.lookup}__in": value})


def through_exists(model, **conditions):
    """Exists(a row of `model` for the outer document matching `conditions`)."""
    return Exists(model.objects.filter(document_id=OuterRef("pk"), **conditions))


SORTS = {
    "date": [F("date_start").asc(nulls_last=True), F("date_end").asc(nulls_last=True), "title"],
    "-date": [F("date_start").desc(nulls_last=True), F("date_end").desc(nulls_last=True), "title"],
    "title": ["title", "pk"],
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "date": _("Date, oldest first"),
    "-date": _("Date, newest first"),
    "title": _("Title"),
}


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    date_from = PartialDateFilter(label=_("From"), method="filter_date_from")
    date_to = PartialDateFilter(label=_("To"), method="filter_date_to")
    type = ValueListFilter(label=_("Type"), lookup="document_type__slug")
    classification = ValueListFilter(
        label=_("Original classification"), lookup="classification__slug"
    )
    language = ValueListFilter(label=_("Original language"), method="filter_language")
    person = ValueListFilter(label=_("Person"), method="filter_person")
    role = ValueListFilter(label=_("Role"), method="filter_role")
    subject = ValueListFilter(label=_("Subject"), method="filter_subject")
    place = ValueListFilter(label=_("Place"), method="filter_place")
    repository = ValueListFilter(label=_("Repository"), method="filter_repository")
    collection = ValueListFilter(label=_("Collection"), method="filter_collection")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=list(SORT_LABELS.items()),
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Document
        fields = []

    def filter_q(self, qs, name, value):
        return search.search(qs, value)

    def filter_date_from(self, qs, name, value):
        # Approximate and ranged dates match when any day they may mean falls in the range.
        return qs.filter(date_end__gte=value[0])

    def filter_date_to(self, qs, name, value):
        return qs.filter(date_start__lte=value[1])

    def filter_language(self, qs, name, values):
        through = Document.languages.through
        for code in values:
            qs = qs.filter(through_exists(through, language__code=code))
        return qs

    def filter_person(self, qs, name, values):
        roles = self.form.cleaned_data.get("role") or []
        for slug in values:
            conditions = {"person__slug": slug}
            if roles:
                conditions["role__in"] = roles
            qs = qs.filter(through_exists(Contribution, **conditions))
        return qs

    def filter_role(self, qs, name, values):
        if self.form.cleaned_data.get("person"):
            return qs  # narrows the person filter instead
        return qs.filter(through_exists(Contribution, role__in=values))

    def filter_subject(self, qs, name, values):
        for slug in values:
            qs = qs.filter(through_exists(Document.subjects.through, subject__slug=slug))
        return qs

    def filter_place(self, qs, name, values):
        for slug in values:
            qs = qs.filter(through_exists(Document.places.through, place__slug=slug))
        return qs

    def filter_repository(self, qs, name, values):
        for abbreviation in values:
            qs = qs.filter(through_exists(Citation, repository__abbreviation=abbreviation))
        return qs

    def filter_collection(self, qs, name, values):
        through = Collection.documents.through
        for slug in values:
            qs = qs.filter(
                through_exists(through, collection__slug=slug, collection__status=Status.PUBLISHED)
            )
        return qs

    def filter_sort(self, qs, name, value):
        return qs  # applied in `sorted_qs`, after every other filter

    @property
    def search_query(self):
        self.is_valid()
        return (self.form.cleaned_data.get("q") or "").strip()

    @property
    def chosen_sort(self):
        self.is_valid()
        chosen = self.form.cleaned_data.get("sort")
        if chosen == "relevance" and not self.search_query:
            chosen = None
        return chosen or ("relevance" if self.search_query else "date")

    def sorted_qs(self):
        qs = self.qs
        if self.chosen_sort == "relevance":
            return qs.order_by("-relevance", *SORTS["date"])
        return qs.order_by(*SORTS[self.chosen_sort])


# Facets ----------------------------------------------------------------------------------------


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False
    url: str = ""


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)

    @property
    def selected(self):
        return [option for option in self.options if option.selected]


FACETS = [
    ("type", _("Type")),
    ("language", _("Original language")),
    ("person", _("People")),
    ("role", _("Role")),
    ("subject", _("Subjects")),
    ("place", _("Places")),
    ("repository", _("Repository")),
    ("classification", _("Original classification")),
    ("collection", _("Collections")),
]


def facet_options(found, *, exclude=()):
    """The facets of `found` (from `documents.facets.find`), each with its top options."""
    from documents.browse import index as facets

    chosen = [(name, label) for name, label in FACETS if name not in exclude]
    counts = found.facet_counts([name for name, _label in chosen])
    known = facets.labels(counts)
    roles = dict(Contribution.Role.choices)
    result = []
    for name, label in chosen:
        options = []
        for term, count in counts[name]:
            if term not in known[name]:
                continue  # gone since the index was built
            value, text, sort_label = known[name][term]
            if name == "role":
                text = str(roles[value])
            options.append((FacetOption(value, text, count), sort_label or ""))
        options.sort(key=lambda pair: (-pair[0].count, pair[1]))
        result.append(Facet(name, label, [option for option, _sort in options]))
    return result


def link_facets(facets, params):
    """Mark the options already chosen and give each option the URL that toggles it."""
    for facet in facets:
        chosen = params.getlist(facet.name)
        for option in facet.options:
            option.selected = option.value in chosen
            if option.selected:
                values = [v for v in chosen if v != option.value]
            else:
                values = [*chosen, option.value]
            option.url = "?" + query_string(params, facet.name, values)
        # A value chosen in the URL but absent from the results still shows, to be removed.
        known = {option.value for option in facet.options}
        for value in chosen:
            if value not in known:
                remaining = [v for v in chosen if v != value]
                facet.options.insert(
                    0,
                    FacetOption(
                        value, value, 0, True, "?" + query_string(params, facet.name, remaining)
                    ),
                )
    return facets


def query_string(params, name, values):
    """The current query string with `name` set to `values` and the page number dropped."""
    pairs = [(k, v) for k, vs in params.lists() if k not in (name, "page") for v in vs if v != ""]
    pairs += [(name, v) for v in values]
    return urlencode(pairs)
