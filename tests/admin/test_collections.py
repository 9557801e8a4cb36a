"""Collections in the admin: popular documents in curator order, publishing, history, conflicts."""

import pytest
from django.test import Client
from django.urls import reverse

from archive_collections.models import Collection, FeaturedDocument
from documents.history import versions_of
from documents.models import Status
from tests.admin.conftest import form_data
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def change_url(collection):
    return reverse("admin:collections_collection_change", args=[collection.pk])


def test_popular_documents_keep_the_order_curators_drag_them_into(curator_client):
    collection = Collection.objects.create(title="Iran-Soviet Relations")
    first, second = DocumentFactory(title="First"), DocumentFactory(title="Second")
    FeaturedDocument.objects.create(collection=collection, document=first, order=1)
    FeaturedDocument.objects.create(collection=collection, document=second, order=2)
    response = curator_client.get(change_url(collection))
    page = response.content.decode()
    assert "_reorder_" in page  # the drag handle's hidden order field
    data = form_data(response)
    # Dragging "Second" above "First" rewrites the hidden order fields like this.
    data["featured_entries-0-order"], data["featured_entries-1-order"] = "2", "1"
    assert curator_client.post(change_url(collection), data).status_code == 302
    assert [f.document.title for f in collection.featured_entries.all()] == ["Second", "First"]
    assert "popular document" in versions_of(collection).first().revision.get_comment().lower()


def test_collections_are_published_and_withdrawn_from_the_list(curator_client):
    collections = [Collection.objects.create(title=f"C{n}") for n in range(2)]
    url = reverse("admin:collections_collection_changelist")
    ids = [c.pk for c in collections]
    curator_client.post(url, {"action": "publish_selected", "_selected_action": ids})
    assert set(Collection.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    curator_client.post(url, {"action": "withdraw_selected", "_selected_action": ids[:1]})
    assert Collection.objects.get(pk=ids[0]).status == Status.WITHDRAWN


def test_a_second_concurrent_save_of_a_collection_is_refused(make_user):
    collection = Collection.objects.create(title="Iran-Soviet Relations")
    first, second = Client(), Client()
    first.force_login(make_user("Curator", "alice"))
    second.force_login(make_user("Editor", "bob"))
    alice, bob = first.get(change_url(collection)), second.get(change_url(collection))
    first.post(change_url(collection), form_data(alice, description="Alice's text."))
    response = second.post(change_url(collection), form_data(bob, description="Bob's text."))
    assert "was changed by alice" in response.content.decode()
    collection.refresh_from_db()
    assert collection.description == "Alice's text."


def test_authority_records_are_protected_from_concurrent_overwrites_too(make_user):
    from documents.models import Repository

    repository = Repository.objects.create(abbreviation="RGASPI", name="Russian State Archive")
    url = reverse("admin:documents_repository_change", args=[repository.pk])
    first, second = Client(), Client()
    first.force_login(make_user("Curator", "alice"))
    second.force_login(make_user("Curator", "bob"))
    alice, bob = first.get(url), second.get(url)
    first.post(url, form_data(alice, place="Moscow"))
    response = second.post(url, form_data(bob, place="Moskva"))
    assert "nothing was overwritten" in response.content.decode()
    repository.refresh_from_db()
    assert repository.place == "Moscow"
