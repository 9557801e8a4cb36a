"""Review before publishing: a draft an Editor submits, and what Curators did with it.

A document has at most one `Review`, reused each time it is submitted again: its `state` says
where it stands now (awaiting review, returned for changes, published after review), and its
`ReviewEvent` rows say who did what and when, with the editor's note or the curator's comment.
The document itself stays a draft until a curator publishes it, so public pages never show a
record under review. The steps are `documents.workflows.reviewing`.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models.base import NoBidiControls, Status, staff_member
from documents.models.records import Document


class ReviewQuerySet(models.QuerySet):
    def open(self):
        """Reviews not yet finished: awaiting a curator, or returned to the editor."""
        return self.filter(state__in=[Review.State.SUBMITTED, Review.State.RETURNED])

    def of_drafts(self):
        return self.filter(document__status=Status.DRAFT)

    def mark_published(self, *, by, comment=""):
        """Close these reviews as published by `by` (a document published outside its review)."""
        reviews = list(self.open())
        now = timezone.now()
        for review in reviews:
            review.state = Review.State.PUBLISHED
            review.save(update_fields=["state"])
        ReviewEvent.objects.bulk_create(
            ReviewEvent(
                review=r, action=ReviewEvent.Action.PUBLISHED, by=by, at=now, comment=comment
            )
            for r in reviews
        )
        return len(reviews)


class Review(models.Model):
    """Where a document stands in review: submitted by whom and when, with the editor's note."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        RETURNED = "returned", _("Returned for changes")
        PUBLISHED = "published", _("Published after review")

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, related_name="review", verbose_name=_("document")
    )
    state = models.CharField(_("state"), max_length=20, choices=State)
    submitted_by = staff_member(_("submitted by"))
    submitted_at = models.DateTimeField(
        _("submitted"), help_text=_("When it was last submitted: the queue is oldest first.")
    )
    note = models.TextField(
        _("note for the reviewer"),
        blank=True,
        validators=[NoBidiControls("note", multiline=True)],
        help_text=_("What the editor wants the curator to know; optional."),
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("review")
        indexes = [models.Index(fields=["state", "submitted_at"], name="review_queue")]

    def __str__(self):
        return f"{self.get_state_display()}: {self.document}"

    def latest_return(self):
        """The last time a curator sent it back, with the comment; None if never."""
        return self.events.filter(action=ReviewEvent.Action.RETURNED).order_by("at", "pk").last()


class ReviewEvent(models.Model):
    """One step of a review: who submitted, returned or published it, when, and what they said."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        RESUBMITTED = "resubmitted", _("Resubmitted for review")
        RETURNED = "returned", _("Returned for changes")
        PUBLISHED = "published", _("Published")

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="events", verbose_name=_("review")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action)
    by = staff_member(_("by"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(
        _("comment"), blank=True, validators=[NoBidiControls("comment", multiline=True)]
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self):
        return f"{self.get_action_display()} by {self.by or 'an unknown user'}"
