"""The browse pages of people, subjects and places: /people/, /subjects/ and /places/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents import views
from documents.models import Contribution, Document, Person, Place, Status, Subject
from tests.factories import DocumentFactory, PersonFactory
from tests.public.test_query_counts import grow

pytestmark = pytest.mark.django_db


def entries(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return {entry["term"].name: entry for entry in response.context["entries"]}


def only_on(status, *, person=None, subject=None, place=None):
    """A document of `status` naming these, and nothing published naming them."""
    document = DocumentFactory(status=status, title=f"A {status} record")
    if person:
        Contribution.objects.create(document=document, person=person, role="author")
    if subject:
        document.subjects.add(subject)
    if place:
        document.places.add(place)
    return document


def test_people_named_only_in_drafts_or_withdrawn_records_are_not_listed(client, archive):
    only_on(Status.DRAFT, person=PersonFactory(name="Draft Only"))
    only_on(Status.WITHDRAWN, person=PersonFactory(name="Withdrawn Only"))
    PersonFactory(name="Named Nowhere")
    listed = entries(client, "/people/")
    assert "Draft Only" not in listed
    assert "Withdrawn Only" not in listed
    assert "Named Nowhere" not in listed
    assert "M. D. Bagirov" in listed
    assert entries(client, "/people/", {"q": "Draft Only"}) == {}


def test_the_people_page_counts_only_published_documents(client, archive):
    # Bagirov wrote two published documents and the draft.
    listed = entries(client, "/people/")
    assert listed["M. D. Bagirov"]["count"] == 2
    assert listed["I. V. Stalin"]["count"] == 3
    Document.objects.filter(pk=archive.baku_telegram.pk).update(status=Status.WITHDRAWN)
    from documents import changes

    changes.rebuild()
    assert entries(client, "/people/")["M. D. Bagirov"]["count"] == 1


def test_subjects_and_places_only_drafts_name_are_not_listed_and_drafts_are_not_counted(
    client, archive
):
    secret = Subject.objects.create(name="Secret subject")
    hidden = Place.objects.create(name="Hidden place")
    only_on(Status.DRAFT, subject=secret, place=hidden)
    subjects = entries(client, "/subjects/")
    places = entries(client, "/places/")
    assert "Secret subject" not in subjects
    assert "Hidden place" not in places
    # The draft is about oil, in Tabriz: the published documents alone are counted.
    assert subjects["Oil"]["count"] == 1
    assert subjects["Iran Crisis, 1946"]["count"] == 2
    assert places["Tabriz"]["count"] == 2
    assert places["Tehran"]["count"] == 2


@pytest.mark.parametrize("written", ["Bagriov", "bagirov", "Багиров", "M.D. Bagriov", "Bagi"])
def test_a_person_is_found_under_any_spelling_of_their_name(client, archive, written):
    found = entries(client, "/people/", {"q": written})
    assert "M. D. Bagirov" in found
    assert "I. V. Stalin" not in found


def test_a_person_found_by_search_shows_the_names_they_are_also_written_under(client, archive):
    body = client.get("/people/", {"q": "Filippov"}).content.decode()
    assert "I. V. Stalin" in body
    assert "Also written: <bdi>Filippov</bdi>; <bdi>Stalin</bdi>" in body


def test_a_search_that_finds_nobody_says_so(client, archive):
    body = client.get("/people/", {"q": "Churchill"}).content.decode()
    assert "Nothing named in a published document is found by" in body
    assert client.get("/people/", {"q": "!!!"}).status_code == 200


def test_subjects_and_places_are_found_by_their_other_names_and_spellings(client, archive):
    archive.oil.other_names = "Petroleum\nНефть"
    archive.oil.save()
    assert "Oil" in entries(client, "/subjects/", {"q": "petroleum"})
    assert "Oil" in entries(client, "/subjects/", {"q": "нефть"})
    assert "Oil" in entries(client, "/subjects/", {"q": "Petro"})
    assert "Tehran" in entries(client, "/places/", {"q": "Teheran"})
    assert list(entries(client, "/places/", {"q": "tabr"})) == ["Tabriz"]


def test_the_letter_bar_offers_only_letters_that_have_people(client, archive):
    response = client.get("/people/")
    letters = dict(response.context["letters"])
    # Bagirov, Goldberg, Hasanli, Maslennikov, Molotov, Pishevari, Qavam, Stalin.
    assert letters == {"B": 1, "G": 1, "H": 1, "M": 2, "P": 1, "Q": 1, "S": 1}
    body = response.content.decode()
    assert 'href="?letter=M"' in body
    assert 'href="?letter=A"' not in body


def test_people_are_listed_a_to_z_by_sort_name_and_by_letter(client, archive):
    assert list(entries(client, "/people/")) == [
        "M. D. Bagirov",
        "Gary Goldberg",
        "Jamil Hasanli",
        "I. I. Maslennikov",
        "V. M. Molotov",
        "Ja'far Pishevari",
        "Ahmad Qavam",
        "I. V. Stalin",
    ]
    assert list(entries(client, "/people/", {"letter": "M"})) == [
        "I. I. Maslennikov",
        "V. M. Molotov",
    ]
    # A letter nobody's name begins with, or nonsense, lists everyone.
    assert len(entries(client, "/people/", {"letter": "Z"})) == 8
    assert len(entries(client, "/people/", {"letter": "<script>"})) == 8


def test_names_in_other_scripts_and_with_turkic_letters_are_listed_under_their_latin_letter(
    client, archive
):
    for name in ("Əliyev, Heydər", "Молотов, В. М.", "1st Secretary"):
        person = Person.objects.create(name=name, sort_name=name)
        Contribution.objects.create(document=archive.stalin_letter, person=person, role="mentioned")
    letters = dict(client.get("/people/").context["letters"])
    assert letters["A"] == 1
    assert letters["M"] == 3
    assert list(letters)[-1] == "#"
    assert list(entries(client, "/people/", {"letter": "#"})) == ["1st Secretary"]


def test_the_people_page_is_paginated(client, archive, monkeypatch):
    monkeypatch.setattr(views, "DIRECTORY_PER_PAGE", 3)
    first = entries(client, "/people/")
    second = entries(client, "/people/", {"page": 2})
    third = entries(client, "/people/", {"page": 3})
    assert len(first) == len(second) == 3
    assert len(third) == 2
    assert not set(first) & set(second)
    body = client.get("/people/", {"letter": "M", "page": 1}).content.decode()
    assert "page=2" not in body


def test_each_entry_links_to_the_documents_that_name_it_and_they_are_as_many(client, archive):
    for url in ("/people/", "/subjects/", "/places/"):
        for entry in entries(client, url).values():
            listed = client.get(entry["list_url"])
            assert listed.context["paginator"].count == entry["count"], entry["list_url"]


def test_people_link_to_their_pages_and_terms_to_the_filtered_list(client, archive):
    people = client.get("/people/").content.decode()
    assert f'href="{archive.bagirov.get_absolute_url()}"' in people
    assert 'href="/documents/?person=m-d-bagirov"' in people
    subjects = client.get("/subjects/").content.decode()
    assert 'href="/documents/?subject=oil"' in subjects
    places = client.get("/places/").content.decode()
    assert 'href="/documents/?place=tabriz"' in places


def test_the_site_navigation_and_the_home_page_link_the_browse_pages(client, archive):
    for url in ("/", "/documents/"):
        body = client.get(url).content.decode()
        for page in ('href="/people/"', 'href="/subjects/"', 'href="/places/"'):
            assert page in body


def count_queries(client, url, params=None):
    client.get(url, params or {})  # builds the index and the listing if the archive changed
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/people/", {}),
        ("/people/", {"letter": "B"}),
        ("/people/", {"q": "Bagriov"}),
        ("/subjects/", {}),
        ("/subjects/", {"q": "oil"}),
        ("/places/", {"q": "Teheran"}),
    ],
)
def test_browse_page_queries_do_not_grow_with_documents_or_people(client, archive, url, params):
    before = count_queries(client, url, params)
    grow(archive, 30)
    assert count_queries(client, url, params) == before


def test_publishing_a_draft_shows_its_person_on_the_cached_people_page(
    client, archive, page_cache, django_capture_on_commit_callbacks
):
    newcomer = PersonFactory(name="Newly Published")
    draft = only_on(Status.DRAFT, person=newcomer, subject=Subject.objects.create(name="Newer"))
    assert "Newly Published" not in client.get("/people/").content.decode()
    assert "Newer" not in client.get("/subjects/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = Status.PUBLISHED
        draft.save()
    assert "Newly Published" in client.get("/people/").content.decode()
    assert "Newer" in client.get("/subjects/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        newcomer.name = "Renamed Person"
        newcomer.save()
    body = client.get("/people/").content.decode()
    assert "Renamed Person" in body
    assert "Newly Published" not in body
