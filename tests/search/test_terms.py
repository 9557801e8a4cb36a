"""Search finds a document by its subjects, places, collections and funders, under every name.

The index holds what a visitor may see: a draft collection's title finds nothing, on the public
list or in the admin. Renaming an entry (or giving it another name), publishing or unpublishing
a collection, and deleting an entry each reach the index through `documents.changes`.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive_collections.models import Collection
from documents import changes, search
from documents.models import Document, Funding, Organization, Place, Status, Subject
from documents.workflows.publishing import publish, unpublish
from tests.factories import CollectionFactory, DocumentFactory, RepositoryFactory

pytestmark = pytest.mark.django_db


def found(query):
    return set(search.search(Document.objects.published(), query).values_list("title", flat=True))


def public_titles(client, query):
    body = client.get("/documents/", {"q": query}).content.decode()
    return set(re.findall(r'<h3[^>]*><a href="/documents/\d+/">(.*?)</a></h3>', body))


def admin_titles(client, query):
    response = client.get("/admin/documents/document/", {"q": query})
    return {document.title for document in response.context["cl"].result_list}


@pytest.fixture
def letter(db):
    return DocumentFactory(title="Letter on the situation in the north", text="Nothing else.")


def test_a_subject_finds_its_documents_by_one_word_of_its_name(client, letter):
    letter.subjects.add(Subject.objects.create(name="Tudeh Party of Iran"))
    assert found("Tudeh") == {letter.title}
    assert public_titles(client, "Tudeh") == {letter.title}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 labels the passage it shows")
def test_a_match_in_a_subject_shows_the_subject_as_the_passage(letter):
    letter.subjects.add(Subject.objects.create(name="Tudeh Party of Iran"))
    [document] = search.search(Document.objects.published(), "Tudeh")[:1]
    assert document.search_snippet.startswith("Indexed under: ")
    assert "Tudeh" in document.search_snippet


def test_a_place_finds_its_documents(letter):
    letter.places.add(Place.objects.create(name="Mahabad"))
    assert found("Mahabad") == {letter.title}


def test_a_funder_finds_its_documents_by_name_and_by_abbreviation(letter):
    funder = Organization.objects.create(name="Carnegie Corporation", abbreviation="CCNY")
    Funding.objects.create(document=letter, organization=funder)
    assert found("Carnegie") == found("CCNY") == {letter.title}


def test_a_published_collection_finds_its_documents_by_its_title(letter):
    CollectionFactory(title="Azerbaijan Crisis, 1945-1946").documents.add(letter)
    assert found("Azerbaijan") == {letter.title}


def test_other_names_of_subjects_places_collections_funders_and_repositories_find_documents(
    letter,
):
    letter.subjects.add(Subject.objects.create(name="Oil", other_names="Petroleum\nNeft"))
    letter.places.add(Place.objects.create(name="Tabriz", other_names="Tauris"))
    CollectionFactory(title="Iran", other_names="Persia").documents.add(letter)
    funder = Organization.objects.create(name="Funder", other_names="Stiftung Kuznets")
    Funding.objects.create(document=letter, organization=funder)
    repository = RepositoryFactory(abbreviation="AMFA", other_names="Arkhiv vneshnei politiki")
    letter.citations.create(repository=repository, reference="f. 94")
    for name in ("Petroleum", "Neft", "Tauris", "Persia", "Kuznets", "vneshnei"):
        assert found(name) == {letter.title}, name


def test_a_draft_collections_title_finds_nothing_in_public_or_admin_search(
    client, admin_client, letter
):
    CollectionFactory(title="Unannounced Kurdish papers", status=Status.DRAFT).documents.add(letter)
    assert found("Unannounced") == set()
    assert public_titles(client, "Unannounced") == set()
    assert admin_titles(admin_client, "Unannounced") == set()


def test_the_admin_document_search_finds_by_subject(admin_client, letter):
    letter.subjects.add(Subject.objects.create(name="Tudeh Party of Iran"))
    assert admin_titles(admin_client, "Tudeh") == {letter.title}


def test_publishing_a_collection_makes_its_title_find_its_documents_and_unpublishing_undoes_it(
    admin_user, letter
):
    collection = CollectionFactory(title="Kurdish Republic", status=Status.DRAFT)
    collection.documents.add(letter)
    publish(Collection.objects.filter(pk=collection.pk), by=admin_user)
    assert found("Kurdish") == {letter.title}
    unpublish(Collection.objects.filter(pk=collection.pk), by=admin_user)
    assert found("Kurdish") == set()


def test_renaming_a_subject_finds_its_documents_by_the_new_name_only(letter):
    subject = Subject.objects.create(name="Oil concesion")
    letter.subjects.add(subject)
    subject.name = "Oil concession"
    subject.save()
    assert found("concession") == {letter.title}
    assert found("concesion") == set()


def test_giving_a_place_another_name_finds_its_documents_by_it(letter):
    place = Place.objects.create(name="Tabriz")
    letter.places.add(place)
    place.other_names = "Tebriz"
    place.save()
    assert found("Tebriz") == {letter.title}


def test_deleting_a_subject_stops_it_finding_its_documents(letter):
    subject = Subject.objects.create(name="Tudeh Party of Iran")
    letter.subjects.add(subject)
    subject.delete()
    assert found("Tudeh") == set()


def test_renaming_subjects_in_bulk_reaches_the_index_when_recorded(letter):
    letter.subjects.add(Subject.objects.create(name="Oil concesion"))
    rows = Subject.objects.filter(name="Oil concesion")
    with changes.batch():
        changes.record_rows(rows)  # as a bulk writer does, before its UPDATE
        rows.update(name="Oil concession")
    assert found("concession") == {letter.title}


def test_saving_a_subject_without_changing_its_names_rewrites_no_search_entry(letter):
    subject = Subject.objects.create(name="Tudeh Party of Iran")
    letter.subjects.add(subject)
    with CaptureQueriesContext(connection) as queries:
        Subject.objects.get(pk=subject.pk).save()
    assert not [q for q in queries if "documents_search" in q["sql"]]
