"""A person is found under every name they have, in every document that links them.

A document keeps the spelling it was linked with (`name_as_written`); the person's display name
and every variant name are in the search entry of each of their documents, so a spelling once
remembered as a variant name finds all of them, however the rows were written.
"""

import pytest

from documents import changes, search
from documents.models import Contribution, Document, Person, PersonName
from tests.admin.conftest import form_data
from tests.factories import ContributionFactory, DocumentFactory, PersonFactory
from tests.importing.conftest import import_rows, vocabulary  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def found(query):
    return set(search.search(Document.objects.published(), query).values_list("pk", flat=True))


@pytest.fixture
def qavam_documents(db):
    """Seven documents of one person: three linked with the spelling 'Ghavam', four as 'Qavam'."""
    qavam = PersonFactory(name="Ahmad Qavam")
    documents = [DocumentFactory(title=f"Cable {n}", text="Nothing else.") for n in range(7)]
    for n, document in enumerate(documents):
        ContributionFactory(
            document=document,
            person=qavam,
            role=Contribution.Role.MENTIONED,
            name_as_written="Ghavam" if n < 3 else "Qavam",
        )
    return qavam, {d.pk for d in documents}


def test_a_spelling_written_on_some_documents_finds_every_document_once_it_is_a_variant(
    qavam_documents,
):
    qavam, documents = qavam_documents
    assert len(found("Ghavam")) == 3
    PersonName.objects.create(person=qavam, name="Ghavam")
    assert found("Ghavam") == documents


def test_variant_names_added_in_bulk_find_every_document_when_recorded(qavam_documents):
    qavam, documents = qavam_documents
    with changes.batch():
        PersonName.objects.bulk_create([PersonName(person=qavam, name="Ghavam os-Saltaneh")])
        changes.record(people=[qavam.pk])  # as every bulk writer of names must
    assert found("Saltaneh") == documents


def test_a_variant_name_added_in_the_person_admin_finds_every_document(
    admin_client, qavam_documents
):
    qavam, documents = qavam_documents
    response = admin_client.get(f"/admin/documents/person/{qavam.pk}/change/")
    data = form_data(response, **{"variants-0-name": "Kavam", "variants-0-kind": "variant"})
    assert admin_client.post(f"/admin/documents/person/{qavam.pk}/change/", data).status_code == 302
    assert found("Kavam") == documents


def test_removing_a_variant_name_stops_it_finding_the_persons_documents(qavam_documents):
    qavam, documents = qavam_documents
    variant = PersonName.objects.create(person=qavam, name="Kavam")
    assert found("Kavam") == documents
    variant.delete()
    assert found("Kavam") == set()


@pytest.mark.usefixtures("vocabulary")
def test_a_spelling_answered_in_an_import_finds_all_of_the_persons_documents(tmp_path):
    """The issue's "finds 3 of that person's 7 documents": four documents name Qavam, three
    rows of a file name him 'Ghavam'; once the import's question is answered, 'Ghavam' finds
    all seven, and the rows' own spelling is kept on them."""
    qavam = Person.objects.get(name="Qavam")
    earlier = [DocumentFactory(title=f"Earlier cable {n}", text="Nothing.") for n in range(4)]
    for document in earlier:
        ContributionFactory(document=document, person=qavam, role=Contribution.Role.AUTHOR)
    rows = [
        ["title", "date", "authors", "status"],
        *([f"Cable {n} on the oil concession", "1946", "Ghavam", "published"] for n in range(3)),
    ]
    result = import_rows(tmp_path, rows, accept_suggestions=True)
    assert result.ok and result.created == 3
    assert set(
        Contribution.objects.filter(person=qavam).values_list("name_as_written", flat=True)
    ) == {
        "",
        "Ghavam",
    }
    assert len(found("Ghavam")) == 7
    assert found("Ghavam") == found("Qavam")
