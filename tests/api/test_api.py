"""The read-only JSON API: published records only, the document list's own filters, counted
pages, clear 400s, throttling, and an OpenAPI description that validates."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from documents.models import Document
from tests.discovery.records import HIDDEN_COLLECTIONS, HIDDEN_PEOPLE, HIDDEN_TITLES

LISTS = ["/api/documents/", "/api/people/", "/api/collections/", "/api/subjects/", "/api/places/"]


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_no_endpoint_shows_drafts_withdrawn_records_or_their_people(client, archive):
    urls = [*LISTS, f"/api/collections/{archive.collection.slug}/"]
    urls += [f"/api/documents/{d.record_id}/" for d in Document.objects.published()]
    urls += [f"/api/people/{p.slug}/" for p in (archive.stalin, archive.bagirov)]
    for url in urls:
        text = json.dumps(get(client, url))
        for hidden in HIDDEN_TITLES + HIDDEN_PEOPLE + HIDDEN_COLLECTIONS:
            assert hidden not in text, (url, hidden)


def test_unpublished_records_are_not_found_and_withdrawn_ones_are_gone(client, archive):
    get(client, f"/api/documents/{archive.draft.record_id}/", 404)
    gone = get(client, f"/api/documents/{archive.withdrawn.record_id}/", 410)
    assert gone == {"detail": "This record was withdrawn from the archive."}
    get(client, f"/api/people/{archive.draft_only.slug}/", 404)
    get(client, f"/api/people/{archive.withdrawn_only.slug}/", 404)
    get(client, f"/api/collections/{archive.unfinished.slug}/", 404)


def test_a_subject_only_drafts_use_is_not_listed(client, archive):
    from documents.models import Subject

    secret = Subject.objects.create(name="Secret operation")
    archive.draft.subjects.add(secret)
    names = [term["name"] for term in get(client, "/api/subjects/")["results"]]
    assert names == ["Iran Crisis, 1946", "Oil"]
    get(client, f"/api/subjects/{secret.slug}/", 404)
    oil = get(client, "/api/subjects/oil/")
    assert oil["document_count"] == 1
    assert oil["documents"] == "http://testserver/api/documents/?subject=oil"


def test_document_list_takes_the_filters_of_the_documents_page(client, archive):
    for query in [
        "place=tabriz",
        "place=tabriz&place=tehran",
        "person=m-d-bagirov&role=author",
        "date_from=1946&sort=-date",
        "q=Qavam",
        "type=telegram&type=letter&sort=title",
        f"collection={archive.crisis.slug}",
        f"collection={archive.unfinished.slug}",
        "language=az",
        "repository=RGASPI",
    ]:
        api = get(client, f"/api/documents/?{query}")
        page = client.get(f"/documents/?{query}")
        shown = [d.record_id for d in page.context["page_obj"].object_list]
        assert api["count"] == page.context["paginator"].count, query
        assert [d["record_id"] for d in api["results"]] == shown, query


def test_bad_filter_values_are_a_400_naming_the_parameter(client, archive):
    cases = {
        "date_from=19x6": "date_from",
        "date_to=1946-02-31": "date_to",
        "sort=newest": "sort",
        "place=not%20a%20slug!": "place",
        "page=zero": "page",
        "page=0": "page",
        "page_size=1000": "page_size",
        "page_size=-3": "page_size",
    }
    for query, name in cases.items():
        errors = get(client, f"/api/documents/?{query}", 400)
        assert list(errors) == [name], query
        assert all(message.endswith(".") for message in errors[name]), errors
    assert get(client, "/api/documents/?page=9", 404)["detail"] == (
        "There is no page 9: the results fill 1."
    )
    get(client, "/api/people/?page=x", 400)


def test_pages_have_a_count_and_links(client, archive):
    first = get(client, "/api/documents/?page_size=2&sort=date")
    assert first["count"] == 3
    assert first["next"] == "http://testserver/api/documents/?page=2&page_size=2&sort=date"
    second = get(client, first["next"])
    assert second["previous"] and not second["next"] and len(second["results"]) == 1


@pytest.mark.parametrize("url", LISTS)
def test_a_list_costs_the_same_queries_for_any_page_size(client, archive, url):
    def queries(size):
        with CaptureQueriesContext(connection) as captured:
            get(client, f"{url}?page_size={size}")
        return len(captured)

    for number in range(6):
        document = Document.objects.create(title=f"More {number}", status="published")
        document.subjects.add(archive.oil)
        document.places.add(archive.tabriz)
        document.contributions.create(person=archive.stalin, role="author")
        archive.crisis.documents.add(document)
    get(client, url)  # the first request builds this process's index of published documents
    assert queries(1) == queries(100)


def test_a_document_record_holds_what_its_page_shows(client, archive):
    record = get(client, f"/api/documents/{archive.bagirov_letter.record_id}/")
    assert record["page"] == f"http://testserver{archive.bagirov_letter.get_absolute_url()}"
    assert {(p["name"], p["role"]) for p in record["people"]} == {
        ("M. D. Bagirov", "author"),
        ("I. V. Stalin", "recipient"),
        ("V. M. Molotov", "recipient"),
        ("Jamil Hasanli", "obtained_by"),
        ("Gary Goldberg", "translator"),
    }
    assert record["citations"] == [
        {
            "repository": "GAPPOD",
            "repository_name": "Archive of Political Parties and Social Movements of Azerbaijan",
            "repository_place": "Baku",
            "reference": "f.1, op.89, d.112",
        }
    ]
    assert [c["title"] for c in record["collections"]] == ["Iran-Soviet Relations"]
    assert record["credit_line"] == archive.bagirov_letter.credit_line()


def test_a_person_record_counts_published_documents_per_role(client, archive):
    record = get(client, f"/api/people/{archive.bagirov.slug}/")
    assert record["roles"] == [{"role": "author", "documents": 2}]
    assert "Bagirov" in record["variant_names"]


def test_visitors_are_throttled_past_the_rate(client, archive, settings):
    settings.API_THROTTLE_RATES = {"anon": "3/minute", "user": "10/minute"}
    for _request in range(3):
        get(client, "/api/subjects/")
    response = client.get("/api/subjects/")
    assert response.status_code == 429
    assert "Retry-After" in response


def test_the_openapi_description_validates_and_names_every_filter(client, archive):
    schema = get(client, "/api/schema/")
    validate(schema)
    parameters = {p["name"] for p in schema["paths"]["/api/documents/"]["get"]["parameters"]}
    from documents.browse.filters import DocumentFilter

    assert set(DocumentFilter.base_filters) | {"page", "page_size"} == parameters
    assert set(schema["paths"]) >= {
        "/api/documents/{record_id}/",
        "/api/people/{slug}/",
        "/api/collections/{slug}/",
        "/api/subjects/{slug}/",
        "/api/places/{slug}/",
    }


def test_the_docs_page_loads_everything_from_the_site_itself(client, archive):
    page = client.get("/api/docs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<style" not in html and "<script>" not in html
    assert 'src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"' in html
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
