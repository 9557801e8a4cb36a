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
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from archive_collections.models import Collection
from documents import search
from documents.models import Citation, Contribution, Document, Person, Status

FACET_LIMIT = 12
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


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, field):
    return connection.ops.quote_name(model._meta.get_field(field).column)


def _facet_sql(name, *, people):
    """SELECT facet, value, label, sort_label, count for one facet, joined to the results `r`.

    Facet names are inlined (they come from FACETS, never from a visitor); values are parameters.
    """
    document = Document._meta
    doc_id = connection.ops.quote_name(document.pk.column)
    # Start from the results and look up their links, never the other way round: SQLite takes
    # CROSS JOIN as an order to keep, where its planner would scan whole link tables instead.
    join = "CROSS JOIN" if connection.vendor == "sqlite" else "JOIN"
    doc_table = _table(Document)

    def top(inner, term, value, label, sort_label):
        """Label the top options only, after counting by id: no look-up per result."""
        term_pk = connection.ops.quote_name(term._meta.pk.column)
        return (
            f"SELECT '{name}' AS facet, v.{value} AS value, v.{label} AS label, "
            f"v.{sort_label} AS sort_label, c.n AS n FROM ({inner}) c "
            f"JOIN {_table(term)} v ON v.{term_pk} = c.id"
        )

    def through(model, vocabulary, value, label, *, sort_label=None, where="", params=()):
        t_doc = _column(model, "document")
        t_term = _column(model, vocabulary)
        term = model._meta.get_field(vocabulary).related_model
        # A document is linked to a term once in a many-to-many table, but a person can have
        # two roles on it and a repository two citations.
        distinct = "DISTINCT " if model in (Contribution, Citation) else ""
        inner = (
            f"SELECT t.{t_term} AS id, COUNT({distinct}t.{t_doc}) AS n "
            f"FROM r {join} {_table(model)} t ON t.{t_doc} = r.id {where} "
            f"GROUP BY t.{t_term} ORDER BY n DESC, t.{t_term} LIMIT {FACET_LIMIT}"
        )
        return top(inner, term, value, label, sort_label or label), list(params)

    def own(field):
        term = document.get_field(field).related_model
        column = connection.ops.quote_name(document.get_field(field).column)
        inner = (
            f"SELECT d.{column} AS id, COUNT(*) AS n "
            f"FROM r {join} {doc_table} d ON d.{doc_id} = r.id WHERE d.{column} IS NOT NULL "
            f"GROUP BY d.{column} ORDER BY n DESC, d.{column} LIMIT {FACET_LIMIT}"
        )
        return top(inner, term, "slug", "name", "name"), []

    if name == "type":
        return own("document_type")
    if name == "classification":
        return own("classification")
    if name == "language":
        return through(Document.languages.through, "language", "code", "name")
    if name == "subject":
        return through(Document.subjects.through, "subject", "slug", "name")
    if name == "place":
        return through(Document.places.through, "place", "slug", "name")
    if name == "person":
        return through(Contribution, "person", "slug", "name", sort_label="sort_name")
    if name == "repository":
        return through(Citation, "repository", "abbreviation", "name")
    if name == "collection":
        status = connection.ops.quote_name(Collection._meta.get_field("status").column)
        collection_pk = connection.ops.quote_name(Collection._meta.pk.column)
        t_collection = _column(Collection.documents.through, "collection")
        return through(
            Collection.documents.through,
            "collection",
            "slug",
            "title",
            where=(
                f"WHERE t.{t_collection} IN (SELECT p.{collection_pk} FROM {_table(Collection)} p"
                f" WHERE p.{status} = %s)"
            ),
            params=[Status.PUBLISHED],
        )
    if name == "role":
        t_doc, role = _column(Contribution, "document"), _column(Contribution, "role")
        where, params = "", []
        if people:
            person, slug = _column(Contribution, "person"), _column(Person, "slug")
            marks = ", ".join(["%s"] * len(people))
            where = (
                f"WHERE t.{person} IN (SELECT p.{connection.ops.quote_name(Person._meta.pk.column)}"
                f" FROM {_table(Person)} p WHERE p.{slug} IN ({marks}))"
            )
            params = list(people)
        sql = (
            f"SELECT '{name}' AS facet, t.{role} AS value, t.{role} AS label, "
            f"t.{role} AS sort_label, "
            f"COUNT(DISTINCT t.{t_doc}) AS n FROM r {join} {_table(Contribution)} t "
            f"ON t.{t_doc} = r.id {where} GROUP BY t.{role} ORDER BY n DESC LIMIT {FACET_LIMIT}"
        )
        return sql, params
    raise ValueError(name)


def facet_counts(results, *, exclude=(), people=()):
    """For each facet, its options with the number of documents each would leave.

    One query for every facet: the current results are computed once (a materialized common
    table expression, so a full-text match runs once), and each facet is a GROUP BY over its
    link table joined to them. The number of queries is the same whatever the number of
    documents, people or filters. With `people` chosen, the role facet counts their roles.
    """
    facets = [(name, label) for name, label in FACETS if name not in exclude]
    try:
        results_sql, results_params = results.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a search with no words in it: nothing to count
        return [Facet(name, label) for name, label in facets]
    parts, params = [], []
    for name, _label in facets:
        sql, facet_params = _facet_sql(name, people=people)
        parts.append(f"SELECT * FROM ({sql}) f")
        params += facet_params
    query = f"WITH r (id) AS MATERIALIZED ({results_sql}) " + " UNION ALL ".join(parts)
    rows = {}
    with connection.cursor() as cursor:
        cursor.execute(query, [*results_params, *params])
        for facet, value, label, sort_label, count in cursor.fetchall():
            rows.setdefault(facet, []).append((value, label, sort_label, count))
    roles = dict(Contribution.Role.choices)
    return [
        Facet(
            name,
            label,
            [
                FacetOption(value, str(roles.get(text, text)) if name == "role" else text, count)
                for value, text, _sort, count in sorted(
                    rows.get(name, []), key=lambda row: (-row[3], row[2] or "")
                )
            ],
        )
        for name, label in facets
    ]


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
