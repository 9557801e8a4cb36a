"""Review before publishing: the workflow (documents.workflows.reviewing) as the roles use it."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from documents import history
from documents.models import Document, Review, ReviewEvent, Status
from documents.workflows import publishing, reviewing
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(django_user_model):
    def make(role, username):
        user = django_user_model.objects.create_user(username, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def editor(person):
    return person("Editor", "anna")


@pytest.fixture
def curator(person):
    return person("Curator", "mila")


def draft(title="Telegram from Bagirov to Stalin"):
    return DocumentFactory(title=title, status=Status.DRAFT)


def comments(document):
    return [v.revision.get_comment() for v in history.versions_of(document)][::-1]


def test_an_editor_submits_a_draft_and_it_stays_a_draft_in_the_queue(editor):
    document = draft()

    review = reviewing.submit(document, by=editor, note="Checked the names against the scan.")

    document.refresh_from_db()
    assert document.status == Status.DRAFT
    assert review.state == Review.State.SUBMITTED
    assert review.submitted_by == editor
    assert review.note == "Checked the names against the scan."
    assert list(reviewing.review_queue()) == [document]
    assert document not in Document.objects.published()
    assert comments(document)[-1] == (
        "Submitted for review by anna: “Checked the names against the scan.”"
    )


def test_the_queue_lists_the_longest_waiting_submission_first(editor):
    later, earlier, never = draft("Later"), draft("Earlier"), draft("Never submitted")
    reviewing.submit(later, by=editor)
    reviewing.submit(earlier, by=editor)
    Review.objects.filter(document=earlier).update(
        submitted_at=timezone.now() - datetime.timedelta(days=2)
    )

    assert list(reviewing.review_queue()) == [earlier, later]
    assert never not in reviewing.review_queue()


def test_a_curator_sends_it_back_with_a_comment_the_editor_then_finds(editor, curator):
    document = draft()
    reviewing.submit(document, by=editor)

    reviewing.return_for_changes(document, by=curator, comment="The date should be 8 May.")

    review = Review.objects.get(document=document)
    assert review.state == Review.State.RETURNED
    returned = review.latest_return()
    assert (returned.by, returned.comment) == (curator, "The date should be 8 May.")
    assert list(reviewing.review_queue()) == []
    assert list(reviewing.returned_to(editor)) == [document]
    assert list(reviewing.returned_to(curator)) == []
    assert comments(document)[-1] == "Returned for changes by mila: “The date should be 8 May.”"


def test_sending_back_without_a_comment_is_refused_and_changes_nothing(editor, curator):
    document = draft()
    reviewing.submit(document, by=editor)

    with pytest.raises(reviewing.ReviewRefused, match="Write a comment"):
        reviewing.return_for_changes(document, by=curator, comment="   ")

    assert Review.objects.get(document=document).state == Review.State.SUBMITTED
    assert list(reviewing.review_queue()) == [document]


def test_a_resubmitted_draft_returns_to_the_queue_as_resubmitted(editor, curator):
    document = draft()
    reviewing.submit(document, by=editor)
    reviewing.return_for_changes(document, by=curator, comment="Add the citation.")

    reviewing.submit(document, by=editor, note="Citation added.")

    assert list(reviewing.review_queue()) == [document]
    assert list(reviewing.returned_to(editor)) == []
    actions = list(Review.objects.get(document=document).events.values_list("action", flat=True))
    assert actions == ["submitted", "returned", "resubmitted"]
    assert comments(document)[-1] == "Resubmitted for review by anna: “Citation added.”"


def test_a_curator_publishes_a_reviewed_draft_and_the_history_shows_every_step(editor, curator):
    document = draft()
    reviewing.submit(document, by=editor, note="Ready.")
    reviewing.return_for_changes(document, by=curator, comment="Fix the title.")
    reviewing.submit(document, by=editor)

    reviewing.publish_reviewed(document, by=curator)

    document.refresh_from_db()
    assert document.status == Status.PUBLISHED
    assert document.first_published_at is not None
    assert document in Document.objects.published()
    assert Review.objects.get(document=document).state == Review.State.PUBLISHED
    assert list(reviewing.review_queue()) == []
    assert comments(document)[1:] == [
        "Submitted for review by anna: “Ready.”",
        "Returned for changes by mila: “Fix the title.”",
        "Resubmitted for review by anna.",
        "Published after review by mila.",
    ]
    users = [v.revision.user for v in history.versions_of(document)][::-1][1:]
    assert users == [editor, curator, editor, curator]


def test_an_editor_may_not_publish_or_send_back_a_submitted_draft(editor):
    document = draft()
    reviewing.submit(document, by=editor)

    with pytest.raises(PermissionDenied):
        reviewing.publish_reviewed(document, by=editor)
    with pytest.raises(PermissionDenied):
        reviewing.return_for_changes(document, by=editor, comment="Looks fine to me.")

    document.refresh_from_db()
    assert document.status == Status.DRAFT
    assert Review.objects.get(document=document).state == Review.State.SUBMITTED


def test_a_viewer_may_not_submit_a_draft(person):
    viewer = person("Viewer", "vera")
    document = draft()

    with pytest.raises(PermissionDenied):
        reviewing.submit(document, by=viewer)

    assert not Review.objects.exists()


def test_only_a_draft_can_be_submitted_and_only_once_at_a_time(editor):
    published = DocumentFactory(status=Status.PUBLISHED)
    with pytest.raises(reviewing.ReviewRefused, match="Only a draft"):
        reviewing.submit(published, by=editor)

    document = draft()
    reviewing.submit(document, by=editor)
    with pytest.raises(reviewing.ReviewRefused, match="already awaiting review"):
        reviewing.submit(document, by=editor)
    assert ReviewEvent.objects.count() == 1


def test_a_draft_never_submitted_cannot_be_published_through_review(curator):
    document = draft()

    with pytest.raises(reviewing.ReviewRefused, match="has not been submitted"):
        reviewing.publish_reviewed(document, by=curator)

    document.refresh_from_db()
    assert document.status == Status.DRAFT


def test_publishing_from_the_list_closes_the_review_as_published(editor, curator):
    document = draft()
    reviewing.submit(document, by=editor)

    publishing.publish(Document.objects.filter(pk=document.pk), by=curator)

    review = Review.objects.get(document=document)
    assert review.state == Review.State.PUBLISHED
    assert review.events.last().by == curator
    assert list(reviewing.review_queue()) == []
    assert comments(document)[-1] == "Published."
