"""A deleted record's public address: 410 with a notice if the public saw it, 404 if never."""

import pytest
from django.urls import reverse

from documents.models import Status
from tests.factories import CollectionFactory, ContributionFactory, DocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "", "a-long-test-password")
    return user


def delete(client, user, obj):
    client.force_login(user)
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    client.logout()


def test_a_deleted_published_document_answers_410_saying_when_it_was_deleted(client, staff):
    document = DocumentFactory(title="Telegram from Bagirov to Stalin")
    url = document.get_absolute_url()
    delete(client, staff, document)
    response = client.get(url)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This document has been deleted" in page
    assert "Telegram from Bagirov to Stalin" in page and f"record {document.record_id}" in page
    assert "was deleted from the archive on" in page


def test_a_draft_never_published_stays_unknown_after_deletion(client, staff):
    document = DocumentFactory(title="A draft no one saw", status=Status.DRAFT)
    url = document.get_absolute_url()
    delete(client, staff, document)
    response = client.get(url)
    assert response.status_code == 404
    assert "A draft no one saw" not in response.content.decode()


def test_a_deleted_person_once_named_by_a_published_document_answers_410(client, staff):
    person = PersonFactory(name="Mir Jafar Baghirov")
    contribution = ContributionFactory(person=person, document=DocumentFactory())
    url = person.get_absolute_url()
    assert client.get(url).status_code == 200
    delete(client, staff, contribution.document)
    delete(client, staff, person)
    response = client.get(url)
    assert response.status_code == 410
    assert "This person has been deleted" in response.content.decode()


def test_a_deleted_person_only_ever_named_in_drafts_stays_404(client, staff):
    person = PersonFactory(name="Unpublished person")
    contribution = ContributionFactory(person=person, document=DocumentFactory(status=Status.DRAFT))
    url = person.get_absolute_url()
    delete(client, staff, contribution.document)
    delete(client, staff, person)
    assert client.get(url).status_code == 404


def test_a_deleted_published_collection_answers_410_and_a_draft_one_404(client, staff):
    published = CollectionFactory(title="Iran crisis of 1946")
    draft = CollectionFactory(title="Never shown", status=Status.DRAFT)
    urls = published.get_absolute_url(), draft.get_absolute_url()
    delete(client, staff, published)
    delete(client, staff, draft)
    response = client.get(urls[0])
    assert response.status_code == 410
    assert "Iran crisis of 1946" in response.content.decode()
    assert client.get(urls[1]).status_code == 404


def test_a_withdrawn_document_keeps_its_own_page(client):
    document = DocumentFactory(status=Status.WITHDRAWN)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
