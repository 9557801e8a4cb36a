"""Finding records in the admin lists, fast on large archives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive_collections.models import Collection
from documents.admin import CappedCountPaginator
from documents.models import (
    Citation,
    Contribution,
    Document,
    Language,
    Person,
    PersonName,
    Repository,
    Scan,
    Status,
)
from tests.factories import (
    CitationFactory,
    ContributionFactory,
    DocumentFactory,
    PersonFactory,
    RepositoryFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:documents_document_changelist"


def titles(response):
    return sorted(d.title for d in response.context["cl"].result_list)


@pytest.fixture
def archive():
    stalin_letter = DocumentFactory(title="Letter, I. V. Stalin to Cde. Pishevari")
    bagirov_report = DocumentFactory(title="Report from Baku", summary="On the Tabriz uprising.")
    pishevari = PersonFactory(name="Ja'far Pishevari")
    PersonName.objects.create(person=pishevari, name="Jafar Pishavari")
    ContributionFactory(document=stalin_letter, person=pishevari, role="recipient")
    CitationFactory(document=stalin_letter, reference="f. 558, op. 11, d. 317, ll. 0069-0072")
    gappod = RepositoryFactory(abbreviation="GAPPOD", name="Azerbaijani party archive")
    CitationFactory(document=bagirov_report, repository=gappod, reference="f.1, op.89, d.112")
    return stalin_letter, bagirov_report


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Stalin", ["Letter, I. V. Stalin to Cde. Pishevari"]),
        ("Tabriz", ["Report from Baku"]),
        ("RGASPI", ["Letter, I. V. Stalin to Cde. Pishevari"]),
        ("f. 558, op. 11", ["Letter, I. V. Stalin to Cde. Pishevari"]),
        ("GAPPOD", ["Report from Baku"]),
        ("Pishavari", ["Letter, I. V. Stalin to Cde. Pishevari"]),
        ("jafar", ["Letter, I. V. Stalin to Cde. Pishevari"]),
    ],
)
def test_documents_are_found_by_title_summary_citation_and_any_name_of_their_people(
    curator_client, archive, query, expected
):
    response = curator_client.get(reverse(CHANGELIST), {"q": query})
    assert titles(response) == expected


def test_documents_are_found_by_record_id(curator_client, archive):
    letter, _ = archive
    response = curator_client.get(reverse(CHANGELIST), {"q": str(letter.record_id)})
    assert letter.title in titles(response)


def test_people_are_found_by_any_variant_name(curator_client):
    qavam = PersonFactory(name="Ahmad Qavam")
    PersonName.objects.create(person=qavam, name="Qavam-es-Saltaneh")
    PersonFactory(name="Someone Else")
    url = reverse("admin:documents_person_changelist")
    for query in ["Saltaneh", "qavam es", "AHMAD"]:
        names = [p.name for p in curator_client.get(url, {"q": query}).context["cl"].result_list]
        assert names == ["Ahmad Qavam"], query
    autocomplete = curator_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Saltaneh",
            "app_label": "documents",
            "model_name": "contribution",
            "field_name": "person",
        },
    )
    assert [r["text"] for r in autocomplete.json()["results"]] == ["Ahmad Qavam"]


def test_filters_by_collection_language_repository_and_decade(curator_client, archive):
    letter, report = archive
    collection = Collection.objects.create(title="Iran-Soviet Relations")
    collection.documents.add(letter)
    russian = Language.objects.create(name="Russian", code="ru")
    report.languages.add(russian)
    report.date_text, report.date_edtf = "1953", ""
    report.save()
    gappod = Repository.objects.get(abbreviation="GAPPOD")
    url = reverse(CHANGELIST)
    assert titles(curator_client.get(url, {"collection": collection.pk})) == [letter.title]
    assert titles(curator_client.get(url, {"language": russian.pk})) == [report.title]
    assert titles(curator_client.get(url, {"repository": gappod.pk})) == [report.title]
    assert titles(curator_client.get(url, {"decade": "1950"})) == [report.title]
    assert titles(curator_client.get(url, {"decade": "1940", "year": "1946"})) == [letter.title]
    assert titles(curator_client.get(url, {"status": "published"})) == sorted(
        [letter.title, report.title]
    )


def make_documents(count):
    """Many documents with people, citations, scans and collections, made in bulk."""
    start = Document.objects.count()
    documents = Document.objects.bulk_create(
        Document(
            record_id=100_000 + start + n,
            slug=f"bulk-{start + n}",
            title=f"Bulk document {start + n}",
            date_text="1946",
            date_edtf="1946",
            status=Status.PUBLISHED if n % 2 else Status.DRAFT,
        )
        for n in range(count)
    )
    person = Person.objects.first() or PersonFactory()
    repository = RepositoryFactory()
    Contribution.objects.bulk_create(
        Contribution(document=d, person=person, role="author") for d in documents
    )
    Citation.objects.bulk_create(
        Citation(document=d, repository=repository, reference="f. 1") for d in documents
    )
    Scan.objects.bulk_create(
        Scan(
            document=d,
            file=f"scans/x/{d.pk}.jpg",
            thumbnail=f"scans/derivatives/x/{d.pk}-thumb.jpg",
            media_type="image/jpeg",
            sha256=f"{d.pk:064d}",
        )
        for d in documents
    )
    collection = Collection.objects.first() or Collection.objects.create(title="Everything")
    collection.documents.add(*documents)


def test_the_document_list_makes_the_same_number_of_queries_for_10_and_1000_rows(
    curator_client,
):
    url = reverse(CHANGELIST)
    make_documents(10)
    curator_client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as small:
        response = curator_client.get(url)
    assert response.status_code == 200
    make_documents(990)
    with CaptureQueriesContext(connection) as large:
        response = curator_client.get(url)
    assert len(response.context["cl"].result_list) == 100
    assert len(small.captured_queries) == len(large.captured_queries)
    assert 'img src="/media/scans/derivatives/' in response.content.decode()


def test_the_list_never_counts_more_rows_than_the_cap(monkeypatch, curator_client):
    monkeypatch.setattr(CappedCountPaginator, "CAP", 50)
    make_documents(120)
    url = reverse(CHANGELIST)
    with CaptureQueriesContext(connection) as queries:
        response = curator_client.get(url)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 51" in sql for sql in counts), counts
    assert response.context["cl"].paginator.is_estimate
    assert "narrow the list with search or filters" in response.content.decode()
