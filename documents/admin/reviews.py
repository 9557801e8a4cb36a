"""Review before publishing in the document admin: submitting, the review page, the notices.

`ReviewingAdmin` (a mixin before the ModelAdmin) gives the document form a "Save and submit for
review" button for those who may change documents but not publish them, a notice at the top of
the form saying where the document stands in review (awaiting review; or sent back, by whom,
when and with what comment), and the review page (`<id>/review/`) where those who may publish
open the staff preview, read the editor's note and what changed, and publish the draft or send
it back with a comment. The queue is the document list filtered by `ReviewFilter`
(`?review=submitted`). The steps are `documents.workflows.reviewing`.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from documents import history
from documents.admin.base import page_urls
from documents.history.diffs import diff_versions
from documents.models import NoBidiControls, Review, ReviewEvent, Status
from documents.workflows import reviewing

SUBMIT = "_submit_for_review"
NOTE = "review_note"


def _url(name, *args):
    return reverse(f"admin:documents_document_{name}", args=args)


class ReviewFilter(admin.SimpleListFilter):
    """The review queue (drafts awaiting review) and the drafts sent back to their editors."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            (Review.State.SUBMITTED, "Awaiting review"),
            (Review.State.RETURNED, "Returned for changes"),
        ]

    def queryset(self, request, queryset):
        if self.value() not in (Review.State.SUBMITTED, Review.State.RETURNED):
            return queryset
        reviews = Review.objects.filter(state=self.value()).of_drafts()
        return queryset.filter(pk__in=reviews.values("document_id"))


class DecisionForm(forms.Form):
    """The curator's decision on the review page: publish, or send back with a comment."""

    PUBLISH, RETURN = "publish", "return"

    decision = forms.ChoiceField(choices=[(PUBLISH, "Publish"), (RETURN, "Send back")])
    comment = forms.CharField(
        label="Comment for the editor",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60, "dir": "auto"}),
        validators=[NoBidiControls("comment", multiline=True)],
        help_text=(
            "Required when sending it back: say what should change. Optional when publishing. "
            "The editor sees it on the record, and the history keeps it."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comment", "").strip():
            self.add_error(
                "comment",
                "Write a comment saying what should change before sending it back: the editor "
                "sees it at the top of the record.",
            )
        return cleaned


class ReviewingAdmin:
    """Review before publishing on the document admin (a mixin before the ModelAdmin)."""

    def has_review_permission(self, request, obj=None):
        return reviewing.can_review(request.user) and self.has_change_permission(request, obj)

    def may_submit_for_review(self, request, obj=None):
        """Those who may change the document but not publish it submit it for review."""
        if obj is not None and obj.status != Status.DRAFT:
            return False
        return self.has_change_permission(request, obj) and not self.has_publish_permission(
            request, obj
        )

    def get_urls(self):
        own = page_urls(self, ("<path:object_id>/review/", self.review_view, "review"))
        return [*own, *super().get_urls()]

    def get_ordering(self, request):
        # The queue and the returned list: the longest waiting first.
        if request.GET.get(ReviewFilter.parameter_name) in Review.State.values:
            return ["review__submitted_at", "pk"]
        return super().get_ordering(request)

    def review_context(self, request, obj):
        """What the change form's notice and submit box show."""
        review = getattr(obj, "review", None) if obj is not None and obj.pk else None
        if review is not None and (
            obj.status != Status.DRAFT or review.state == Review.State.PUBLISHED
        ):
            review = None
        returned = (
            review.latest_return() if review and review.state == Review.State.RETURNED else None
        )
        return {
            "review": review,
            "review_returned": returned,
            "review_url": _url("review", obj.pk) if review else "",
            "can_review": review is not None and self.has_review_permission(request, obj),
            "can_submit_for_review": self.may_submit_for_review(request, obj)
            and (review is None or review.state == Review.State.RETURNED),
            "review_note_name": NOTE,
            # Kept when the form comes back with an error.
            "review_note": request.POST.get(NOTE, "") if request.method == "POST" else "",
            "review_submit_name": SUBMIT,
        }

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_published():
            # Published from its form (the status field): its review is over too.
            Review.objects.filter(document=obj).mark_published(by=request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.review_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if SUBMIT in request.POST and self.may_submit_for_review(request, obj):
            request._submit_for_review = obj
            return HttpResponseRedirect(_url("change", obj.pk))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if SUBMIT in request.POST and self.may_submit_for_review(request, obj):
            request._submit_for_review = obj
            return HttpResponseRedirect(_url("change", obj.pk))
        return super().response_change(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        document = getattr(request, "_submit_for_review", None)
        if document is not None:
            # After the save's own revision: the submission is a step of its own in the history.
            self._submit(request, document)
        return response

    def _submit(self, request, document):
        try:
            review = reviewing.submit(document, by=request.user, note=request.POST.get(NOTE, ""))
        except (reviewing.ReviewRefused, ValidationError) as refusal:
            reason = (
                "; ".join(refusal.messages) if isinstance(refusal, ValidationError) else refusal
            )
            self.message_user(
                request,
                f"Your changes were saved, but “{document}” was not submitted for review: {reason}",
                messages.ERROR,
            )
            return
        again = review.events.last().action == ReviewEvent.Action.RESUBMITTED
        self.message_user(
            request,
            f"“{document}” was saved and {'resubmitted' if again else 'submitted'} for review. It "
            "stays a draft until a curator publishes it or sends it back with a comment.",
            messages.SUCCESS,
        )

    def review_view(self, request, object_id):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is None:
            raise Http404(f"No document with ID {object_id}.")
        if not self.has_review_permission(request, obj):
            raise PermissionDenied
        review = getattr(obj, "review", None)
        awaiting = (
            review is not None
            and review.state == Review.State.SUBMITTED
            and obj.status == Status.DRAFT
        )
        form = DecisionForm(request.POST or None)
        if request.method == "POST":
            if not awaiting:
                self.message_user(
                    request,
                    f"Nothing was changed: “{obj}” is not awaiting review.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.path)
            if form.is_valid():
                return self._decide(request, obj, form.cleaned_data)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review “{obj}”",
            "opts": self.opts,
            "original": obj,
            "review": review,
            "awaiting": awaiting,
            "events": list(review.events.select_related("by")) if review else [],
            "form": form,
            "preview_url": obj.get_absolute_url(),
            "change_url": _url("change", obj.pk),
            "history_url": _url("history", obj.pk),
            "queue_url": self._queue_url(),
            **self._differences(obj, review),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/documents/document/review.html", context)

    def _queue_url(self):
        return f"{_url('changelist')}?review={Review.State.SUBMITTED}"

    def _decide(self, request, obj, decision):
        comment = decision["comment"]
        try:
            if decision["decision"] == DecisionForm.PUBLISH:
                reviewing.publish_reviewed(obj, by=request.user, comment=comment)
                done = f"“{obj}” was published after review; its public page is live."
            else:
                review = reviewing.return_for_changes(obj, by=request.user, comment=comment)
                editor = review.submitted_by or "its editor"
                done = f"“{obj}” was sent back to {editor} with your comment."
        except reviewing.ReviewRefused as refusal:
            self.message_user(request, f"Nothing was changed: {refusal}", messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(self._queue_url())

    def _differences(self, obj, review):
        """What the curator should look at: the changes since it was sent back, or since it was
        last published, or (a new record) every field as submitted."""
        versions = list(history.versions_of(obj))
        if not versions:
            return {"differences": None, "differences_since": ""}
        current = versions[0]
        returned = review.latest_return() if review else None
        if returned is not None:
            earlier = [v for v in versions if v.revision.date_created <= returned.at]
            if earlier:
                since = "it was sent back"
                return {
                    "differences": diff_versions(earlier[0], current),
                    "differences_since": since,
                }
        published = next(
            (v for v in versions if v.field_dict.get("status") == Status.PUBLISHED), None
        )
        if published is not None:
            since = "it was last published"
            return {"differences": diff_versions(published, current), "differences_since": since}
        return {"differences": diff_versions(None, current), "differences_since": ""}
