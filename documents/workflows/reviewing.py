"""Review before publishing: an Editor submits a draft, a Curator publishes it or sends it back.

Each step checks who may take it (submitting needs the change permission on documents; sending
back and publishing need the publish permission), moves the document's `Review` on, adds a
`ReviewEvent`, and leaves a revision in the document's history whose comment says who did what
("Submitted for review by anna: …", "Returned for changes by mila: …", "Published after review
by mila."). The document stays a draft until `publish_reviewed`, which publishes it through
`documents.workflows.publishing.set_status` like any publication.
"""

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from documents import history
from documents.models import Document, Review, ReviewEvent, Status
from documents.workflows import publishing

CHANGE_PERMISSION = "documents.change_document"
PUBLISH_PERMISSION = "documents.publish_document"


class ReviewRefused(Exception):
    """A review step that cannot be taken now; str() says why in a sentence."""


def can_submit(user):
    return user.has_perm(CHANGE_PERMISSION)


def can_review(user):
    return user.has_perm(PUBLISH_PERMISSION) and user.has_perm(CHANGE_PERMISSION)


def _quoted(text):
    return f": “{text}”" if text else "."


def _record(document, *, by, comment):
    """One revision of the document, signed by `by`, saying what the step was."""
    history.record_baselines([document])
    with reversion.create_revision(atomic=False):
        reversion.set_user(by)
        reversion.set_comment(comment)
        reversion.add_to_revision(document)


def _locked(document):
    document = Document.objects.select_for_update().get(pk=document.pk)
    review = Review.objects.select_for_update().filter(document=document).first()
    return document, review


def _awaiting(document, review):
    """The review of `document` if a curator may decide on it now; refuse otherwise."""
    if document.status != Status.DRAFT:
        raise ReviewRefused(
            f"“{document}” is {document.get_status_display().lower()}, not a draft: "
            "there is nothing to review."
        )
    if review is None or review.state != Review.State.SUBMITTED:
        state = "has not been submitted for review"
        if review is not None and review.state == Review.State.RETURNED:
            state = "was sent back to its editor and has not been resubmitted"
        raise ReviewRefused(f"“{document}” {state}.")
    return review


@transaction.atomic
def submit(document, *, by, note=""):
    """Submit a draft for review (again, after it was sent back); return its Review."""
    if not can_submit(by):
        raise PermissionDenied
    document, review = _locked(document)
    note = (note or "").strip()
    if document.status != Status.DRAFT:
        raise ReviewRefused(
            f"Only a draft can be submitted for review; “{document}” is "
            f"{document.get_status_display().lower()}."
        )
    if review is not None and review.state == Review.State.SUBMITTED:
        raise ReviewRefused(f"“{document}” is already awaiting review.")
    resubmitted = review is not None and review.state == Review.State.RETURNED
    if review is None:
        review = Review(document=document)
    review.state = Review.State.SUBMITTED
    review.submitted_by = by
    review.submitted_at = timezone.now()
    review.note = note
    review.full_clean(exclude=["document"])
    review.save()
    action = ReviewEvent.Action.RESUBMITTED if resubmitted else ReviewEvent.Action.SUBMITTED
    ReviewEvent.objects.create(
        review=review, action=action, by=by, at=review.submitted_at, comment=note
    )
    verb = "Resubmitted" if resubmitted else "Submitted"
    _record(document, by=by, comment=f"{verb} for review by {by.get_username()}{_quoted(note)}")
    return review


@transaction.atomic
def return_for_changes(document, *, by, comment):
    """Send a submitted draft back to its editor with `comment` (required); return the Review."""
    if not can_review(by):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not comment:
        raise ReviewRefused(
            "Write a comment saying what should change: the editor sees it on the record."
        )
    document, review = _locked(document)
    review = _awaiting(document, review)
    review.state = Review.State.RETURNED
    review.save(update_fields=["state"])
    event = ReviewEvent(review=review, action=ReviewEvent.Action.RETURNED, by=by, comment=comment)
    event.full_clean(exclude=["review"])
    event.save()
    _record(document, by=by, comment=f"Returned for changes by {by.get_username()}: “{comment}”")
    return review


@transaction.atomic
def publish_reviewed(document, *, by, comment=""):
    """Publish a submitted draft, closing its review; `comment` is optional. Return the Review."""
    if not can_review(by):
        raise PermissionDenied
    comment = (comment or "").strip()
    document, review = _locked(document)
    review = _awaiting(document, review)
    review.state = Review.State.PUBLISHED
    review.save(update_fields=["state"])
    event = ReviewEvent(review=review, action=ReviewEvent.Action.PUBLISHED, by=by, comment=comment)
    event.full_clean(exclude=["review"])
    event.save()
    publishing.set_status(
        [document],
        status=Status.PUBLISHED,
        by=by,
        comment=f"Published after review by {by.get_username()}{_quoted(comment)}",
    )
    return review


def review_queue():
    """Drafts awaiting review, the longest waiting first."""
    return Document.objects.filter(
        status=Status.DRAFT, review__state=Review.State.SUBMITTED
    ).order_by("review__submitted_at", "pk")


def returned_to(user):
    """Drafts `user` submitted that a curator sent back, the longest waiting first."""
    return Document.objects.filter(
        status=Status.DRAFT, review__state=Review.State.RETURNED, review__submitted_by=user
    ).order_by("review__submitted_at", "pk")
