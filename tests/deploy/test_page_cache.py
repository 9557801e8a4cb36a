"""Anonymous visitors' pages come from the shared cache and change the moment a record does."""

import pytest

from archive_site.cache import current_generation
from benchmarks.servers import free_port, start_redis, stop
from documents.models import Status
from tests.factories import CollectionFactory, DocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_repeated_anonymous_visit_is_served_from_the_cache_without_queries(
    client, page_cache, django_assert_num_queries
):
    collection = CollectionFactory()
    collection.documents.add(DocumentFactory(title="Telegram on oil"))
    first = client.get(collection.get_absolute_url())
    assert first["X-Archive-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(collection.get_absolute_url())
    assert second["X-Archive-Cache"] == "hit"
    assert second.content == first.content


def test_publishing_a_document_shows_it_on_the_cached_collection_page(client, page_cache):
    collection = CollectionFactory()
    draft = DocumentFactory(title="Telegram still in draft", status=Status.DRAFT)
    collection.documents.add(draft)
    assert "Telegram still in draft" not in client.get(collection.get_absolute_url()).text
    draft.status = Status.PUBLISHED
    draft.save()
    response = client.get(collection.get_absolute_url())
    assert response["X-Archive-Cache"] == "miss"
    assert "Telegram still in draft" in response.text


def test_correcting_or_deleting_a_document_updates_its_cached_page(client, page_cache):
    document = DocumentFactory(title="Telegram with a typo")
    url = document.get_absolute_url()
    assert "Telegram with a typo" in client.get(url).text
    document.title = "Telegram, corrected"
    document.save()
    assert "Telegram, corrected" in client.get(url).text
    document.delete()
    # A once-public document's address answers 410 Gone with its notice, never the cached page.
    gone = client.get(url)
    assert gone.status_code == 410
    assert "This document has been deleted" in gone.text


def test_renaming_a_person_or_collection_invalidates_cached_pages(client, page_cache):
    person = PersonFactory(name="Ghavam")
    before = current_generation()
    person.name = "Qavam"
    person.save()
    collection = CollectionFactory()
    collection.delete()
    assert current_generation() > before + 1


def test_signed_in_curators_always_see_a_fresh_page_including_draft_previews(
    client, page_cache, curator
):
    draft = DocumentFactory(title="Draft being prepared", status=Status.DRAFT)
    client.force_login(curator)
    preview = client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "X-Archive-Cache" not in preview
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_admin_and_form_posts_are_never_cached(client, page_cache, curator):
    assert "X-Archive-Cache" not in client.get("/admin/login/")
    assert "X-Archive-Cache" not in client.post("/", {"q": "x"})


def test_without_a_page_cache_setting_pages_are_rendered_every_time(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    document = DocumentFactory()
    assert "X-Archive-Cache" not in client.get(document.get_absolute_url())


@pytest.fixture
def redis_server(tmp_path):
    """A real redis-server from Debian's package on a loopback port."""
    port = free_port()
    process = start_redis(port, tmp_path)
    if process is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


def test_pages_cached_in_redis_are_shared_and_invalidated(client, settings, redis_server):
    settings.PAGE_CACHE_SECONDS = 300
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server,
        }
    }
    document = DocumentFactory(title="Report on the oil concession")
    url = document.get_absolute_url()
    assert client.get(url)["X-Archive-Cache"] == "miss"
    assert client.get(url)["X-Archive-Cache"] == "hit"
    document.title = "Report on the oil concession, revised"
    document.save()
    fresh = client.get(url)
    assert fresh["X-Archive-Cache"] == "miss"
    assert "revised" in fresh.text


def test_with_replicas_a_page_rendered_just_after_a_change_is_not_stored(
    client, page_cache, settings
):
    """A replica may not have the change yet: a page it gave then would be kept stale."""
    settings.PAGE_CACHE_SETTLE_SECONDS = 2
    document = DocumentFactory(title="Telegram with a typo")
    url = document.get_absolute_url()
    document.title = "Telegram, corrected"
    document.save()
    assert client.get(url)["X-Archive-Cache"] == "miss"
    assert client.get(url)["X-Archive-Cache"] == "miss"  # rendered again, not stored
    settings.PAGE_CACHE_SETTLE_SECONDS = 0
    client.get(url)
    assert client.get(url)["X-Archive-Cache"] == "hit"
