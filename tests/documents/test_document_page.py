"""The public document page: what visitors see, and what they never see."""

import pytest

from documents.models import Status
from tests.factories import CitationFactory, ContributionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def test_published_document_page_shows_date_title_text_and_record_id(client):
    document = DocumentFactory(title="Telegram from Baku", date_text="November 23, 1945")
    page = client.get(f"/documents/{document.record_id}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "November 23, 1945" in body
    assert "Telegram from Baku" in body
    assert '<p dir="auto">First paragraph.</p>' in body
    assert str(document.record_id) in body


def test_translation_keeps_line_breaks_and_editorial_brackets(client):
    document = DocumentFactory(text="Received at 0450,\n8 May 1946\n\n[[illegible letters]] [SIC]")
    body = client.get(document.get_absolute_url()).content.decode()
    assert "Received at 0450,<br>8 May 1946" in body
    assert "[[illegible letters]] [SIC]" in body


def test_draft_document_is_not_found_for_anonymous_visitors(client):
    document = DocumentFactory(status=Status.DRAFT)
    assert client.get(document.get_absolute_url()).status_code == 404


def test_withdrawn_document_is_gone_for_anonymous_visitors(client):
    document = DocumentFactory(status=Status.WITHDRAWN, title="Withdrawn telegram")
    response = client.get(document.get_absolute_url())
    assert response.status_code == 410
    assert "Withdrawn telegram" not in response.content.decode()


def test_staff_can_preview_a_draft_with_a_notice_that_it_is_not_public(client, curator):
    document = DocumentFactory(status=Status.DRAFT, title="Secret draft")
    client.force_login(curator)
    page = client.get(document.get_absolute_url())
    assert page.status_code == 200
    assert "is not shown to the public" in page.content.decode()


def test_document_page_lists_linked_people_by_role(client):
    contribution = ContributionFactory(person__name="M. D. Bagirov", role="author")
    body = client.get(contribution.document.get_absolute_url()).content.decode()
    assert "Author" in body
    assert "M. D. Bagirov" in body


def test_source_citation_and_credits_print_as_one_sentence_run(client):
    citation = CitationFactory()
    ContributionFactory(document=citation.document, person__name="Gary Goldberg", role="translator")
    body = client.get(citation.document.get_absolute_url()).content.decode()
    assert (
        "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072. Translated by <bdi>Gary Goldberg</bdi>."
        in body
    )


def test_markup_typed_by_a_curator_shows_as_text(client):
    document = DocumentFactory(
        title="<script>alert('x')</script> Telegram", summary="<b>bold</b>", text="<img src=x>"
    )
    body = client.get(document.get_absolute_url()).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Telegram" in body
    assert "<b>bold</b>" not in body
    assert "<img src=x>" not in body


def test_related_drafts_are_not_linked_from_a_published_document(client):
    document = DocumentFactory()
    draft = DocumentFactory(status=Status.DRAFT, title="Unreleased related draft")
    public = DocumentFactory(title="Released related document")
    document.related.add(draft, public)
    body = client.get(document.get_absolute_url()).content.decode()
    assert "Released related document" in body
    assert "Unreleased related draft" not in body


def test_unknown_record_id_is_not_found(client):
    assert client.get("/documents/999999/").status_code == 404
