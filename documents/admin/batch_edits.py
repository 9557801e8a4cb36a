"""Batch edits in the admin: the form, its preview and confirmation, and the batch edits' history.

`BatchEditMixin` goes on DocumentAdmin: the action "Edit selected documents in batch" (the
selected rows, or every match when "Select all" was clicked) and the change list's "Batch edit
this list" button both lead to one page (`document/batch-edit/`), which keeps the selection in
its address: `ids=` for rows chosen one by one, `_changelist_filters=` for the filtered list,
read again through the change list's own filters and search. The page asks for the field, the
action and the values, then previews the change and, once confirmed, makes it
(`documents.workflows.batch_editing`), in the worker if it is large (`documents.tasks.batch_edits`).

`BatchEditAdmin` lists the batch edits (`/admin/documents/batchedit/`): who, when, what, how it
went, with the progress of one running and an Undo button.
"""

from copy import copy
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from archive_collections.models import Collection
from documents.admin.base import page_urls
from documents.admin.imports import progress_sentence
from documents.models import BatchEdit, Document, Funding, Status
from documents.tasks import batch_edits as batch_edit_tasks
from documents.workflows import batch_editing
from documents.workflows.batch_editing import ACTION_LABELS, FIELDS, BatchEditError

# The model field whose autocomplete (the admin's own, /admin/autocomplete/) finds each field's
# values: a link to the vocabulary, whose admin searches it.
AUTOCOMPLETE_SOURCES = {
    "subjects": lambda: Document._meta.get_field("subjects"),
    "places": lambda: Document._meta.get_field("places"),
    "languages": lambda: Document._meta.get_field("languages"),
    "type": lambda: Document._meta.get_field("document_type"),
    "classification": lambda: Document._meta.get_field("classification"),
    "rights": lambda: Document._meta.get_field("rights"),
    "funders": lambda: Funding._meta.get_field("organization"),
    "collections": lambda: Collection.documents.through._meta.get_field("collection"),
}


class ValuesWidget(AutocompleteSelectMultiple):
    """The admin's autocomplete, without the "clear all" cross: each value has its own, and
    select2 puts that one inside its list, where it is no list item (axe's "list" rule)."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs), "data-allow-clear": "false"}


class BatchEditForm(forms.Form):
    """The field, the action and the values; the values' widget suits the field chosen."""

    field = forms.ChoiceField(label="Field")
    action = forms.ChoiceField(label="Action")

    def __init__(self, data=None, *, user, admin_site):
        if data is not None and data.get("shown_field", data.get("field")) != data.get("field"):
            # Another field was chosen: the values were of the one shown before.
            data = data.copy()
            data.setlist("values", [])
        super().__init__(data)
        allowed = [f for f in FIELDS.values() if batch_editing.refusal(user, f.key) is None]
        self.fields["field"].choices = [(f.key, f.plural.capitalize()) for f in allowed]
        chosen = FIELDS.get(self.data.get("field")) if data else None
        chosen = chosen if chosen in allowed else (allowed[0] if allowed else None)
        self.batch_field = chosen
        self.fields["action"].choices = [
            (action, ACTION_LABELS[action]) for action in (chosen.actions() if chosen else ())
        ]
        if chosen is None:
            return
        if chosen.model is None:
            self.fields["values"] = forms.ChoiceField(
                label="Status",
                choices=Status.choices,
                help_text="Publishing stamps the first publication date of records never "
                "published before.",
            )
        else:
            self.fields["values"] = forms.ModelMultipleChoiceField(
                label=chosen.plural.capitalize(),
                queryset=chosen.model._default_manager.all(),
                required=False,
                widget=ValuesWidget(AUTOCOMPLETE_SOURCES[chosen.key](), admin_site),
                help_text=(
                    f"Type to find {chosen.plural}. "
                    + (
                        f"“Set to” with none chosen clears the {chosen.plural}."
                        if chosen.multiple
                        else f"“Remove” clears the {chosen.label} of the documents that have "
                        "one of those chosen."
                    )
                ),
            )

    def operation(self):
        """The operation the valid form describes."""
        values = self.cleaned_data["values"]
        if self.batch_field.model is None:
            values = [values]
        else:
            values = [entry.pk for entry in values]
        return batch_editing.Operation(
            self.cleaned_data["field"], self.cleaned_data["action"], tuple(values)
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            batch_editing.validate(self.operation())
        except BatchEditError as error:
            self.add_error("values", str(error))
        return cleaned

    def hidden_values(self):
        """The chosen values as (name, value) pairs, for the preview's confirmation form."""
        return [("values", value) for value in self.operation().values]


class BatchEditMixin:
    """The batch edit action, button and page, for DocumentAdmin."""

    def get_urls(self):
        return [
            *page_urls(self, ("batch-edit/", self.batch_edit_view, "batch_edit")),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        url = ""
        if self.has_change_permission(request):
            query = request.GET.copy()
            query.pop("p", None)
            url = reverse("admin:documents_document_batch_edit")
            if query:
                url += "?" + urlencode({"_changelist_filters": query.urlencode()})
        return super().changelist_view(request, {**(extra_context or {}), "batch_edit_url": url})

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_change_permission(request):
            actions["batch_edit_selected"] = self.get_action("batch_edit_selected")
        return actions

    @admin.action(permissions=["change"], description="Edit selected documents in batch")
    def batch_edit_selected(self, request, queryset):
        url = reverse("admin:documents_document_batch_edit")
        if request.POST.get("select_across") == "1":
            # Every match of the list's filter: the page reads the filter again.
            query = request.GET.copy()
            query.pop("p", None)
            return HttpResponseRedirect(
                url + "?" + urlencode({"_changelist_filters": query.urlencode()})
            )
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(url + "?" + urlencode({"ids": ids}))

    def batch_edit_selection(self, request):
        """(the documents selected, the filter query or "", the list's address)."""
        changelist = reverse("admin:documents_document_changelist")
        if "ids" in request.GET:
            try:
                ids = [int(pk) for pk in request.GET["ids"].split(",") if pk]
            except ValueError:
                ids = []
            return Document.objects.filter(pk__in=ids), "", changelist
        query = request.GET.get("_changelist_filters", "")
        listing = copy(request)
        listing.GET = QueryDict(query)
        listing.method = "GET"
        listing.POST = QueryDict()
        try:
            cl = self.get_changelist_instance(listing)
        except IncorrectLookupParameters:
            # As the list itself answers a filter it cannot read: the list, with ?e=1.
            return None, query, changelist + "?e=1"
        return cl.get_queryset(listing), query, changelist + (f"?{query}" if query else "")

    def batch_edit_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        asked = request.POST.get("field")
        if asked in FIELDS:
            batch_editing.check_permission(request.user, asked)  # the permission of the field
        queryset, query, list_url = self.batch_edit_selection(request)
        if queryset is None:
            messages.error(request, "The list's filter could not be read; filter the list again.")
            return HttpResponseRedirect(list_url)
        count = queryset.count()
        form = BatchEditForm(
            request.POST if request.method == "POST" else None,
            user=request.user,
            admin_site=self.admin_site,
        )
        step = request.POST.get("step", "form")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Edit documents in batch",
            "form": form,
            "media": self.media + form.media,
            "count": count,
            "query": query,
            "list_url": list_url,
            "background_above": settings.BATCH_EDIT_BACKGROUND_DOCUMENTS,
        }
        if form.batch_field is None:
            raise PermissionDenied
        if request.method == "POST" and step in ("preview", "confirm") and form.is_valid():
            operation = form.operation()
            if step == "confirm":
                try:
                    edit = batch_editing.create(
                        queryset.values_list("pk", flat=True),
                        operation,
                        by=request.user,
                        query=query,
                    )
                except BatchEditError as error:
                    form.add_error(None, str(error))
                else:
                    return self._started(request, edit)
            else:
                preview = batch_editing.preview(queryset, operation, request.user)
                context.update(
                    preview=preview,
                    hidden_values=form.hidden_values(),
                    title="Preview of the batch edit",
                    in_background=batch_edit_tasks.runs_in_background(preview.total),
                )
        return TemplateResponse(request, "admin/documents/batch_edit.html", context)

    def _started(self, request, edit):
        try:
            edit = batch_edit_tasks.start(edit)
        except BatchEditError:
            edit.refresh_from_db()
        if edit.state == BatchEdit.State.DONE:
            already = f" ({edit.unchanged:,} already were so)" if edit.unchanged else ""
            messages.success(
                request,
                f"Batch edit #{edit.pk} done: changed {edit.changed:,} documents{already}. "
                "Undo it from this page.",
            )
        elif edit.state == BatchEdit.State.FAILED:
            messages.error(request, edit.error)
        else:
            messages.info(
                request,
                f"Batch edit #{edit.pk} of {edit.total:,} documents runs in the background; "
                "this page shows how far it has got.",
            )
        return redirect("admin:documents_batchedit_change", edit.pk)


# The history of batch edits ---------------------------------------------------------------------


SHOWN_RECORDS = 50


def may_see_batch_edits(user):
    """Who may read the batch edits: those who may make them."""
    return user.has_perm("documents.change_document")


@admin.register(BatchEdit)
class BatchEditAdmin(admin.ModelAdmin):
    # While it waits or runs, the page refreshes itself (a <meta> refresh, as an import's does).
    change_form_template = "admin/documents/batchedit/change_form.html"
    # What and how it went first: on a phone the table scrolls sideways past them.
    list_display = ["number", "description", "status", "undo_link", "user", "created_at"]
    list_display_links = ["number", "description"]
    list_filter = ["state"]
    search_fields = ["description", "user__username"]
    list_select_related = ["user"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "status",
                    "description",
                    "selection",
                    "user",
                    "created_at",
                    "finished_at",
                    "history_link",
                    "undo_link",
                ]
            },
        ),
        ("Counts", {"fields": ["total", "changed", "unchanged", "changed_records"]}),
        ("Undo", {"fields": ["undone_at", "undone_by"]}),
    ]
    readonly_fields = flatten_fieldsets(fieldsets)

    class Media:
        css = {"all": ["archive/admin.css"]}

    def has_module_permission(self, request):
        return may_see_batch_edits(request.user)

    def has_view_permission(self, request, obj=None):
        return may_see_batch_edits(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [*page_urls(self, ("<int:pk>/undo/", self.undo_view, "undo")), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "Batch edits", **(extra_context or {})})

    @admin.display(description="batch edit", ordering="pk")
    def number(self, edit):
        return f"#{edit.pk}"

    @admin.display(description="status")
    def status(self, edit):
        """Where the batch edit is, or how it ended, in a sentence."""
        if edit.state == BatchEdit.State.QUEUED:
            return (
                f"Waiting for the worker: {edit.total:,} documents to edit. It starts as soon "
                "as `manage.py db_worker` is free (see the README, “Deploying”)."
            )
        if edit.state == BatchEdit.State.RUNNING:
            return progress_sentence(
                batch_edit_tasks.read_progress(edit),
                edit.total,
                doing="Editing",
                unit="documents",
            )
        if edit.state == BatchEdit.State.FAILED:
            return edit.error or "Failed; nothing was written."
        done = f"changed {edit.changed:,} of {edit.total:,} documents"
        if edit.unchanged:
            done += f" ({edit.unchanged:,} already were so)"
        if edit.state == BatchEdit.State.UNDONE:
            return f"Undone ({done} before the undo)."
        return f"Done: {done}."

    @admin.display(description="documents")
    def selection(self, edit):
        if edit.query:
            url = reverse("admin:documents_document_changelist") + "?" + edit.query
            return format_html(
                'The {} documents the list matched: <a href="{}">the list, filtered so</a> '
                "(it shows what matches now).",
                f"{edit.total:,}",
                url,
            )
        return f"{edit.total:,} documents selected in the list."

    @admin.display(description="records changed")
    def changed_records(self, edit):
        """The first records changed, by record ID, each a link to its form."""
        shown = list(edit.changes.order_by("record_id")[:SHOWN_RECORDS])
        if not shown:
            return "—"
        titles = dict(
            Document.objects.filter(pk__in=[c.document_id for c in shown]).values_list(
                "pk", "title"
            )
        )
        items = format_html_join(
            "",
            "<li>{}</li>",
            [
                (
                    format_html(
                        '<a href="{}" title="{}">{}</a>',
                        reverse("admin:documents_document_change", args=[c.document_id]),
                        titles[c.document_id],
                        c.record_id,
                    )
                    if c.document_id in titles
                    else f"{c.record_id} (deleted since)",
                )
                for c in shown
            ],
        )
        more = edit.changes.count() - len(shown)
        tail = f" and {more:,} more." if more > 0 else ""
        return format_html('<ul class="batch-edit-records">{}</ul>{}', items, tail)

    @admin.display(description="in the history")
    def history_link(self, edit):
        if edit.revision is None:
            return "—"
        return format_html(
            "One revision, “{}”, in each changed document's history.", edit.revision.comment
        )

    @admin.display(description="undo")
    def undo_link(self, edit):
        if not edit.can_be_undone():
            return "—"
        url = reverse("admin:documents_batchedit_undo", args=[edit.pk])
        return format_html(
            '<a class="button" href="{}" aria-label="Undo batch edit #{}">Undo…</a>', url, edit.pk
        )

    def undo_view(self, request, pk):
        edit = get_object_or_404(BatchEdit, pk=pk)
        field_key = edit.operation.get("field", "")
        problem = batch_editing.refusal(request.user, field_key) if field_key in FIELDS else None
        if problem:
            raise batch_editing.BatchEditRefused(problem)
        change_url = reverse("admin:documents_batchedit_change", args=[edit.pk])
        if not edit.can_be_undone():
            messages.error(
                request, "This batch edit cannot be undone: it changed nothing or was undone."
            )
            return redirect(change_url)
        if request.method == "POST":
            try:
                restored = batch_editing.undo(edit, by=request.user)
            except BatchEditError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    f"Batch edit #{edit.pk} undone: {restored:,} documents hold again what "
                    "they held before it.",
                )
            return redirect(change_url)
        edited = batch_editing.edited_since(edit)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Undo batch edit #{edit.pk}?",
            "edit": edit,
            "edited": sorted(edited)[:50],
            "edited_count": len(edited),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/documents/batchedit_undo.html", context)
