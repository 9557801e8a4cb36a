"""Deleting records in the admin, finding them under Deleted records, and restoring them."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.urls import reverse
from reversion.models import Version

from archive_collections.models import Collection, FeaturedDocument
from documents import search
from documents.models import Document, Person, PersonName, Place, Scan, Status, Subject
from documents.workflows.merging import merge_people
from tests.admin.conftest import form_data, image_bytes
from tests.admin.test_scans import upload
from tests.factories import (
    CitationFactory,
    CollectionFactory,
    ContributionFactory,
    DocumentFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

DELETED = reverse("admin:documents_document_deleted")


def delete(client, obj):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]


def restore_url(client, title, deleted=DELETED):
    """The restore link of the deleted record `title`, found by searching for it."""
    response = client.get(deleted, {"q": title})
    rows = response.context["rows"]
    assert [row["version"].object_repr for row in rows] == [title]
    return rows[0]["restore_url"]


@pytest.fixture
def full_document(curator_client):
    """A published document with a person, a citation, a scan, a subject, a place, a
    collection (as one of its popular documents) and a related document."""
    document = DocumentFactory(title="Telegram on the Tabriz oil concession")
    ContributionFactory(document=document, person=PersonFactory(name="M. D. Bagirov"))
    CitationFactory(document=document)
    document.subjects.add(Subject.objects.create(name="Oil"))
    document.places.add(Place.objects.create(name="Tabriz"))
    document.related.add(DocumentFactory(title="A reply from Moscow"))
    collection = CollectionFactory(title="Iran crisis")
    collection.documents.add(document)
    FeaturedDocument.objects.create(collection=collection, document=document)
    upload(curator_client, document, "page.jpg", image_bytes(size=(300, 200)))
    return document


def test_a_curator_finds_a_deleted_document_by_title_record_id_and_who_deleted_it(
    curator_client, full_document
):
    DocumentFactory(title="Another telegram, kept")
    record_id = full_document.record_id
    delete(curator_client, full_document)

    by_title = curator_client.get(DELETED, {"q": "tabriz oil"})
    assert [r["version"].object_repr for r in by_title.context["rows"]] == [
        "Telegram on the Tabriz oil concession"
    ]
    page = by_title.content.decode()
    assert "curator" in page and "was published" in page
    by_id = curator_client.get(DELETED, {"q": str(record_id)})
    assert len(by_id.context["rows"]) == 1
    assert len(curator_client.get(DELETED, {"by": "curator"}).context["rows"]) == 1
    assert not curator_client.get(DELETED, {"by": "someone-else"}).context["rows"]
    assert not curator_client.get(DELETED, {"to": "2000-01-01"}).context["rows"]
    assert "No document has been deleted." not in page


def test_restoring_brings_back_people_citations_scans_funders_and_links(
    curator_client, full_document
):
    pk = full_document.pk
    scan = Scan.objects.get(document=full_document)
    scan_file = scan.file.name
    delete(curator_client, full_document)
    assert default_storage.exists(scan_file), "a deleted document's scan files are kept"

    url = restore_url(curator_client, "Telegram on the Tabriz oil concession")
    confirm = re.sub(r"<[^>]+>", "", curator_client.get(url).content.decode())
    assert "Person linked: M. D. Bagirov (Author)" in confirm and "Scan: Page 1" in confirm
    assert "Subjects: Oil" in confirm and "Collections: Iran crisis" in confirm
    response = curator_client.post(url, {"publish": "yes"})
    assert response.status_code == 302

    document = Document.objects.get(pk=pk)
    assert document.status == Status.PUBLISHED
    assert [str(p) for p in document.people.all()] == ["M. D. Bagirov"]
    assert document.citations.count() == 1
    assert [s.file.name for s in document.scans.all()] == [scan_file]
    assert [str(s) for s in document.subjects.all()] == ["Oil"]
    assert [str(p) for p in document.places.all()] == ["Tabriz"]
    assert [str(d) for d in document.related.all()] == ["A reply from Moscow"]
    collection = Collection.objects.get(title="Iran crisis")
    assert list(collection.documents.all()) == [document]
    assert list(collection.featured_documents.all()) == [document]
    assert (
        Version.objects.get_for_object(document)
        .first()
        .revision.comment.startswith("Restored from deletion")
    )
    # The indexes were told: the search finds it again, and the public page shows it all.
    assert pk in search.matching_ids("Tabriz")
    curator_client.logout()
    page = curator_client.get(document.get_absolute_url()).content.decode()
    assert "Bagirov" in page and "RGASPI" in page and "Tabriz" in page
    assert curator_client.get(DELETED).status_code == 302  # signed out: to the sign-in page


def test_a_published_document_comes_back_as_a_draft_unless_the_curator_publishes_it(
    curator_client,
):
    document = DocumentFactory(title="Report on the Azerbaijan Democratic Party")
    delete(curator_client, document)
    curator_client.post(restore_url(curator_client, document.title), {"publish": ""})
    document.refresh_from_db()
    assert document.status == Status.DRAFT
    curator_client.logout()
    assert curator_client.get(document.get_absolute_url()).status_code == 404


def test_a_restore_that_needs_a_person_deleted_since_says_to_restore_the_person_first(
    curator_client,
):
    person = PersonFactory(name="Ja'far Pishevari")
    document = DocumentFactory(title="Letter from Pishevari")
    ContributionFactory(document=document, person=person)
    delete(curator_client, document)
    delete(curator_client, person)

    url = restore_url(curator_client, "Letter from Pishevari")
    page = curator_client.get(url).content.decode()
    assert "Ja&#x27;far Pishevari" in page and "Restore it first from Deleted records" in page
    response = curator_client.post(url, follow=True)
    assert "was not restored" in response.content.decode()
    assert not Document.objects.filter(pk=document.pk).exists()

    people = reverse("admin:documents_person_deleted")
    curator_client.post(restore_url(curator_client, "Ja'far Pishevari", people))
    curator_client.post(url, {"publish": "yes"})
    assert [str(p) for p in Document.objects.get(pk=document.pk).people.all()] == [
        "Ja'far Pishevari"
    ]


def test_a_restore_whose_slug_is_taken_since_explains_the_clash(curator_client):
    collection = CollectionFactory(title="Soviet withdrawal", slug="soviet-withdrawal")
    delete(curator_client, collection)
    CollectionFactory(title="Another", slug="soviet-withdrawal")
    deleted = reverse("admin:collections_collection_deleted")
    url = restore_url(curator_client, "Soviet withdrawal", deleted)
    page = curator_client.get(url).content.decode()
    assert "“soviet-withdrawal” is now used by the collection “Another”" in page
    curator_client.post(url)
    assert Collection.objects.filter(title="Soviet withdrawal").count() == 0


def test_a_deleted_person_comes_back_with_their_other_names(curator_client):
    person = PersonFactory(name="Ahmad Qavam")
    PersonName.objects.create(person=person, name="Qavam os-Saltaneh")
    delete(curator_client, person)
    people = reverse("admin:documents_person_deleted")
    curator_client.post(restore_url(curator_client, "Ahmad Qavam", people))
    assert [v.name for v in Person.objects.get(name="Ahmad Qavam").variants.all()] == [
        "Qavam os-Saltaneh"
    ]


def test_bulk_delete_records_who_deleted_them_and_offers_to_withdraw_the_published(
    curator_client,
):
    published = DocumentFactory(title="Published one")
    draft = DocumentFactory(title="Draft one", status=Status.DRAFT)
    changelist = reverse("admin:documents_document_changelist")
    selected = {"action": "delete_selected", "_selected_action": [published.pk, draft.pk]}
    confirm = curator_client.post(changelist, selected)
    page = re.sub(r"<bdi>|</bdi>", "", confirm.content.decode())
    assert "“Published one” is published" in page
    assert 'value="withdraw_selected"' in page

    curator_client.post(changelist, {**selected, "post": "yes"})
    rows = curator_client.get(DELETED).context["rows"]
    assert sorted(r["version"].object_repr for r in rows) == ["Draft one", "Published one"]
    assert {r["version"].revision.user.username for r in rows} == {"curator"}
    assert rows[0]["version"].revision.comment == "Deleted in the admin, 2 documents at once."


def test_the_delete_page_of_a_published_document_warns_and_withdraw_withdraws_it(
    curator_client,
):
    document = DocumentFactory(title="Still public")
    url = reverse("admin:documents_document_delete", args=[document.pk])
    page = curator_client.get(url).content.decode()
    assert "is published" in page and "Withdraw it instead" in page
    draft = DocumentFactory(title="Never public", status=Status.DRAFT)
    draft_page = curator_client.get(reverse("admin:documents_document_delete", args=[draft.pk]))
    assert "Withdraw it instead" not in draft_page.content.decode()

    changelist = reverse("admin:documents_document_changelist")
    curator_client.post(
        changelist,
        {"action": "withdraw_selected", "_selected_action": [document.pk], "index": "0"},
    )
    document.refresh_from_db()
    assert document.status == Status.WITHDRAWN


@pytest.mark.parametrize("role", ["Editor", "Viewer", "Importer"])
def test_roles_that_may_not_delete_or_restore_are_refused_the_deleted_records(
    client, make_user, curator_client, role
):
    document = DocumentFactory(title="Deleted by a curator")
    delete(curator_client, document)
    version = Version.objects.get_deleted(Document).get()
    client.force_login(make_user(role))
    assert client.get(DELETED).status_code == 403
    restore = reverse("admin:documents_document_restore", args=[version.pk])
    assert client.post(restore).status_code == 403
    assert not Document.objects.filter(pk=document.pk).exists()
    changelist = client.get(reverse("admin:documents_document_changelist")).content.decode()
    assert "Deleted records" not in changelist


def test_a_curator_reaches_deleted_records_from_the_admin_and_each_list(curator_client):
    assert DELETED in curator_client.get(reverse("admin:index")).content.decode()
    for name in ["documents_document", "documents_person", "collections_collection"]:
        page = curator_client.get(reverse(f"admin:{name}_changelist")).content.decode()
        assert reverse(f"admin:{name}_deleted") in page


def test_deleting_a_person_named_in_an_inline_records_who_and_why(curator_client):
    document = DocumentFactory(title="Minutes of the Politburo")
    ContributionFactory(document=document, person=PersonFactory(name="V. M. Molotov"))
    url = reverse("admin:documents_document_change", args=[document.pk])
    data = form_data(curator_client.get(url), **{"contributions-0-DELETE": "on"})
    curator_client.post(url, data)
    revision = Version.objects.get_for_object(document).first().revision
    assert revision.user.username == "curator"
    assert "Deleted person linked “V. M. Molotov (Author)”" in revision.comment
    assert not document.contributions.exists()


def test_a_person_merged_into_another_is_not_listed_as_deleted(curator_client, make_user):
    keep = PersonFactory(name="Ahmad Qavam")
    duplicate = PersonFactory(name="Ahmad Ghavam")
    merge_people(keep, duplicates=[duplicate], by=make_user("Curator", "other"))
    people = reverse("admin:documents_person_deleted")
    assert curator_client.get(people).context["rows"] == []


def test_someone_with_only_the_restore_permission_may_restore(client, make_user):
    curator = make_user("Curator")
    client.force_login(curator)
    delete(client, DocumentFactory(title="Restored by a viewer with the permission"))
    viewer = make_user("Viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="restore_document"))
    client.force_login(viewer)
    client.post(restore_url(client, "Restored by a viewer with the permission"))
    assert Document.objects.filter(title="Restored by a viewer with the permission").exists()
    assert "restore_document" in {p.codename for p in curator.groups.get().permissions.all()}, (
        "the migration gives the restore permission to Curators"
    )


def test_a_document_deleted_from_the_shell_is_listed_with_who_and_when_not_recorded(
    curator_client,
):
    document = DocumentFactory(title="Deleted from the shell")
    curator_client.post(
        reverse("admin:documents_document_change", args=[document.pk]),
        form_data(
            curator_client.get(reverse("admin:documents_document_change", args=[document.pk])),
            summary="Edited once, so it has a history.",
        ),
    )
    Document.objects.filter(pk=document.pk).delete()
    page = curator_client.get(DELETED).content.decode()
    assert "Deleted from the shell" in page
    assert "Not recorded: deleted outside the delete pages" in page
