"""The date filter explains itself: a document dated more widely than asked says so, and a
range the wrong way round is refused with the reason, on the page and in the API."""

import re

import pytest

from tests.factories import CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def results(client, url="/documents/", **params):
    """[(title, the note under it or "")] of the results, as the page shows them."""
    body = client.get(url, params).content.decode()
    found = re.findall(
        r'<h3 dir="auto"><a href="/documents/\d+/">(.*?)</a></h3>\s*'
        r'(?:<p class="date-note">(.*?)</p>)?',
        body,
    )
    return [(title, re.sub(r"</?bdi>", "", note)) for title, note in found]


@pytest.fixture
def dated(db):
    return {
        "day": DocumentFactory(title="Telegram of May 8", date_text="May 8, 1946"),
        "decade": DocumentFactory(title="Notes of the 1940s", date_text="1940s"),
        "month": DocumentFactory(title="Report of May", date_text="May 1946"),
        "range": DocumentFactory(title="Diary 1945 to 1947", date_text="1945/1947"),
    }


def test_a_one_day_filter_says_which_documents_only_may_fall_on_that_day(client, dated):
    found = dict(results(client, date_from="1946-05-08", date_to="1946-05-08"))
    assert found == {
        "Notes of the 1940s": "Dated 1940s: could fall on the day you asked, or outside it.",
        "Diary 1945 to 1947": "Dated 1945/1947: could fall on the day you asked, or outside it.",
        "Report of May": "Dated May 1946: could fall on the day you asked, or outside it.",
        "Telegram of May 8": "",
    }


def test_a_range_filter_says_which_documents_reach_outside_it(client, dated):
    found = dict(results(client, date_from="1946-05", date_to="1946-12"))
    assert found["Report of May"] == ""
    assert found["Telegram of May 8"] == ""
    assert found["Notes of the 1940s"] == (
        "Dated 1940s: could fall within the dates you asked, or outside them."
    )
    open_ended = dict(results(client, date_from="1946"))
    assert open_ended["Telegram of May 8"] == ""
    assert open_ended["Notes of the 1940s"].startswith("Dated 1940s: could fall within")


def test_without_a_date_filter_no_document_carries_a_note(client, dated):
    assert {note for _title, note in results(client)} == {""}


def test_a_collection_page_explains_its_date_filter_too(client, dated):
    collection = CollectionFactory()
    collection.documents.add(dated["decade"], dated["day"])
    found = dict(results(client, collection.get_absolute_url(), date_from="1946-05-08"))
    assert found["Notes of the 1940s"].startswith("Dated 1940s: could fall within")
    assert found["Telegram of May 8"] == ""


def test_a_reversed_range_is_refused_with_the_reason_on_the_form(client, dated):
    response = client.get("/documents/", {"date_from": "1947", "date_to": "1946-05"})
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        '<p class="field-error" id="date-to-error">The dates are the wrong way round: '
        "To (1946-05) is before From (1947). Put the earlier date in From.</p>"
    ) in body
    assert body.count('aria-invalid="true"') == 2
    assert "The dates were not applied: they are the wrong way round." in body
    # Neither end is applied alone: all four documents are still listed, with no note.
    assert len(results(client, date_from="1947", date_to="1946-05")) == 4


def test_a_range_within_one_year_is_not_reversed(client, dated):
    body = client.get("/documents/", {"date_from": "1946", "date_to": "1946-05"}).content.decode()
    assert "wrong way round" not in body
    assert "Telegram of May 8" in body


def test_the_api_refuses_a_reversed_range_naming_the_parameter(client, dated):
    response = client.get("/api/documents/", {"date_from": "1947", "date_to": "1946-05"})
    assert response.status_code == 400
    assert response.json() == {
        "date_to": [
            "The dates are the wrong way round: To (1946-05) is before From (1947). "
            "Put the earlier date in From."
        ]
    }
    one_year = {"date_from": "1946", "date_to": "1946"}
    assert client.get("/api/documents/", one_year).status_code == 200
