"""Each database's search backend: chosen by the database, and its bulk writer kept honest."""

from functools import reduce
from operator import add

import pytest
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from documents import search
from documents.models import Document, PersonName, SearchEntry
from documents.parsing.search_query import PG_CONFIG
from documents.search.backends import backend, postgres, sqlite
from documents.search.columns import COLUMNS, index_rows
from tests.factories import CitationFactory, ContributionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def test_each_database_is_searched_by_its_own_backend():
    expected = {"sqlite": sqlite, "postgresql": postgres}[connection.vendor]
    assert backend("default") is expected


def test_searching_a_database_without_full_text_search_says_which_databases_have_it(
    monkeypatch,
):
    monkeypatch.setattr(connection, "vendor", "mysql")
    with pytest.raises(ImproperlyConfigured) as error:
        search.search(Document.objects.all(), "Tabriz")
    assert str(error.value) == (
        "Full-text search works on SQLite and PostgreSQL; the database 'default' is mysql."
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector index is PostgreSQL's")
def test_the_postgresql_index_stores_the_vectors_search_vector_builds():
    contribution = ContributionFactory(
        document__summary="On the oil concession.",
        document__transcript="Товарищу Пишевари!",
        person__name="Ahmad Qavam",
        name_as_written="Qavam-es-Saltaneh",
    )
    PersonName.objects.create(person=contribution.person, name="Ghavam")
    document = CitationFactory(document=contribution.document).document
    search.index_documents([document.pk])

    (row,) = index_rows([document.pk], using="default")
    built = reduce(
        add,
        (
            SearchVector(Value(getattr(row, column.name)), config=PG_CONFIG, weight=column.weight)
            for column in COLUMNS
        ),
    )
    stored, expected = (
        SearchEntry.objects.filter(pk=document.pk)
        .annotate(built=built)
        .values_list("entry", "built")
    ).get()
    assert stored == expected
    assert "'ghavam'" in stored


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the RUM index is PostgreSQL's")
def test_postgresql_ranks_in_the_rum_index_wherever_the_server_offers_the_extension():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        offered = cursor.fetchone() is not None
    assert postgres.ranks_in_index("default") == offered


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the RUM index is PostgreSQL's")
def test_the_rum_index_ranks_a_title_match_above_a_passing_mention_in_a_long_text():
    if not postgres.ranks_in_index("default"):
        pytest.skip("this PostgreSQL server does not offer the rum extension")
    passing = DocumentFactory(
        title="Report from Baku",
        text=" ".join(["The oil fields were inspected again."] * 200) + " Vladikavkaz once.",
    )
    in_title = DocumentFactory(title="Telegram from Vladikavkaz", text="Nothing else.")
    search.index_documents([passing.pk, in_title.pk])

    page, queries = _first_page("Vladikavkaz")
    assert [document.pk for document in page] == [in_title.pk, passing.pk]
    assert page[0].relevance > page[1].relevance
    # The page was chosen in the index's order (its distance), not by scoring every vector.
    assert any("<=>" in query["sql"] for query in queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ts_rank_cd is PostgreSQL's")
def test_without_the_rum_index_postgresql_still_ranks_a_title_match_first(monkeypatch):
    monkeypatch.setattr(postgres, "ranks_in_index", lambda using: False)
    passing = DocumentFactory(title="Report from Baku", text="Mentions Vladikavkaz once.")
    in_title = DocumentFactory(title="Telegram from Vladikavkaz", text="Nothing else.")
    search.index_documents([passing.pk, in_title.pk])

    page, queries = _first_page("Vladikavkaz")
    assert [document.pk for document in page] == [in_title.pk, passing.pk]
    assert not any("<=>" in query["sql"] for query in queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the RUM index is PostgreSQL's")
def test_a_rebuild_of_the_search_index_leaves_the_rum_index_in_place_and_ranking_with_it():
    if not postgres.ranks_in_index("default"):
        pytest.skip("this PostgreSQL server does not offer the rum extension")
    passing = DocumentFactory(title="Report from Baku", text="Mentions Vladikavkaz once.")
    in_title = DocumentFactory(title="Telegram from Vladikavkaz", text="Nothing else.")

    assert search.rebuild_index() >= 2

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [postgres.RUM_INDEX])
        assert cursor.fetchone() is not None
    page, _queries = _first_page("Vladikavkaz")
    assert [document.pk for document in page] == [in_title.pk, passing.pk]


def _first_page(query):
    """The first page of published documents matching `query`, best first, and its queries."""
    with CaptureQueriesContext(connection) as queries:
        ranked = search.search(Document.objects.published(), query).order_by("-relevance")
        page = list(ranked[:20])
    return page, queries.captured_queries
