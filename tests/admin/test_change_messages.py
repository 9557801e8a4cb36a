"""What the admin's history says a save changed: only what the curator changed."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from tests.admin.conftest import form_data
from tests.factories import CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def save(client, document, **changes):
    url = reverse("admin:documents_document_change", args=[document.pk])
    response = client.post(url, form_data(client.get(url), **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return LogEntry.objects.filter(object_id=str(document.pk)).latest("pk")


def test_saving_a_document_in_a_collection_unchanged_does_not_log_changed_collections(
    curator_client,
):
    document = DocumentFactory()
    CollectionFactory().documents.add(document)
    entry = save(curator_client, document)
    assert "Collections" not in entry.get_change_message()


def test_changing_only_the_title_logs_the_title_alone(curator_client):
    document = DocumentFactory()
    CollectionFactory().documents.add(document)
    entry = save(curator_client, document, title="A corrected title")
    assert entry.get_change_message() == "Changed Title."


def test_adding_a_collection_is_logged_as_a_change_of_collections(curator_client):
    document = DocumentFactory()
    first, second = CollectionFactory(), CollectionFactory()
    first.documents.add(document)
    entry = save(curator_client, document, in_collections=[str(first.pk), str(second.pk)])
    assert "Collections" in entry.get_change_message()
