"""Finding records in the admin lists, fast on large archives."""

import datetime
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive_collections.models import Collection
from benchmarks.placeholders import placeholder_scan
from documents import search
from documents.admin.changelists import CappedCountPaginator
from documents.models import (
    Citation,
    Contribution,
    Document,
    DocumentType,
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


def test_a_misspelt_variant_name_finds_the_persons_documents(curator_client):
    letter = DocumentFactory(title="Letter to Cde. Stalin")
    bagirov = PersonFactory(name="M. D. Bagirov")
    PersonName.objects.create(person=bagirov, name="M.D. Bagriov")
    ContributionFactory(document=letter, person=bagirov)
    DocumentFactory(title="Telegram from Tehran")
    response = curator_client.get(reverse(CHANGELIST), {"q": "Bagriov"})
    assert titles(response) == ["Letter to Cde. Stalin"]


def test_a_word_in_a_documents_text_finds_it(curator_client):
    DocumentFactory(title="Report on the oil fields", text="Zarnitsa was mentioned in passing.")
    DocumentFactory(title="Telegram from Tehran")
    response = curator_client.get(reverse(CHANGELIST), {"q": "Zarnitsa"})
    assert titles(response) == ["Report on the oil fields"]


def test_a_search_of_only_punctuation_finds_nothing_instead_of_failing(curator_client, archive):
    response = curator_client.get(reverse(CHANGELIST), {"q": '"(*) -'})
    assert response.status_code == 200
    assert titles(response) == []


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
    """Many documents with people, citations, scans and collections, made in bulk and indexed.

    Their dates run over the 1940s, and every seventh is undated (sorted last).
    """
    start = Document.objects.count()
    documents = Document.objects.bulk_create(
        Document(
            record_id=100_000 + start + n,
            slug=f"bulk-{start + n}",
            title=f"Bulk document {start + n}",
            date_text="" if n % 7 == 0 else str(1940 + n % 10),
            date_edtf="" if n % 7 == 0 else str(1940 + n % 10),
            date_start=None if n % 7 == 0 else datetime.date(1940 + n % 10, 1, 1),
            date_end=None if n % 7 == 0 else datetime.date(1940 + n % 10, 12, 31),
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
        placeholder_scan(d, folder="x", name=d.pk, number=d.pk) for d in documents
    )
    collection = Collection.objects.first() or Collection.objects.create(title="Everything")
    collection.documents.add(*documents)
    search.index_documents([d.pk for d in documents])


def count_queries(client, params):
    url = reverse(CHANGELIST)
    client.get(url, params)  # the first request of a session reads content types and the like
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.get("Location")
    return len(queries.captured_queries), response


def last_page(params):
    return dict(params, p=-(-Document.objects.count() // 100)) if "p" in params else params


LIST_VIEWS = {
    "first page": {},
    "a filter": {"status__exact": "published"},
    "a search": {"q": "Bulk"},
    "the last page": {"p": "last"},
}


@pytest.mark.parametrize("params", LIST_VIEWS.values(), ids=LIST_VIEWS.keys())
def test_the_document_list_makes_at_most_8_queries_for_10_or_250_documents(curator_client, params):
    make_documents(10)
    small, _ = count_queries(curator_client, last_page(params))
    make_documents(240)
    large, response = count_queries(curator_client, last_page(params))
    assert len(response.context["cl"].result_list) >= 50
    assert small == large
    assert large <= 8


def test_the_document_list_makes_the_same_number_of_queries_for_10_and_1000_rows(
    curator_client,
):
    make_documents(10)
    small, _ = count_queries(curator_client, {})
    make_documents(990)
    large, response = count_queries(curator_client, {})
    assert len(response.context["cl"].result_list) == 100
    assert small == large
    assert 'img src="/media/scans/derivatives/' in response.content.decode()


def test_a_list_that_fits_on_one_page_shows_scan_thumbnails(curator_client):
    make_documents(5)
    response = curator_client.get(reverse(CHANGELIST), {"q": "Bulk"})
    assert len(response.context["cl"].result_list) == 5
    assert response.content.decode().count('img src="/media/scans/derivatives/') == 5


def listed_in_order():
    """Every document's title in the list's default order: by date, undated last."""
    ordering = [F("date_start").asc(nulls_last=True), "date_end", "title", "-pk"]
    return list(Document.objects.order_by(*ordering).values_list("title", flat=True))


# Not named `page`: pytest-playwright's fixture of that name would make this a browser test.
@pytest.mark.parametrize("number", [1, 2, 3])
def test_every_page_shows_its_documents_in_list_order(curator_client, number):
    make_documents(250)
    response = curator_client.get(reverse(CHANGELIST), {"p": number})
    shown = [d.title for d in response.context["cl"].result_list]
    assert shown == listed_in_order()[(number - 1) * 100 : number * 100]


def test_the_last_page_of_a_list_longer_than_the_cap_can_be_opened(monkeypatch, curator_client):
    monkeypatch.setattr(CappedCountPaginator, "CAP", 50)
    make_documents(120)
    queries, response = count_queries(curator_client, {"p": 2})
    shown = [d.title for d in response.context["cl"].result_list]
    assert shown == listed_in_order()[100:]
    assert "120 documents" in response.content.decode()
    assert queries <= 8


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


def test_a_search_with_many_matches_lists_them_in_the_same_order(monkeypatch, curator_client):
    make_documents(250)
    url = reverse(CHANGELIST)
    few = [
        d.title for d in curator_client.get(url, {"q": "Bulk", "p": 2}).context["cl"].result_list
    ]
    monkeypatch.setattr("documents.admin.documents.MANY_MATCHES", 10)
    response = curator_client.get(url, {"q": "Bulk", "p": 2})
    many = [d.title for d in response.context["cl"].result_list]
    assert many == few == listed_in_order()[100:200]


def test_the_last_page_of_a_people_list_longer_than_the_cap_can_be_opened(
    monkeypatch, curator_client
):
    monkeypatch.setattr(CappedCountPaginator, "CAP", 50)
    Person.objects.bulk_create(
        Person(name=f"Person {n:03d}", sort_name=f"{n:03d}", slug=f"person-{n:03d}")
        for n in range(120)
    )
    response = curator_client.get(reverse("admin:documents_person_changelist"), {"p": 2})
    assert response.status_code == 200
    assert [p.sort_name for p in response.context["cl"].result_list] == [
        f"{n:03d}" for n in range(100, 120)
    ]


class ResultRows(HTMLParser):
    """The cells of a changelist's result table: each its tag, attributes, elements and text."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.rows, self.cell, self.in_results = [], None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("id", "result_list") in attrs:
            self.in_results = True
        elif self.in_results and tag == "tr":
            self.rows.append([])
        elif self.in_results and tag in ("th", "td"):
            self.cell = {"tag": tag, "attrs": dict(attrs), "elements": [], "text": ""}
        elif self.cell is not None:
            self.cell["elements"].append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_results = False
        elif self.cell is not None and tag in ("th", "td"):
            self.cell["text"] = " ".join(self.cell["text"].split())
            self.rows[-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data


@pytest.mark.parametrize(
    "params",
    [{}, {"status__exact": "published", "o": "3"}, {"q": "Baku"}, {"p": "2"}],
    ids=["first page", "a filter, sorted by title", "a search", "the second page"],
)
def test_the_document_list_shows_the_same_rows_as_a_plain_django_admin(
    settings, curator_client, archive, params
):
    settings.ROOT_URLCONF = "tests.admin.plain_admin"
    letter, report = archive
    letter.document_type = DocumentType.objects.create(name="Letter", slug="letter")
    letter.save()
    report.date_text, report.date_edtf = "undated", ""
    report.save()
    Scan.objects.bulk_create(
        placeholder_scan(letter, folder="x", name=f"letter-{order}", number=order, order=order)
        for order in [2, 1]
    )
    make_documents(110)
    ours = curator_client.get(reverse(CHANGELIST), params)
    plain = curator_client.get(reverse(CHANGELIST, current_app="plain_admin"), params)
    assert plain.status_code == ours.status_code == 200
    plain_html = plain.content.decode().replace('href="/plain-admin/', 'href="/admin/')
    rows, plain_rows = ResultRows(ours.content.decode()).rows, ResultRows(plain_html).rows
    assert rows == plain_rows
    header, *body = rows
    assert len(body) == len(ours.context["cl"].result_list) > 0
    cells = [cell for row in body for cell in row]
    links = [e for cell in cells for tag, e in cell["elements"] if tag == "a"]
    assert links and all(a["href"].startswith("/admin/documents/document/") for a in links)
    assert len(links) == 2 * len(body)
    assert any(tag == "input" for cell in cells for tag, _ in cell["elements"])
    if not params.get("q"):
        assert any(tag == "img" for cell in cells for tag, _ in cell["elements"])


def test_a_search_matching_more_than_the_cap_says_about_how_many_and_lists_them_in_order(
    monkeypatch, curator_client
):
    monkeypatch.setattr(CappedCountPaginator, "CAP", 150)
    make_documents(260)
    url = reverse(CHANGELIST)
    response = curator_client.get(url, {"q": "Bulk"})
    assert response.context["cl"].paginator.is_estimate
    assert "narrow the list with search or filters" in response.content.decode()
    assert [d.title for d in response.context["cl"].result_list] == listed_in_order()[:100]
    narrowed = curator_client.get(url, {"q": "Bulk", "status__exact": "published"})
    assert narrowed.context["cl"].result_count == 130
