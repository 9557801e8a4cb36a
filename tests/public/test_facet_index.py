"""The in-memory index (documents.browse.index) finds and counts exactly what the database would.

A generated archive (drafts, withdrawn records, imprecise dates, people in several roles,
unpublished collections) is filtered many ways at random; for each, the index's results, order
and facet counts must equal those of the filter's own SQL and of plain ORM counts.
"""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_collections.models import Collection
from documents.browse import index as facets
from documents.browse.declarations import (
    FACETS,
    FILTERS,
    SORTS,
    Column,
    Link,
    PeopleInRoles,
)
from documents.browse.filters import DocumentFilter
from documents.management.commands.generate_archive import SEARCH_TERMS
from documents.models import Contribution, Document, PublicChange, Status, Subject

pytestmark = pytest.mark.django_db

VALUES_PER_FILTER = 40


def drawn_values(declaration):
    """The values the archive knows for one filter, the most linked first (and at most 40).

    Terms visitors may not choose (an unpublished collection's slug) are among them.
    """
    vocabulary = declaration.vocabulary
    if isinstance(declaration, Column):
        links = Document.objects.values_list(declaration.field, flat=True)
    else:
        term = declaration.person if isinstance(declaration, PeopleInRoles) else declaration.term
        links = declaration.through.objects.values_list(term, flat=True)
    uses = Counter(links)
    terms = vocabulary.model._default_manager.values_list("pk", vocabulary.value)
    ranked = sorted(terms, key=lambda term: (-uses[term[0]], term[1]))
    return [value for _pk, value in ranked[:VALUES_PER_FILTER]]


@pytest.fixture
def generated(db):
    """A 250-document archive and the values each declared filter can take."""
    call_command("generate_archive", documents=250, seed=7, verbosity=0, stdout=None)
    # Some collections the public cannot see, and one with documents in it.
    Collection.objects.filter(pk__in=Collection.objects.order_by("pk")[:5]).update(
        status=Status.DRAFT
    )
    values = {}
    for declaration in FILTERS:
        for name, _vocabulary in declaration.vocabularies:
            values[name] = drawn_values(declaration)
        if isinstance(declaration, PeopleInRoles):
            values[declaration.role_name] = [value for value, _label in declaration.roles]
    # Days that are some document's first or last possible day: the filters' edges.
    values["edges"] = sorted(
        {
            day.isoformat()
            for pair in Document.objects.values_list("date_start", "date_end")
            for day in pair
            if day
        }
    )
    return values


def test_every_declared_filter_with_terms_is_drawn(generated):
    assert {"type", "language", "person", "role", "collection", "funder"} <= set(generated)
    assert all(generated[name] for name in FACETS), "each facet has values to draw"


def filter_params(values):
    """A strategy for query strings: up to four filters, unknown values and a search."""
    names = sorted(name for name in values if name != "edges")
    one_filter = st.sampled_from(names).flatmap(
        lambda name: st.tuples(
            st.just(name),
            st.lists(st.sampled_from([*values[name], "no-such-value"]), min_size=1, max_size=2),
        )
    )
    years = st.integers(min_value=1915, max_value=1993).map(str)
    days = st.one_of(years, st.sampled_from(values["edges"]), st.just("1946-05"))
    return st.fixed_dictionaries(
        {
            "filters": st.lists(one_filter, max_size=4),
            "q": st.sampled_from(["", "", "", *SEARCH_TERMS.values(), "committee uranium"]),
            "date_from": st.one_of(st.just(""), days),
            "date_to": st.one_of(st.just(""), days),
        }
    )


def query_dict(drawn):
    params = QueryDict(mutable=True)
    for name, chosen in drawn["filters"]:
        for value in chosen:
            params.appendlist(name, value)
    for name in ("q", "date_from", "date_to"):
        if drawn[name]:
            params[name] = drawn[name]
    return params


def top(rows, key):
    """The top options of one facet: [(id, count)], most documents first, then by id."""
    counted = sorted(
        ((row[key], row["n"]) for row in rows if row["n"]), key=lambda r: (-r[1], r[0])
    )
    return counted[: facets.FACET_LIMIT]


def orm_facet_counts(results, chosen):
    """The top options of every declared facet, counted by the ORM: {facet: [(id or role, n)]}.

    With people chosen, the role facet counts their roles only.
    """
    counts = {}
    for declaration in FILTERS:
        if isinstance(declaration, Column):
            field = declaration.field
            rows = (
                Document.objects.filter(pk__in=results, **{f"{field}__isnull": False})
                .values(field)
                .annotate(n=Count("pk"))
            )
            counts[declaration.name] = top(rows, field)
        elif isinstance(declaration, Link):
            term, document = declaration.term, declaration.document
            links = declaration.through.objects.filter(**{f"{document}__in": results})
            if declaration.vocabulary.published_only:
                links = links.filter(**{f"{term}__in": declaration.vocabulary.terms()})
            rows = links.values(term).annotate(n=Count(document, distinct=True))
            counts[declaration.name] = top(rows, term)
        elif isinstance(declaration, PeopleInRoles):
            person, document = declaration.person, declaration.document
            links = declaration.through.objects.filter(**{f"{document}__in": results})
            rows = links.values(person).annotate(n=Count(document, distinct=True))
            counts[declaration.name] = top(rows, person)
            people = chosen.get(declaration.name)
            if people:
                links = links.filter(**{f"{person}__{declaration.vocabulary.value}__in": people})
            roles = [value for value, _label in declaration.roles]
            role_rows = [
                {"number": roles.index(row[declaration.role]), "n": row["n"]}
                for row in links.values(declaration.role).annotate(n=Count(document, distinct=True))
            ]
            counts[declaration.role_name] = top(role_rows, "number")
    return counts


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_index_finds_orders_and_counts_what_the_database_does(generated, data):
    params = query_dict(data.draw(filter_params(generated)))
    filterset = DocumentFilter(params, queryset=Document.objects.published())
    found = facets.find(filterset)
    expected = list(filterset.qs.values_list("pk", flat=True))
    assert found.count == len(expected)
    assert sorted(found.page_ids("date", 0, None)) == sorted(expected)
    for sort, order in SORTS.items():
        ordered = list(filterset.qs.order_by(*order).values_list("pk", flat=True)[:25])
        assert found.page_ids(sort, 0, 25) == ordered, sort
    assert found.facet_counts(list(FACETS)) == orm_facet_counts(
        filterset.qs, filterset.form.cleaned_data
    )


def test_person_facet_counts_each_document_once_per_person(generated):
    filterset = DocumentFilter(QueryDict(), queryset=Document.objects.published())
    counts = dict(facets.find(filterset).facet_counts(["person"])["person"])
    for person_id, count in counts.items():
        assert count == (
            Document.objects.published().filter(contributions__person=person_id).distinct().count()
        )


def test_role_facet_counts_only_the_chosen_persons_roles(generated):
    slug = generated["person"][0]
    filterset = DocumentFilter(QueryDict(f"person={slug}"), queryset=Document.objects.published())
    counts = dict(facets.find(filterset).facet_counts(["role"])["role"])
    roles = [value for value, _label in Contribution.Role.choices]
    expected = (
        Contribution.objects.filter(person__slug=slug, document__status=Status.PUBLISHED)
        .values("role")
        .annotate(n=Count("document", distinct=True))
    )
    assert counts == {roles.index(row["role"]): row["n"] for row in expected}


def test_a_collection_page_counts_only_its_own_published_documents(generated):
    collection = (
        Collection.objects.published().annotate(n=Count("documents")).order_by("-n").first()
    )
    filterset = DocumentFilter(QueryDict(), queryset=Document.objects.published())
    found = facets.find(filterset, within=collection)
    assert found.count == Document.objects.published().filter(collections=collection).count()


def test_a_document_unpublished_after_the_index_was_built_leaves_it_at_once(generated):
    filterset = DocumentFilter(QueryDict(), queryset=Document.objects.published())
    before = facets.find(filterset).count
    document = Document.objects.published().first()
    document.status = Status.DRAFT
    document.save()
    assert facets.find(filterset).count == before - 1
    assert document.pk not in facets.find(filterset).page_ids("date", 0, None)
    document.status = Status.PUBLISHED
    document.save()
    assert facets.find(filterset).count == before


def test_another_process_sees_a_committed_change_through_the_change_log(generated):
    filterset = DocumentFilter(QueryDict(), queryset=Document.objects.published())
    before = facets.find(filterset).count
    document = Document.objects.published().first()
    # What a commit in another process does: its write, and a row in the change log.
    Document.objects.filter(pk=document.pk).update(status=Status.DRAFT)
    facets.write_change(documents=[document.pk])
    assert facets.find(filterset).count == before - 1
    assert facets.public_index() is facets.public_index()


def test_dates_filter_by_overlap_like_the_database(generated):
    params = QueryDict("date_from=1946-05&date_to=1946-05")
    filterset = DocumentFilter(params, queryset=Document.objects.published())
    first, last = dt.date(1946, 5, 1), dt.date(1946, 5, 31)
    expected = Document.objects.published().filter(date_end__gte=first, date_start__lte=last)
    assert facets.find(filterset).count == expected.count()


def test_repeated_facet_counts_come_from_the_cache_until_the_archive_changes(generated):
    filterset = DocumentFilter(QueryDict(), queryset=Document.objects.published())
    first = facets.find(filterset).facet_counts(["type"])
    assert facets.find(filterset).facet_counts(["type"]) is first
    document = Document.objects.published().exclude(document_type=None).first()
    document.status = Status.DRAFT
    document.save()
    after = dict(facets.find(filterset).facet_counts(["type"])["type"])
    assert after[document.document_type_id] == dict(first["type"])[document.document_type_id] - 1


def test_a_renamed_subjects_old_address_finds_nothing_and_counts_nothing(generated):
    subject = Subject.objects.filter(documents__status=Status.PUBLISHED).first()
    params = QueryDict(f"subject={subject.slug}")
    before = facets.find(DocumentFilter(params, queryset=Document.objects.published()))
    assert before.count and before.facet_counts(["type"])["type"]
    Subject.objects.filter(pk=subject.pk).update(slug="renamed-subject")
    after = facets.find(DocumentFilter(params, queryset=Document.objects.published()))
    assert after.count == 0
    assert after.facet_counts(["type"]) == {"type": []}


def canonical(index):
    """What the index holds, in a canonical order, with its terms visitors may choose."""
    return index.rows().only(index.ids), {
        name: sorted(ids.tolist()) for name, ids in index.public_terms.items()
    }


@pytest.fixture
def no_rebuilds(monkeypatch):
    """Fails a test whose index is built again, instead of patched, after it was first built."""
    built = []
    real = facets.PublicIndex.build.__func__

    def build(cls, version):
        built.append(version)
        return real(cls, version)

    monkeypatch.setattr(facets.PublicIndex, "build", classmethod(build))
    return built


def test_committed_edits_reach_the_index_as_deltas_equal_to_a_fresh_build(
    generated, no_rebuilds, django_capture_on_commit_callbacks
):
    everything = DocumentFilter(QueryDict(), queryset=Document.objects.published())
    found = facets.find(everything)
    for sort in SORTS:
        found.page_ids(sort, 0, 10)  # every order made, so each must take the edits
    assert len(no_rebuilds) == 1
    published = list(Document.objects.published().order_by("pk"))
    draft = Document.objects.exclude(status=Status.PUBLISHED).first()
    subject = Subject.objects.order_by("pk").last()
    with django_capture_on_commit_callbacks(execute=True):
        published[0].status = Status.DRAFT
        published[0].save()
        draft.status = Status.PUBLISHED
        draft.save()
        published[1].subjects.add(subject)
        published[2].contributions.all().delete()
        published[3].title = "Aaaa, the first title of all"
        published[3].date_start = published[3].date_end = dt.date(1900, 1, 1)
        published[3].save()
    found = facets.find(everything)
    assert len(no_rebuilds) == 1, "An edit of a few documents rebuilt the index."
    fresh = facets.PublicIndex.build(facets.current_version())
    assert same_rows(canonical(facets.public_index()), canonical(fresh))
    assert found.count == Document.objects.published().count()
    for sort, order in SORTS.items():
        expected = list(Document.objects.published().order_by(*order).values_list("pk", flat=True))
        assert found.page_ids(sort, 0, None) == expected, sort
    assert found.facet_counts(list(FACETS)) == orm_facet_counts(Document.objects.published(), {})


def same_rows(a, b):
    (rows_a, terms_a), (rows_b, terms_b) = a, b
    return rows_a == rows_b and terms_a == terms_b


def test_a_corrected_translation_keeps_the_counted_facets_and_orders(
    generated, no_rebuilds, django_capture_on_commit_callbacks
):
    everything = DocumentFilter(QueryDict(), queryset=Document.objects.published())
    counts = facets.find(everything).facet_counts(["type", "subject"])
    document = Document.objects.published().first()
    with django_capture_on_commit_callbacks(execute=True):
        document.summary = "A corrected summary."
        document.save()
    assert facets.find(everything).facet_counts(["type", "subject"]) is counts
    assert len(no_rebuilds) == 1


def test_a_change_logged_out_of_order_is_still_applied(generated, no_rebuilds):
    """PostgreSQL numbers a change before it commits: a later number may be seen first."""
    everything = DocumentFilter(QueryDict(), queryset=Document.objects.published())
    before = facets.find(everything).count
    first, second = Document.objects.published().order_by("pk")[:2]
    start = facets.public_index().version
    Document.objects.filter(pk=second.pk).update(status=Status.DRAFT)
    PublicChange.objects.create(pk=start + 2, documents=[second.pk])
    assert facets.find(everything).count == before - 1
    # The change numbered before it commits only now.
    Document.objects.filter(pk=first.pk).update(status=Status.DRAFT)
    PublicChange.objects.create(pk=start + 1, documents=[first.pk])
    assert facets.find(everything).count == before - 2
    assert first.pk not in facets.find(everything).page_ids("date", 0, None)
    assert len(no_rebuilds) == 1


def test_a_bulk_load_logged_as_everything_rebuilds_every_process(generated, no_rebuilds):
    everything = DocumentFilter(QueryDict(), queryset=Document.objects.published())
    facets.find(everything)
    facets.write_new_version()
    facets.find(everything)
    assert len(no_rebuilds) == 2


def test_a_retitled_document_moves_in_every_order_without_a_rebuild(
    generated, no_rebuilds, django_capture_on_commit_callbacks
):
    everything = DocumentFilter(QueryDict(), queryset=Document.objects.published())
    found = facets.find(everything)
    for sort in SORTS:
        found.page_ids(sort, 0, 10)
    document = Document.objects.published().order_by("-title").first()
    with django_capture_on_commit_callbacks(execute=True):
        document.title = "Aaaa, now the first by title"
        document.save()
    found = facets.find(everything)
    assert found.page_ids("title", 0, 1) == [document.pk]
    for sort, order in SORTS.items():
        expected = list(Document.objects.published().order_by(*order).values_list("pk", flat=True))
        assert found.page_ids(sort, 0, None) == expected, sort
    assert len(no_rebuilds) == 1


def test_a_subject_added_and_a_person_credited_are_replaced_in_place(
    generated, no_rebuilds, django_capture_on_commit_callbacks
):
    everything = DocumentFilter(QueryDict(), queryset=Document.objects.published())
    found = facets.find(everything)
    for sort in SORTS:
        found.page_ids(sort, 0, 10)
    first, second = Document.objects.published().order_by("pk")[:2]
    subject = Subject.objects.order_by("pk").last()
    credited = Contribution.objects.exclude(document=second).first()
    with django_capture_on_commit_callbacks(execute=True):
        first.subjects.add(subject)
        Contribution.objects.create(document=second, person=credited.person, role=credited.role)
        second.date_start = second.date_end = dt.date(1999, 12, 31)
        second.save()
    index = facets.public_index()
    assert len(no_rebuilds) == 1, "A subject added to one document rebuilt the index."
    fresh = facets.PublicIndex.build(facets.current_version())
    assert same_rows(canonical(index), canonical(fresh))
    found = facets.find(everything)
    assert found.facet_counts(list(FACETS)) == orm_facet_counts(Document.objects.published(), {})
    for sort, order in SORTS.items():
        expected = list(Document.objects.published().order_by(*order).values_list("pk", flat=True))
        assert found.page_ids(sort, 0, None) == expected, sort
