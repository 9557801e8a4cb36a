"""Batch edits in the admin: from the document list to the form, the preview, the confirmation,
the batch edits' history and undo, as each role may."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from documents.models import BatchEdit, Status, Subject
from tests.factories import DocumentFactory, DocumentTypeFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:documents_document_changelist")
PAGE = reverse("admin:documents_document_batch_edit")
HISTORY = reverse("admin:documents_batchedit_changelist")


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def choose(client, url, **data):
    return client.post(url, {"step": "preview", **data})


def test_the_action_takes_the_selected_documents_to_the_batch_edit_form(curator_client):
    documents = [DocumentFactory() for _ in range(3)]
    response = curator_client.post(
        LIST,
        {"action": "batch_edit_selected", ACTION_CHECKBOX_NAME: [d.pk for d in documents[:2]]},
    )
    assert response.status_code == 302 and response.url.startswith(PAGE + "?ids=")
    page = text(curator_client.get(response.url))
    assert "<strong>2</strong> documents selected in the list." in page
    assert '<select name="field"' in page and "Subjects" in page and "Status" in page


def test_a_curator_previews_and_confirms_adding_a_subject_to_the_selection(curator_client):
    oil = Subject.objects.create(name="Oil")
    documents = [DocumentFactory(title=f"Report {n} on the crisis") for n in range(3)]
    documents[0].subjects.add(oil)
    url = PAGE + "?ids=" + ",".join(str(d.pk) for d in documents)
    preview = text(choose(curator_client, url, field="subjects", action="add", values=[oil.pk]))
    assert "This will <strong>add subject &#x27;Oil&#x27; to 2 documents</strong>" in preview
    assert "1 of the 3 selected already is so" in preview
    assert "Report 1 on the crisis" in preview and "Report 0 on the crisis" not in preview
    assert '<td dir="auto" class="before">—</td> <td dir="auto" class="after">Oil</td>' in preview
    assert not documents[1].subjects.exists()  # nothing written by the preview

    done = curator_client.post(
        url, {"step": "confirm", "field": "subjects", "action": "add", "values": [oil.pk]}
    )
    edit = BatchEdit.objects.get()
    assert done.status_code == 302
    assert done.url == reverse("admin:documents_batchedit_change", args=[edit.pk])
    assert all(d.subjects.filter(pk=oil.pk).exists() for d in documents)
    page = text(curator_client.get(done.url))
    assert f"Batch edit #{edit.pk} done: changed 2 documents (1 already were so)." in page
    assert "Done: changed 2 of 3 documents (1 already were so)." in page
    assert f"Batch edit #{edit.pk}: add subject &#x27;Oil&#x27; to 2 documents" in page


def test_the_whole_filtered_list_is_taken_when_every_match_is_selected(curator_client):
    letter = DocumentTypeFactory(name="Letter")
    letters = [DocumentFactory(document_type=letter) for _ in range(4)]
    DocumentFactory()  # not a letter
    oil = Subject.objects.create(name="Oil")
    query = f"document_type__id__exact={letter.pk}"
    response = curator_client.post(
        f"{LIST}?{query}",
        {
            "action": "batch_edit_selected",
            ACTION_CHECKBOX_NAME: [letters[0].pk],
            "select_across": "1",
        },
    )
    assert response.status_code == 302 and "_changelist_filters=" in response.url
    page = text(curator_client.get(response.url))
    assert "Every document the list matches: <strong>4</strong> documents" in page
    curator_client.post(
        response.url, {"step": "confirm", "field": "subjects", "action": "add", "values": [oil.pk]}
    )
    assert Subject.objects.get().documents.count() == 4
    assert BatchEdit.objects.get().query == query


def test_the_document_list_links_to_a_batch_edit_of_the_list_as_filtered(curator_client):
    page = curator_client.get(LIST + "?status__exact=draft").content.decode()
    assert (
        'href="/admin/documents/document/batch-edit/?_changelist_filters=status__exact%3Ddraft"'
        in page
    )
    assert "Batch edit this list" in page
    assert "Edit selected documents in batch" in page


def test_back_to_the_form_keeps_the_choices_and_another_field_drops_the_values(curator_client):
    oil = Subject.objects.create(name="Oil")
    url = f"{PAGE}?ids={DocumentFactory().pk}"
    data = {"step": "form", "field": "subjects", "action": "remove", "values": oil.pk}
    back = text(curator_client.post(url, data))
    assert f'<option value="{oil.pk}" selected>Oil</option>' in back
    assert '<option value="remove" selected>' in back
    other = text(curator_client.post(url, {**data, "shown_field": "subjects", "field": "places"}))
    assert "Oil</option>" not in other and 'name="values"' in other


def test_a_filter_the_list_cannot_read_leads_back_to_the_list(curator_client):
    response = curator_client.get(PAGE + "?_changelist_filters=no_such_field%3D1")
    assert response.status_code == 302 and response.url == LIST + "?e=1"


def test_a_bad_choice_is_shown_on_the_form_naming_the_field(curator_client):
    document = DocumentFactory()
    response = choose(
        curator_client, f"{PAGE}?ids={document.pk}", field="subjects", action="add", values=[]
    )
    page = text(response)
    assert "Choose at least one subject." in page and "Preview</h2>" not in page


def test_an_editor_is_not_offered_the_status_and_is_refused_it(client, make_user):
    client.force_login(make_user("Editor"))
    document = DocumentFactory(status=Status.DRAFT)
    url = f"{PAGE}?ids={document.pk}"
    page = text(client.get(url))
    assert '<option value="subjects"' in page and '<option value="status"' not in page
    refused = client.post(
        url, {"step": "confirm", "field": "status", "action": "set", "values": "published"}
    )
    assert refused.status_code == 403
    document.refresh_from_db()
    assert document.status == Status.DRAFT and not BatchEdit.objects.exists()


def test_a_viewer_may_neither_batch_edit_nor_see_the_batch_edits(client, make_user):
    client.force_login(make_user("Viewer"))
    document = DocumentFactory()
    assert client.get(f"{PAGE}?ids={document.pk}").status_code == 403
    assert client.get(HISTORY).status_code == 403
    assert "Edit selected documents in batch" not in client.get(LIST).content.decode()


def make_edit(client, documents, subject):
    url = PAGE + "?ids=" + ",".join(str(d.pk) for d in documents)
    client.post(
        url, {"step": "confirm", "field": "subjects", "action": "add", "values": subject.pk}
    )
    return BatchEdit.objects.latest("pk")


def test_the_batch_edits_list_shows_who_when_what_and_an_undo_button(curator_client):
    oil = Subject.objects.create(name="Oil")
    edit = make_edit(curator_client, [DocumentFactory(), DocumentFactory()], oil)
    page = text(curator_client.get(HISTORY))
    assert "add subject &#x27;Oil&#x27;" in page and "curator" in page
    assert "Done: changed 2 of 2 documents" in page
    assert reverse("admin:documents_batchedit_undo", args=[edit.pk]) in page


def test_undo_asks_then_restores_the_documents(curator_client):
    oil = Subject.objects.create(name="Oil")
    documents = [DocumentFactory(), DocumentFactory()]
    edit = make_edit(curator_client, documents, oil)
    url = reverse("admin:documents_batchedit_undo", args=[edit.pk])
    asking = text(curator_client.get(url))
    assert "Undoing it puts back what each of those 2 documents held before" in asking
    done = curator_client.post(url)
    assert done.status_code == 302
    assert not any(d.subjects.exists() for d in documents)
    page = text(curator_client.get(done.url))
    assert f"Batch edit #{edit.pk} undone: 2 documents hold again" in page
    assert "Undone (changed 2 of 2 documents" in page


def test_undo_after_a_later_change_says_which_records_and_offers_no_button(curator_client):
    oil, troops = Subject.objects.create(name="Oil"), Subject.objects.create(name="Troops")
    documents = [DocumentFactory(), DocumentFactory()]
    edit = make_edit(curator_client, documents, oil)
    documents[1].subjects.add(troops)
    url = reverse("admin:documents_batchedit_undo", args=[edit.pk])
    asking = text(curator_client.get(url))
    assert "It cannot be undone" in asking and f"record {documents[1].record_id}" in asking
    assert "Yes, undo this batch edit" not in asking
    refused = text(curator_client.post(url, follow=True))
    assert "cannot be undone: the subjects of 1 of its records were changed since" in refused
    assert documents[0].subjects.filter(pk=oil.pk).exists()


def test_an_editor_may_not_undo_a_status_batch_edit(curator_client, client, make_user):
    draft = DocumentFactory(status=Status.DRAFT)
    curator_client.post(
        f"{PAGE}?ids={draft.pk}",
        {"step": "confirm", "field": "status", "action": "set", "values": "published"},
    )
    edit = BatchEdit.objects.get()
    client.force_login(make_user("Editor"))
    assert client.post(reverse("admin:documents_batchedit_undo", args=[edit.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
