"""A person is found under every name they have, in every document that links them.

A document keeps the spelling it was linked with (`name_as_written`); the person's display name
and every variant name are in the search entry of each of their documents, so a spelling once
remembered as a variant name finds all of them, however the rows were written.
"""

import pytest

from documents import changes, search
from documents.models import Contribution, Document, PersonName
from tests.admin.conftest import form_data
from tests.factories import ContributionFactory, DocumentFactory, PersonFactory

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
