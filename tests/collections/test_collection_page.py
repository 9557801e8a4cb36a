"""The public collection page and the home page that leads to it."""

import pytest

from archive_collections.models import FeaturedDocument
from documents.models import Status
from tests.factories import CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def test_collection_page_lists_only_its_published_documents(client):
    collection = CollectionFactory()
    published = DocumentFactory(title="Published telegram")
    draft = DocumentFactory(title="Draft telegram", status=Status.DRAFT)
    withdrawn = DocumentFactory(title="Withdrawn telegram", status=Status.WITHDRAWN)
    elsewhere = DocumentFactory(title="Telegram in another collection")
    collection.documents.add(published, draft, withdrawn)
    body = client.get(collection.get_absolute_url()).content.decode()
    assert "Published telegram" in body
    assert "Draft telegram" not in body
    assert "Withdrawn telegram" not in body
    assert "Telegram in another collection" not in body
    assert elsewhere.title not in body


def test_popular_documents_appear_in_the_curators_order_without_drafts(client):
    collection = CollectionFactory()
    second, first = DocumentFactory(title="Second pick"), DocumentFactory(title="First pick")
    hidden = DocumentFactory(title="Hidden pick", status=Status.DRAFT)
    FeaturedDocument.objects.create(collection=collection, document=first, order=1)
    FeaturedDocument.objects.create(collection=collection, document=second, order=2)
    FeaturedDocument.objects.create(collection=collection, document=hidden, order=3)
    body = client.get(collection.get_absolute_url()).content.decode()
    assert "Popular Documents" in body
    assert body.index("First pick") < body.index("Second pick")
    assert "Hidden pick" not in body


def test_also_see_links_only_to_published_collections(client):
    collection = CollectionFactory()
    public = CollectionFactory(title="Iran's Tudeh Party")
    draft = CollectionFactory(title="Unfinished collection", status=Status.DRAFT)
    collection.related.add(public, draft)
    body = client.get(collection.get_absolute_url()).content.decode()
    assert "Also see" in body
    assert public.get_absolute_url() in body
    assert "Unfinished collection" not in body


def test_draft_collection_is_not_found_for_anonymous_visitors(client):
    collection = CollectionFactory(status=Status.DRAFT)
    assert client.get(collection.get_absolute_url()).status_code == 404


def test_home_page_links_to_published_collections_only(client):
    public = CollectionFactory(title="Iran-Soviet Relations")
    CollectionFactory(title="Draft collection", status=Status.DRAFT)
    body = client.get("/").content.decode()
    assert public.get_absolute_url() in body
    assert "Draft collection" not in body


def test_home_page_names_the_archive_from_settings(client, settings):
    settings.ARCHIVE_NAME = "Another Archive"
    assert "Another Archive" in client.get("/").content.decode()
