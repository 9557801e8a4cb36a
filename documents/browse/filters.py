"""The public document lists' FilterSet: a form field and its SQL for every declared filter.

The filters themselves are declared once in `documents.browse.declarations`; this module makes
each declaration a django-filter field and says how it narrows a Document queryset in SQL. The
in-memory index (`documents.browse.index`) serves the same declarations without SQL, and the
equivalence test proves that the two agree.

Several values of one filter narrow the results further (documents about Iran *and* oil), except
for a document's one type and one classification, where they widen them (telegrams *or* letters).

Imports the declarations, `documents.search` and the models; never the index or the facets.
"""

import re
from dataclasses import dataclass
from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from documents import search
from documents.browse import declarations
from documents.browse.declarations import SEARCH, SORT, SORTS
from documents.models import Document

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


class DeclaredFilter(django_filters.Filter):
    """A filter made from a declaration, narrowing by `narrow(queryset, value)` when given one."""

    def __init__(self, declaration, *, label, **kwargs):
        self.declaration = declaration
        super().__init__(label=label, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return self.narrow(qs, value)

    def narrow(self, qs, value):
        raise NotImplementedError

    @property
    def chosen(self):
        """The cleaned values of the whole form, for filters that read each other."""
        return self.parent.form.cleaned_data


class SearchFilter(DeclaredFilter):
    field_class = forms.CharField

    def narrow(self, qs, value):
        return search.search(qs, value)


class DateFromFilter(DeclaredFilter):
    field_class = PartialDateField

    def narrow(self, qs, value):
        # Approximate and ranged dates match when any day they may mean falls in the range.
        return qs.filter(**{f"{self.declaration.end}__gte": value[0]})


class DateToFilter(DeclaredFilter):
    field_class = PartialDateField

    def narrow(self, qs, value):
        return qs.filter(**{f"{self.declaration.start}__lte": value[1]})


class ColumnFilter(DeclaredFilter):
    field_class = ValueListField

    def narrow(self, qs, values):
        column = self.declaration
        return qs.filter(**{f"{column.field}__{column.vocabulary.value}__in": values})


def link_exists(through, document, **conditions):
    """Exists(a row of `through` for the outer document matching `conditions`)."""
    return Exists(through._default_manager.filter(**{document: OuterRef("pk")}, **conditions))


def linked_to_each(qs, through, document, lookup, values, **conditions):
    """The documents of `qs` with a row of `through` for each value: each value narrows."""
    for value in values:
        qs = qs.filter(link_exists(through, document, **{lookup: value}, **conditions))
    return qs


class LinkFilter(DeclaredFilter):
    field_class = ValueListField

    def narrow(self, qs, values):
        link = self.declaration
        vocabulary = link.vocabulary
        lookup = f"{link.term}__{vocabulary.value}"
        conditions = {f"{link.term}__in": vocabulary.terms()} if vocabulary.published_only else {}
        return linked_to_each(qs, link.through, link.document, lookup, values, **conditions)


class PersonFilter(DeclaredFilter):
    field_class = ValueListField

    def narrow(self, qs, values):
        people = self.declaration
        lookup = f"{people.person}__{people.vocabulary.value}"
        roles = self.chosen.get(people.role_name)
        conditions = {f"{people.role}__in": roles} if roles else {}
        return linked_to_each(qs, people.through, people.document, lookup, values, **conditions)


class RoleFilter(DeclaredFilter):
    field_class = ValueListField

    def narrow(self, qs, values):
        people = self.declaration
        if self.chosen.get(people.name):
            return qs  # narrows the person filter instead
        return qs.filter(
            link_exists(people.through, people.document, **{f"{people.role}__in": values})
        )


class SortFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        return qs  # applied in `DocumentFilter.sorted_qs`, after every other filter


def _sort_filters(sorting):
    choices = list(sorting.labels.items())
    return {sorting.name: SortFilter(label=sorting.label, choices=choices, empty_label=None)}


_FORM_FILTERS = {
    declarations.FullText: lambda d: {d.name: SearchFilter(d, label=d.label)},
    declarations.DateRange: lambda d: {
        d.name: DateFromFilter(d, label=d.label),
        d.to_name: DateToFilter(d, label=d.to_label),
    },
    declarations.Column: lambda d: {d.name: ColumnFilter(d, label=d.label)},
    declarations.Link: lambda d: {d.name: LinkFilter(d, label=d.label)},
    declarations.PeopleInRoles: lambda d: {
        d.name: PersonFilter(d, label=d.label),
        d.role_name: RoleFilter(d, label=d.role_label),
    },
    declarations.Sorting: _sort_filters,
}


def form_filters(declared):
    """{query-string name: django-filter Filter} for every declaration, in their order."""
    filters = {}
    for declaration in declared:
        make = _FORM_FILTERS.get(type(declaration))
        if make is None:
            raise ImproperlyConfigured(
                f"The public filter '{declaration.name}' is of the kind "
                f"{type(declaration).__name__}, which the filter set cannot build."
            )
        filters.update(make(declaration))
    return filters


class DocumentFilterForm(forms.Form):
    """The filter set's form: each field cleaned alone, then the date ranges as a whole."""

    def clean(self):
        cleaned = super().clean()
        for declaration in declarations.FILTERS:
            if not isinstance(declaration, declarations.DateRange):
                continue
            first, last = cleaned.get(declaration.name), cleaned.get(declaration.to_name)
            if first and last and first[0] > last[1]:
                # Refused as a whole: neither end alone is what the visitor meant.
                cleaned.pop(declaration.name)
                self.add_error(
                    declaration.to_name,
                    ValidationError(
                        _(
                            "The dates are the wrong way round: %(to_label)s (%(to)s) is before "
                            "%(from_label)s (%(from)s). Put the earlier date in %(from_label)s."
                        ),
                        code="reversed",
                        params={
                            "to_label": declaration.to_label,
                            "to": self.data.get(declaration.to_name, "").strip(),
                            "from_label": declaration.label,
                            "from": self.data.get(declaration.name, "").strip(),
                        },
                    ),
                )
        return cleaned


@dataclass(frozen=True)
class AskedDates:
    """The first and last day a visitor's date filter asked for (None: that end is open)."""

    first: date | None
    last: date | None
    declaration: declarations.DateRange

    @property
    def one_day(self):
        return self.first is not None and self.first == self.last

    def only_overlaps(self, document):
        """Whether `document` matched only because its dates overlap the asked ones: it may
        fall inside them or outside ('1940s' for a day in 1946), as the filters match
        (DateFromFilter, DateToFilter)."""
        start = getattr(document, self.declaration.start)
        end = getattr(document, self.declaration.end)
        if start is None or end is None:
            return False
        return (self.first is not None and start < self.first) or (
            self.last is not None and end > self.last
        )


class DocumentFilter(django_filters.FilterSet):
    """Every declared public filter (`declarations.FILTERS`), as one form over the query string."""

    class Meta:
        model = Document
        fields = []
        form = DocumentFilterForm

    @classmethod
    def get_filters(cls):
        return {**form_filters(declarations.FILTERS), **super().get_filters()}

    @property
    def search_query(self):
        self.is_valid()
        return (self.form.cleaned_data.get(SEARCH.name) or "").strip()

    @property
    def asked_dates(self):
        """The dates asked for (`AskedDates`), once valid; None when none were."""
        self.is_valid()
        data = self.form.cleaned_data
        for declaration in declarations.FILTERS:
            if isinstance(declaration, declarations.DateRange):
                first, last = data.get(declaration.name), data.get(declaration.to_name)
                if first or last:
                    return AskedDates(
                        first[0] if first else None, last[1] if last else None, declaration
                    )
        return None

    @property
    def chosen_sort(self):
        self.is_valid()
        chosen = self.form.cleaned_data.get(SORT.name)
        if chosen == SORT.ranked and not self.search_query:
            chosen = None
        return chosen or (SORT.ranked if self.search_query else SORT.default)

    def sorted_qs(self):
        qs = self.qs
        if self.chosen_sort == SORT.ranked:
            return qs.order_by("-relevance", *SORTS["date"])
        return qs.order_by(*SORTS[self.chosen_sort])
