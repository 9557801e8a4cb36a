"""People, subjects, places and collections with nothing published stay out of public view.

A visitor who guesses the address of a person named only on drafts or withdrawn records, or of a
draft collection, gets "not found" (and nothing of the record: not its name, code names or
note); staff who may preview drafts still see the page. Subjects and places have no pages of
their own: filtering the documents by one with nothing published names nothing.
"""

import pytest

from documents.models import Person, PersonName, Place, Status, Subject
from tests.factories import CollectionFactory, ContributionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def hidden_person(status):
    """A person named, with a code name and a note, on one document with `status` only."""
    person = Person.objects.create(name="Ivan Sadchikov", note="Soviet ambassador in Tehran.")
    PersonName.objects.create(person=person, name="Ambassador", kind=PersonName.Kind.CODE_NAME)
    ContributionFactory(person=person, document__title="An unseen letter", document__status=status)
    return person


@pytest.mark.parametrize("status", [Status.DRAFT, Status.WITHDRAWN])
def test_a_person_named_only_on_unpublished_documents_is_not_found_by_visitors(client, status):
    person = hidden_person(status)

    response = client.get(person.get_absolute_url())

    assert response.status_code == 404
    body = response.content.decode()
    assert "Sadchikov" not in body
    assert "Ambassador" not in body
    assert "Soviet ambassador in Tehran" not in body


def test_a_person_named_on_no_document_at_all_is_not_found_by_visitors(client):
    person = Person.objects.create(name="Nobody Yet")
    assert client.get(person.get_absolute_url()).status_code == 404


def test_staff_still_preview_a_person_named_only_on_drafts(client, curator):
    person = hidden_person(Status.DRAFT)
    client.force_login(curator)

    body = client.get(person.get_absolute_url()).content.decode()

    assert "Ivan Sadchikov" in body
    assert "Ambassador" in body
    assert "An unseen letter" in body


def test_a_person_appears_to_visitors_once_a_document_naming_them_is_published(client):
    person = hidden_person(Status.DRAFT)
    ContributionFactory(person=person, document__title="A published letter")

    body = client.get(person.get_absolute_url()).content.decode()

    assert "Ivan Sadchikov" in body
    assert "A published letter" in body
    assert "An unseen letter" not in body


@pytest.mark.parametrize("status", [Status.DRAFT, Status.WITHDRAWN])
def test_an_unpublished_collection_is_not_found_by_visitors_but_staff_preview_it(
    client, curator, status
):
    collection = CollectionFactory(title="Iran Crisis papers", status=status)

    response = client.get(collection.get_absolute_url())
    assert response.status_code == 404
    assert "Iran Crisis papers" not in response.content.decode()

    client.force_login(curator)
    assert "Iran Crisis papers" in client.get(collection.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("model", "parameter", "field"), [(Subject, "subject", "subjects"), (Place, "place", "places")]
)
def test_filtering_by_a_subject_or_place_with_nothing_published_names_nothing(
    client, model, parameter, field
):
    term = model.objects.create(name="Azerbaijan Democratic Party secrets")
    draft = DocumentFactory(title="An unseen letter", status=Status.DRAFT)
    getattr(draft, field).add(term)
    DocumentFactory(title="A published letter")

    response = client.get("/documents/", {parameter: term.slug})

    body = response.content.decode()
    assert "Azerbaijan Democratic Party secrets" not in body
    assert "An unseen letter" not in body
