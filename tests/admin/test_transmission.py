"""The document form's Transmission fieldset: folded for other documents, kept in the history."""

import pytest
from django.urls import reverse

from documents.history import versions_of
from tests.admin.conftest import form_data
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def change_url(document):
    return reverse("admin:documents_document_change", args=[document.pk])


def transmission_fieldset(page):
    start = page.index(' transmission"')
    return page[start : page.index("</fieldset>", start)]


def test_the_fieldset_is_folded_for_a_document_that_is_not_a_cable(curator_client):
    page = curator_client.get(change_url(DocumentFactory())).content.decode()
    assert 'class="module aligned collapse transmission"' in page
    assert "<details><summary>" in transmission_fieldset(page)


def test_the_fieldset_is_open_for_a_cable_and_says_how_its_times_were_read(curator_client):
    document = DocumentFactory(sent_text="Sent 1750 20 April 1946")
    page = curator_client.get(change_url(document)).content.decode()
    fieldset = transmission_fieldset(page)
    assert 'class="module aligned transmission"' in page
    assert "<details>" not in fieldset
    assert "20 April 1946, 17:50 (1946-04-20T17:50)" in fieldset


def test_an_unreadable_time_is_refused_on_its_field(curator_client):
    document = DocumentFactory()
    response = curator_client.get(change_url(document))
    response = curator_client.post(change_url(document), form_data(response, sent_text="1750"))
    errors = response.context["adminform"].form.errors["sent_text"]
    assert "gives the time but not the day" in errors[0]
    document.refresh_from_db()
    assert document.sent_text == ""


def test_a_change_to_the_header_shows_in_the_documents_history(curator_client):
    document = DocumentFactory()
    response = curator_client.get(change_url(document))
    curator_client.post(
        change_url(document),
        form_data(response, outgoing_number="8924", received_by="Korshunova"),
    )
    response = curator_client.get(change_url(document))
    curator_client.post(change_url(document), form_data(response, outgoing_number="8925"))
    document.refresh_from_db()
    assert document.outgoing_number == "8925"
    latest = versions_of(document).first()
    page = curator_client.get(
        reverse("admin:documents_document_version", args=[document.pk, latest.pk])
    ).content.decode()
    changed = page.split("What changed in this version")[1].split("</table>")[0]
    assert "Outgoing Nº" in changed and "8924" in changed and "8925" in changed
    assert "Korshunova" not in changed
