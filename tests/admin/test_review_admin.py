"""Review before publishing in the admin: the submit button, the queue, the review page, notices."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from documents import history
from documents.models import Document, Review, Status
from documents.workflows import reviewing
from tests.admin.conftest import form_data
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/documents/document/?review=submitted"


def change_url(document):
    return reverse("admin:documents_document_change", args=[document.pk])


def review_url(document):
    return reverse("admin:documents_document_review", args=[document.pk])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(make_user):
    return make_user("Editor", "anna")


@pytest.fixture
def curator(make_user):
    return make_user("Curator", "mila")


def draft(title="Telegram from Bagirov to Stalin"):
    return DocumentFactory(title=title, status=Status.DRAFT)


def shown_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_an_editor_saves_and_submits_a_draft_for_review_from_its_form(editor):
    document = draft()
    client = signed_in(editor)
    response = client.get(change_url(document))
    assert "Save and submit for review" in response.text

    data = form_data(
        response, summary="Corrected summary.", review_note="Checked against the scan."
    )
    response = client.post(change_url(document), {**data, "_submit_for_review": "Save"})

    assert response.status_code == 302
    assert response.url == change_url(document)
    assert "was saved and submitted for review" in shown_messages(response)[-1]
    document.refresh_from_db()
    assert document.summary == "Corrected summary."
    assert document.status == Status.DRAFT
    assert document.review.state == Review.State.SUBMITTED
    assert document.review.note == "Checked against the scan."
    comments = [v.revision.get_comment() for v in history.versions_of(document)][:2]
    assert comments[0] == "Submitted for review by anna: “Checked against the scan.”"
    assert "Summary" in comments[1]
    page = client.get(change_url(document)).text
    assert "Awaiting review" in page
    assert "Save and submit for review" not in page


def test_curators_and_viewers_are_not_offered_the_submit_button(curator, make_user):
    document = draft()
    assert "Save and submit for review" not in signed_in(curator).get(change_url(document)).text
    viewer = signed_in(make_user("Viewer"))
    assert "Save and submit for review" not in viewer.get(change_url(document)).text


def test_a_published_document_is_not_offered_for_review(editor):
    document = DocumentFactory(status=Status.PUBLISHED)
    assert "Save and submit for review" not in signed_in(editor).get(change_url(document)).text


def test_the_queue_is_the_document_list_filtered_to_drafts_awaiting_review(editor, curator):
    later, earlier = draft("Later telegram"), draft("Earlier telegram")
    returned = draft("Returned telegram")
    draft("Unsubmitted telegram")
    for document in (later, earlier, returned):
        reviewing.submit(document, by=editor)
    Review.objects.filter(document=earlier).update(
        submitted_at=timezone.now() - datetime.timedelta(days=1)
    )
    reviewing.return_for_changes(returned, by=curator, comment="Add the date.")

    page = signed_in(curator).get(QUEUE).text

    assert "Awaiting review" in page  # the filter's choice, in the sidebar
    assert page.index("Earlier telegram") < page.index("Later telegram")
    assert "Returned telegram" not in page
    assert "Unsubmitted telegram" not in page
    returned_list = signed_in(curator).get("/admin/documents/document/?review=returned").text
    assert "Returned telegram" in returned_list
    assert "Later telegram" not in returned_list


def test_the_review_page_shows_the_preview_the_note_and_the_fields(editor, curator):
    document = draft()
    reviewing.submit(document, by=editor, note="Names checked <b>twice</b>.")

    response = signed_in(curator).get(review_url(document))

    assert response.status_code == 200
    page = response.text
    assert f'href="{document.get_absolute_url()}"' in page
    assert "Open the preview" in page
    assert "Names checked &lt;b&gt;twice&lt;/b&gt;." in page
    assert "Submitted for review by <strong>anna</strong>" in page
    assert "Telegram from Bagirov to Stalin" in page  # the title among the fields
    assert '<button type="submit" name="decision" value="publish"' in page
    preview = signed_in(curator).get(document.get_absolute_url())
    assert preview.status_code == 200


def test_the_curators_form_links_to_the_review_page(editor, curator):
    document = draft()
    reviewing.submit(document, by=editor)

    page = signed_in(curator).get(change_url(document)).text

    assert "Awaiting review" in page
    assert review_url(document) in page


def test_sending_back_without_a_comment_is_refused_with_an_error_on_the_comment(editor, curator):
    document = draft()
    reviewing.submit(document, by=editor)

    response = signed_in(curator).post(review_url(document), {"decision": "return", "comment": ""})

    assert response.status_code == 200
    assert "Write a comment saying what should change before sending it back" in response.text
    assert 'aria-invalid="true"' in response.text
    assert Review.objects.get(document=document).state == Review.State.SUBMITTED


def test_a_curator_sends_it_back_and_the_editor_sees_who_when_and_the_comment(editor, curator):
    document = draft()
    reviewing.submit(document, by=editor)

    response = signed_in(curator).post(
        review_url(document),
        {"decision": "return", "comment": "The date is 8 May, not 9 May. <script>x</script>"},
    )

    assert response.status_code == 302
    assert response.url == QUEUE
    assert shown_messages(response)[-1] == (
        "“Telegram from Bagirov to Stalin” was sent back to anna with your comment."
    )
    client = signed_in(editor)
    page = client.get(change_url(document)).text
    assert "Returned for changes</strong> by mila" in page
    assert "The date is 8 May, not 9 May. &lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x</script>" not in page
    assert "Save and resubmit for review" in page

    data = form_data(client.get(change_url(document)), date_text="8 May 1946")
    response = client.post(change_url(document), {**data, "_submit_for_review": "Save"})
    assert "was saved and resubmitted for review" in shown_messages(response)[-1]
    assert Review.objects.get(document=document).state == Review.State.SUBMITTED
    review_page = signed_in(curator).get(review_url(document)).text
    assert "What changed since it was sent back" in review_page
    assert "8 May 1946" in review_page


def test_a_curator_publishes_from_the_review_page_and_the_public_sees_it(editor, curator, client):
    document = draft()
    reviewing.submit(document, by=editor)
    assert client.get(document.get_absolute_url()).status_code == 404

    response = signed_in(curator).post(
        review_url(document), {"decision": "publish", "comment": "Thank you."}
    )

    assert response.status_code == 302
    assert "was published after review" in shown_messages(response)[-1]
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED
    assert client.get(document.get_absolute_url()).status_code == 200
    history_page = signed_in(curator).get(
        reverse("admin:documents_document_history", args=[document.pk])
    )
    assert "Published after review by mila: “Thank you.”" in history_page.text
    assert "Submitted for review by anna." in history_page.text


def test_an_editor_is_refused_the_review_page_and_cannot_publish_through_it(editor):
    document = draft()
    reviewing.submit(document, by=editor)
    client = signed_in(editor)

    assert client.get(review_url(document)).status_code == 403
    response = client.post(review_url(document), {"decision": "publish", "comment": ""})

    assert response.status_code == 403
    document.refresh_from_db()
    assert document.status == Status.DRAFT
    assert Review.objects.get(document=document).state == Review.State.SUBMITTED


def test_viewers_are_refused_the_review_page(editor, make_user):
    document = draft()
    reviewing.submit(document, by=editor)
    assert signed_in(make_user("Viewer")).get(review_url(document)).status_code == 403


def test_a_decision_on_a_document_no_longer_awaiting_review_changes_nothing(editor, curator):
    document = draft()
    reviewing.submit(document, by=editor)
    reviewing.return_for_changes(document, by=curator, comment="Add the citation.")

    client = signed_in(curator)
    response = client.post(review_url(document), {"decision": "publish", "comment": ""})

    assert response.status_code == 302
    assert "is not awaiting review" in shown_messages(response)[-1]
    assert Document.objects.get(pk=document.pk).status == Status.DRAFT
    page = client.get(review_url(document)).text
    assert "not awaiting review" in page
    assert 'value="publish"' not in page


def test_an_editor_adds_a_document_and_submits_it_for_review_at_once(editor):
    client = signed_in(editor)
    response = client.post(
        reverse("admin:documents_document_add"),
        {
            "title": "A new telegram from Tabriz",
            "date_text": "8 May 1946",
            **{
                f"{p}-TOTAL_FORMS": "0" for p in ("contributions", "texts", "citations", "fundings")
            },
            **{
                f"{p}-INITIAL_FORMS": "0"
                for p in ("contributions", "texts", "citations", "fundings")
            },
            "scans-TOTAL_FORMS": "0",
            "scans-INITIAL_FORMS": "0",
            "review_note": "New from the Tabriz file.",
            "_submit_for_review": "Save",
        },
    )

    document = Document.objects.get(title="A new telegram from Tabriz")
    assert response.url == change_url(document)
    assert document.status == Status.DRAFT
    assert list(reviewing.review_queue()) == [document]
    assert document.review.note == "New from the Tabriz file."


def test_a_form_with_an_error_is_not_submitted_and_keeps_the_note(editor):
    document = draft()
    client = signed_in(editor)
    data = form_data(
        client.get(change_url(document)),
        date_text="31 February 1946",
        review_note="Please check the date.",
    )

    response = client.post(change_url(document), {**data, "_submit_for_review": "Save"})

    assert response.status_code == 200
    assert "February 1946 has only 28 days" in response.text
    assert ">Please check the date.</textarea>" in response.text
    assert not Review.objects.exists()


def test_publishing_a_submitted_draft_from_its_form_closes_the_review(editor, curator):
    document = draft()
    reviewing.submit(document, by=editor)
    client = signed_in(curator)

    client.post(
        change_url(document), form_data(client.get(change_url(document)), status="published")
    )

    document.refresh_from_db()
    assert document.status == Status.PUBLISHED
    assert document.review.state == Review.State.PUBLISHED
    assert document.review.events.last().by == curator
    assert "Awaiting review" not in client.get(change_url(document)).text


def test_a_note_with_a_direction_override_is_refused_with_the_reason(editor):
    document = draft()
    client = signed_in(editor)
    data = form_data(client.get(change_url(document)), review_note="Checked \u202eit")

    response = client.post(change_url(document), {**data, "_submit_for_review": "Save"})

    message = shown_messages(response)[-1]
    assert "was not submitted for review" in message
    assert "The note contains the invisible right-to-left override character U+202E" in message
    assert not Review.objects.filter(state=Review.State.SUBMITTED).exists()
