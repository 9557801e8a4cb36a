"""A withdrawn record's public page: its title, record ID and the curators' public reason."""

import pytest
from django.urls import reverse

from archive_collections.models import Collection
from documents.models import Document, Status
from tests.factories import CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def withdraw(client, user, obj, reason=""):
    """Withdraw `obj` with the admin's action, then give the reason in its form, as a curator."""
    client.force_login(user)
    opts = obj._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = client.post(changelist, {"action": "withdraw_selected", "_selected_action": obj.pk})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.status == Status.WITHDRAWN
    if reason:
        type(obj).objects.filter(pk=obj.pk).update(withdrawal_reason=reason)
    client.logout()


def test_a_withdrawn_document_shows_its_title_record_id_reason_and_citation_note(client, curator):
    document = DocumentFactory(title="Telegram from Bagirov to Stalin", date_text="May 8, 1946")
    withdraw(client, curator, document, "Withdrawn at the request of the rights holder.")

    response = client.get(document.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 410
    assert "<title>Withdrawn: Telegram from Bagirov to Stalin" in page
    assert '<h1 dir="auto">Telegram from Bagirov to Stalin</h1>' in page
    assert f"<dd>{document.record_id}</dd>" in page
    assert "May 8, 1946" in page
    assert "Why it was withdrawn" in page
    assert "Withdrawn at the request of the rights holder." in page
    assert "your citation remains a record of what you consulted" in page
    assert document.text not in page


def test_a_withdrawn_document_without_a_reason_gives_none(client, curator):
    document = DocumentFactory(title="Letter from Pishevari")
    withdraw(client, curator, document)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Letter from Pishevari" in page
    assert "Why it was withdrawn" not in page


def test_the_reason_is_escaped_and_keeps_its_paragraphs(client, curator):
    document = DocumentFactory()
    withdraw(client, curator, document, "Misattributed <script>alert(1)</script>.\n\nSee 7002.")
    page = client.get(document.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert '<p dir="auto">Misattributed &lt;script&gt;' in page
    assert '<p dir="auto">See 7002.</p>' in page


def test_a_record_withdrawn_before_it_was_ever_published_does_not_show_its_title(client, curator):
    draft = DocumentFactory(title="A draft no one saw", status=Status.DRAFT)
    Document.objects.filter(pk=draft.pk).update(
        status=Status.WITHDRAWN, withdrawal_reason="Never finished."
    )
    response = client.get(draft.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 410
    assert "A draft no one saw" not in page and "Never finished." not in page
    assert f"Record {draft.record_id} has been withdrawn" in page


def test_a_curator_gives_the_public_reason_next_to_the_status(client, curator):
    document = DocumentFactory(status=Status.WITHDRAWN)
    client.force_login(curator)
    url = reverse("admin:documents_document_change", args=[document.pk])
    form = client.get(url).content.decode()
    status_at, reason_at = form.index('name="status"'), form.index('name="withdrawal_reason"')
    assert 0 < reason_at - status_at < 4000
    assert "Public: shown on the record" in form


def test_an_editor_sees_the_reason_but_cannot_change_it(client, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("ed", password="a-long-test-password")
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Editor"))
    document = DocumentFactory(status=Status.WITHDRAWN, withdrawal_reason="Rights withdrawn.")
    client.force_login(editor)
    form = client.get(reverse("admin:documents_document_change", args=[document.pk]))
    body = form.content.decode()
    assert "Rights withdrawn." in body
    assert 'name="withdrawal_reason"' not in body


def test_a_withdrawn_collection_shows_its_title_and_reason(client, curator):
    collection = CollectionFactory(title="Iran crisis of 1946")
    withdraw(client, curator, collection, "Merged into the collection Azerbaijan Crisis.")
    response = client.get(collection.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 410
    assert '<h1 dir="auto">Iran crisis of 1946</h1>' in page
    assert "Merged into the collection Azerbaijan Crisis." in page
    assert "If you cited this collection" in page


def test_a_collection_withdrawn_as_a_draft_stays_unknown(client, curator):
    collection = CollectionFactory(title="Never shown", status=Status.DRAFT)
    withdraw(client, curator, collection, "Never finished.")
    response = client.get(collection.get_absolute_url())
    assert response.status_code == 404
    assert "Never shown" not in response.content.decode()
    assert Collection.objects.get(pk=collection.pk).status == Status.WITHDRAWN
