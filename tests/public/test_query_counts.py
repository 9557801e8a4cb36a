"""The public pages make the same number of queries however much the archive holds.

Each count is taken on a second, identical request: the first one after a change also rebuilds
the in-memory index of published documents (`documents.browse.index`), which is counted on its own.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.browse import index as facets
from documents.models import Citation, Contribution, Document, Funding, PersonName, Status
from tests.factories import (
    CollectionFactory,
    DocumentFactory,
    PersonFactory,
    RepositoryFactory,
)

pytestmark = pytest.mark.django_db

FILTERS = {
    "q": "Tabriz",
    "date_from": "1940",
    "date_to": "1950",
    "type": "telegram",
    "language": "ru",
    "person": "m-d-bagirov",
    "role": "author",
    "subject": "iran-crisis-1946",
    "place": "tabriz",
    "repository": "RGASPI",
    "classification": "top-secret",
    "funder": "cold-war-international-history-project",
    "sort": "relevance",
}


@pytest.fixture
def archive(archive):
    # So that every filter at once still leaves a result before the archive grows.
    archive.baku_telegram.subjects.add(archive.iran_crisis)
    Funding.objects.create(document=archive.baku_telegram, organization=archive.cwihp)
    return archive


def grow(archive, n):
    """Add n published documents, each with people, variants, citations and vocabularies."""
    repository = RepositoryFactory(abbreviation="AVPRF", name="Foreign Policy Archive")
    for i in range(n):
        document = DocumentFactory(
            title=f"Telegram {i} from Tabriz",
            document_type=archive.telegram,
            classification=archive.top_secret,
            date_text="1946",
        )
        document.languages.add(archive.russian)
        document.subjects.add(archive.iran_crisis, archive.oil)
        document.places.add(archive.tabriz)
        archive.collection.documents.add(document)
        Contribution.objects.create(document=document, person=archive.bagirov, role="author")
        writer = PersonFactory()
        PersonName.objects.create(person=writer, name=f"Variant {i}")
        Contribution.objects.create(document=document, person=writer, role="recipient")
        Citation.objects.create(document=document, repository=repository, reference=f"f. {i}")
        Citation.objects.create(document=document, repository=archive.rgaspi, reference=f"d. {i}")
        document.related.add(archive.stalin_letter)
        Funding.objects.create(document=document, organization=archive.cwihp)
    CollectionFactory().documents.add(*Document.objects.all())


def count_queries(client, url, params=None):
    client.get(url, params or {})  # builds the public index if the archive changed
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "Tabriz"}, {"place": "tabriz"}, FILTERS],
    ids=["browse", "search", "one-filter", "every-filter"],
)
def test_search_page_queries_do_not_grow_with_documents(client, archive, params):
    before = count_queries(client, "/documents/", params)
    grow(archive, 30)
    assert count_queries(client, "/documents/", params) == before


def test_search_page_queries_do_not_grow_with_active_filters(
    client, archive, django_assert_num_queries
):
    grow(archive, 5)
    searched = count_queries(client, "/documents/", {"q": "Tabriz", "place": "tabriz"})
    every = count_queries(
        client,
        "/documents/",
        {**FILTERS, "repository": ["RGASPI", "AVPRF"], "subject": ["oil", "iran-crisis-1946"]},
    )
    assert every == searched
    # The index's version, the chosen values, the search's matches, the facets' labels, one
    # ranked page of results and its snippets.
    with django_assert_num_queries(6):
        client.get("/documents/", FILTERS)
    # Without a search there are no matches to read, and the page comes in date order; asked
    # again of the same version of the archive, the facets are labelled already.
    assert count_queries(client, "/documents/", {"place": "tabriz", "type": "telegram"}) == 3
    assert count_queries(client, "/documents/") == 2


def test_rebuilding_the_public_index_takes_the_same_queries_however_large_the_archive(
    client, archive
):
    def rebuild():
        facets.forget()
        with CaptureQueriesContext(connection) as context:
            facets.public_index()
        return len(context)

    before = rebuild()
    grow(archive, 30)
    assert rebuild() == before


def test_collection_page_queries_do_not_grow_with_documents_or_filters(client, archive):
    url = archive.collection.get_absolute_url()
    before = count_queries(client, url)
    filtered = count_queries(client, url, {**FILTERS, "q": ""})
    searched = count_queries(client, url, FILTERS)
    grow(archive, 30)
    assert count_queries(client, url) == before
    # Filters add the one query that reads the chosen values, however many there are.
    assert count_queries(client, url, {**FILTERS, "q": ""}) == filtered == before + 1
    # A search adds the query for its matches and the one for the page's snippets.
    assert count_queries(client, url, FILTERS) == searched == filtered + 2


def test_document_page_queries_do_not_grow_with_people_citations_or_related(client, archive):
    document = archive.stalin_letter
    before = count_queries(client, document.get_absolute_url())
    grow(archive, 10)
    for i in range(10):
        Contribution.objects.create(document=document, person=PersonFactory(), role="mentioned")
        Citation.objects.create(document=document, repository=archive.gappod, reference=f"f. {i}")
    document.subjects.add(archive.oil)
    document.places.add(archive.tabriz)
    assert count_queries(client, document.get_absolute_url()) == before


def test_person_and_home_pages_queries_do_not_grow_with_documents(client, archive):
    person_url = archive.bagirov.get_absolute_url()
    person_before = count_queries(client, person_url)
    home_before = count_queries(client, "/")
    grow(archive, 20)
    assert count_queries(client, person_url) == person_before
    assert count_queries(client, "/") == home_before


def test_draft_documents_never_reach_counts_on_a_large_archive(client, archive):
    grow(archive, 5)
    Document.objects.filter(title__startswith="Telegram 0 ").update(status=Status.DRAFT)
    body = client.get("/documents/", {"q": "Tabriz"}).content.decode()
    assert "Telegram 0 from" not in body
    assert "6 documents matching" in body
