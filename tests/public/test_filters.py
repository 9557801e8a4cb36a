"""Filters on /documents/ and collection pages: alone, combined, and their facet counts."""

import re

import pytest

from documents.models import Funding, Organization, Status
from tests.factories import DocumentFactory, DocumentTypeFactory

pytestmark = pytest.mark.django_db


def titles(client, url="/documents/", **params):
    body = client.get(url, params).content.decode()
    return re.findall(r'<h3 dir="auto"><a href="/documents/\d+/">(.*?)</a></h3>', body)


def short(archive, *names):
    return [getattr(archive, name).title for name in names]


def facet(client, name, url="/documents/", **params):
    """{option label: count} of one facet, as the page shows it."""
    body = client.get(url, params).content.decode()
    section = re.search(rf'<h3 id="facet-{name}">.*?</ul>', body, re.S)
    if not section:
        return {}
    options = re.findall(
        r'<a href="[^"]*"[^>]*><span class="label">(?:<span aria-hidden="true">✓</span> )?'
        r'<bdi>(.*?)</bdi></span> <span class="count">(\d+)</span></a>',
        section.group(0),
    )
    return {label: int(count) for label, count in options}


# Each filter alone ------------------------------------------------------------------------------


def test_documents_page_lists_every_published_document_by_date(client, archive):
    assert titles(client) == short(archive, "baku_telegram", "bagirov_letter", "stalin_letter")


def test_type_filter(client, archive):
    assert titles(client, type="telegram") == short(archive, "baku_telegram")


def test_several_types_widen_the_results(client, archive):
    assert len(titles(client, type=["telegram", "letter"])) == 3


def test_language_filter(client, archive):
    assert titles(client, language="az") == short(archive, "bagirov_letter")


def test_person_filter(client, archive):
    assert titles(client, person="m-d-bagirov") == short(archive, "baku_telegram", "bagirov_letter")


def test_role_narrows_the_person_filter(client, archive):
    assert titles(client, person="i-v-stalin", role="author") == short(archive, "stalin_letter")
    assert titles(client, person="i-v-stalin", role="recipient") == short(
        archive, "baku_telegram", "bagirov_letter"
    )


def test_role_alone_finds_documents_with_someone_in_that_role(client, archive):
    assert titles(client, role="obtained_by") == short(archive, "bagirov_letter")


def test_subject_filter(client, archive):
    assert titles(client, subject="oil") == short(archive, "bagirov_letter")


def test_place_filter(client, archive):
    assert titles(client, place="tehran") == short(archive, "bagirov_letter", "stalin_letter")


def test_repository_filter(client, archive):
    assert titles(client, repository="GAPPOD") == short(archive, "bagirov_letter")


def test_classification_filter(client, archive):
    assert titles(client, classification="top-secret") == short(
        archive, "baku_telegram", "stalin_letter"
    )


def fund(name, *documents):
    funder = Organization.objects.create(name=name)
    for document in documents:
        Funding.objects.create(document=document, organization=funder)
    return funder


def test_funder_filter_finds_the_documents_an_organization_funded(client, archive):
    fund("MacArthur Foundation", archive.stalin_letter, archive.baku_telegram)
    assert titles(client, funder="macarthur-foundation") == short(
        archive, "baku_telegram", "stalin_letter"
    )


def test_several_funders_narrow_the_results(client, archive):
    fund("MacArthur Foundation", archive.stalin_letter, archive.baku_telegram)
    fund("Leon Levy Foundation", archive.stalin_letter, archive.bagirov_letter)
    assert titles(client, funder=["macarthur-foundation", "leon-levy-foundation"]) == short(
        archive, "stalin_letter"
    )


def test_collection_filter_knows_only_published_collections(client, archive):
    assert titles(client, collection="the-iranazerbaijan-crisis-1946") == short(
        archive, "stalin_letter"
    )
    assert titles(client, collection="unfinished-collection") == []


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        ("1946", "", ["bagirov_letter", "stalin_letter"]),
        ("", "1945", ["baku_telegram"]),
        ("1946-04", "1946-04", ["bagirov_letter"]),
        ("1946-05-08", "1946-05-08", ["stalin_letter"]),
        ("1945-11-24", "1946-04-19", []),
    ],
)
def test_date_filters_take_a_year_a_month_or_a_day(client, archive, date_from, date_to, expected):
    assert titles(client, date_from=date_from, date_to=date_to) == short(archive, *expected)


def test_approximate_and_ranged_dates_match_when_their_range_overlaps(client, db):
    circa = DocumentFactory(title="Circa 1946 note", date_text="circa 1946")
    ranged = DocumentFactory(title="Notes 1945 to 1947", date_text="1945/1947")
    DocumentFactory(title="Undated note", date_text="undated")
    DocumentFactory(title="Old note", date_text="1920")
    assert set(titles(client, date_from="1946-06", date_to="1946-06")) == {
        circa.title,
        ranged.title,
    }
    assert titles(client, date_from="1947-02") == [ranged.title]


def test_an_impossible_date_is_explained_not_an_error(client, archive):
    response = client.get("/documents/", {"date_from": "1946-02-31", "date_to": "May 1946"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "1946-02-31 is not a date in the calendar." in body
    assert "Enter a year (1946), a month (1946-05) or a day (1946-05-08)." in body


def test_unknown_filter_values_find_nothing_without_an_error(client, archive):
    response = client.get("/documents/", {"subject": "no-such-subject"})
    assert response.status_code == 200
    assert "No published documents match" in response.content.decode()


def test_malformed_filter_values_are_reported(client, archive):
    response = client.get("/documents/", {"person": "<script>"})
    assert response.status_code == 200
    assert (
        "&#x27;&lt;script&gt;&#x27; is not a value this filter knows." in response.content.decode()
    )


# Combined ---------------------------------------------------------------------------------------


def test_filters_combine(client, archive):
    assert titles(client, place="tabriz", classification="top-secret") == short(
        archive, "baku_telegram"
    )
    assert titles(client, q="Stalin", language="az", subject="oil", date_from="1946") == short(
        archive, "bagirov_letter"
    )


def test_several_values_of_one_filter_narrow_the_results(client, archive):
    assert titles(client, place=["tabriz", "tehran"]) == short(archive, "bagirov_letter")


def test_search_and_filters_combine_on_a_collection_page(client, archive):
    url = archive.collection.get_absolute_url()
    assert titles(client, url, q="Tabriz", type="letter") == short(archive, "bagirov_letter") * 2


# Sort and pages ---------------------------------------------------------------------------------


def test_sort_by_newest_and_by_title(client, archive):
    assert titles(client, sort="-date") == short(
        archive, "stalin_letter", "bagirov_letter", "baku_telegram"
    )
    assert titles(client, sort="title") == short(
        archive, "bagirov_letter", "stalin_letter", "baku_telegram"
    )


def test_undated_documents_sort_last_both_ways(client, db):
    DocumentFactory(title="Undated", date_text="undated")
    DocumentFactory(title="Dated", date_text="1946")
    assert titles(client, sort="date") == ["Dated", "Undated"]
    assert titles(client, sort="-date") == ["Dated", "Undated"]


def test_results_come_twenty_to_a_page_and_keep_the_filters(client, db):
    cable = DocumentTypeFactory(name="Cable")
    for n in range(45):
        DocumentFactory(title=f"Cable {n:02d}", date_text="1946", document_type=cable)
    DocumentFactory(title="Letter", date_text="1946")
    body = client.get("/documents/", {"type": "cable", "sort": "title"}).content.decode()
    assert "45 documents, showing 1–20." in body
    assert "?type=cable&amp;sort=title&amp;page=2" in body
    assert titles(client, type="cable", sort="title", page=3) == [
        f"Cable {n:02d}" for n in range(40, 45)
    ]
    assert titles(client, type="cable", sort="title", page=99)[-1] == "Cable 44"


# Facets -----------------------------------------------------------------------------------------


def test_facet_counts_cover_the_current_results_and_never_count_drafts(client, archive):
    assert facet(client, "place") == {"Tabriz": 2, "Tehran": 2}
    assert facet(client, "subject") == {"Iran Crisis, 1946": 2, "Oil": 1}
    assert facet(client, "repository") == {
        "Russian State Archive of Socio-Political History": 2,
        "Archive of Political Parties and Social Movements of Azerbaijan": 1,
    }
    assert facet(client, "type") == {"Letter": 2, "Telegram": 1}
    assert facet(client, "language") == {"Russian": 3, "Azerbaijani": 1}
    assert facet(client, "collection") == {
        "Iran-Soviet Relations": 3,
        "The Iran/Azerbaijan Crisis, 1946": 1,
    }
    people = facet(client, "person")
    assert people["M. D. Bagirov"] == 2  # the draft he wrote is not counted
    assert people["I. V. Stalin"] == 3


def test_facet_counts_follow_the_filters_and_the_search(client, archive):
    assert facet(client, "place", place="tehran") == {"Tehran": 2, "Tabriz": 1}
    assert facet(client, "type", q="Tabriz") == {"Letter": 1, "Telegram": 1}
    assert facet(client, "role", person="i-v-stalin") == {"Recipient": 2, "Author": 1}


def test_each_facet_count_is_the_number_of_results_its_link_gives(client, archive):
    body = client.get("/documents/").content.decode()
    links = re.findall(
        r'<a href="\?([^"]*)"><span class="label"><bdi>([^<]*?)</bdi></span> '
        r'<span class="count">(\d+)</span></a>',
        body,
    )
    assert len(links) > 15
    for query, _label, count in links:
        query = query.replace("&amp;", "&")
        page = client.get(f"/documents/?{query}").content.decode()
        assert re.search(rf"\b{count} documents?\b", page), query


def test_chosen_options_can_be_removed(client, archive):
    body = client.get("/documents/", {"place": "tehran", "type": "letter"}).content.decode()
    assert 'aria-label="Remove filter Places: Tehran"' in body
    assert 'href="?type=letter" aria-label="Remove filter Places: Tehran"' in body


def test_collection_page_facets_count_only_that_collections_published_documents(client, archive):
    url = archive.collection.get_absolute_url()
    assert facet(client, "place", url) == {"Tabriz": 2, "Tehran": 2}
    assert facet(client, "collection", url) == {}


def test_funder_facet_counts_published_documents_and_links_to_each_funder_by_slug(client, archive):
    fund("MacArthur Foundation", archive.stalin_letter, archive.baku_telegram, archive.draft)
    fund("Leon Levy Foundation", archive.bagirov_letter)
    assert facet(client, "funder") == {"MacArthur Foundation": 2, "Leon Levy Foundation": 1}
    body = client.get("/documents/").content.decode()
    assert '<h3 id="facet-funder">Funders</h3>' in body
    assert 'href="?funder=macarthur-foundation"' in body
    url = archive.collection.get_absolute_url()
    assert facet(client, "funder", url, type="letter") == {
        "MacArthur Foundation": 1,
        "Leon Levy Foundation": 1,
    }


def test_a_chosen_funder_can_be_removed(client, archive):
    fund("MacArthur Foundation", archive.stalin_letter)
    body = client.get("/documents/", {"funder": "macarthur-foundation"}).content.decode()
    assert 'aria-label="Remove filter Funders: MacArthur Foundation"' in body


def test_withdrawn_documents_are_never_counted(client, archive):
    archive.baku_telegram.status = Status.WITHDRAWN
    archive.baku_telegram.save()
    assert facet(client, "type") == {"Letter": 2}
    assert "Telegram" not in client.get("/documents/").content.decode()


def test_a_list_asked_before_shows_the_facets_and_timeline_of_the_archive_as_it_is_now(
    client, archive
):
    collection = archive.collection.get_absolute_url()
    assert facet(client, "subject", collection) == {"Iran Crisis, 1946": 2, "Oil": 1}
    before = client.get(collection).content.decode()

    archive.draft.status = Status.PUBLISHED
    archive.draft.save()
    assert facet(client, "subject", collection) == {"Iran Crisis, 1946": 2, "Oil": 2}
    oil = archive.draft.subjects.get()
    oil.name = "Oil concessions"
    oil.save()
    assert facet(client, "subject", collection) == {"Iran Crisis, 1946": 2, "Oil concessions": 2}
    after = client.get(collection).content.decode()
    assert "1946: 2 documents" in before and "1946: 3 documents" in after
