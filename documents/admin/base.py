"""What every record's admin shares: history with differences, revert, and publishing actions.

HistoryAdmin saves one revision per change and shows a record's versions, field by field, with a
revert button; PublishingAdmin adds the publish, unpublish and withdraw actions. The admins of
documents, people, vocabularies and collections (archive_collections.admin) build on them. May
import documents.models, documents.history, documents.workflows and documents.admin.forms.
"""

import reversion
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from reversion.models import Version

from documents import changes, history
from documents.admin.forms import ConflictCheckedForm
from documents.history.diffs import diff_versions
from documents.models import PersonMerge, Status
from documents.workflows import publishing
from documents.workflows.reverting import RevertRefused, revert_to

# Text boxes show what a curator types in its own direction (a Persian title, a Latin name).
# The admins and the inlines with text fields use these (formfield_overrides).
TEXT_INPUTS = {
    models.CharField: {"widget": widgets.AdminTextInputWidget(attrs={"dir": "auto"})},
    models.TextField: {"widget": widgets.AdminTextareaWidget(attrs={"dir": "auto"})},
}


def page_urls(model_admin, *pages):
    """URL patterns for a ModelAdmin's own pages: (route, view, name suffix) each.

    Every page goes through `admin_view` (signed-in staff only, never cached) and is named
    `<app>_<model>_<suffix>`, as Django names the admin's own pages.
    """
    opts = model_admin.model._meta
    prefix = f"{opts.app_label}_{opts.model_name}"
    admin_view = model_admin.admin_site.admin_view
    return [path(route, admin_view(view), name=f"{prefix}_{name}") for route, view, name in pages]


class HistoryAdmin(admin.ModelAdmin):
    """One revision per save, a history with field-by-field differences, and revert."""

    form = ConflictCheckedForm
    formfield_overrides = {**TEXT_INPUTS, models.URLField: {"assume_scheme": "https"}}
    object_history_template = "admin/history/object_history.html"
    version_template = "admin/history/version.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, widgets.AdminSplitDateTime):
            # Django names the pair with a legend only, which leaves each box unnamed.
            label = capfirst(formfield.label)
            for box, part in zip(formfield.widget.widgets, ("date", "time"), strict=True):
                box.attrs["aria-label"] = f"{label}: {part}"
        return formfield

    def has_revert_permission(self, request, obj=None):
        return request.user.has_perm("documents.revert_document") and self.has_change_permission(
            request, obj
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            self._record_baseline(request, object_id)
        # One revision, and one application of the changes (documents.changes), per save.
        with reversion.create_revision(), changes.batch():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _record_baseline(self, request, object_id):
        """Keep a record's state from before its first admin edit (seeded or imported records)."""
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            return
        history.record_baselines([obj])

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or "Created.")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or "Saved without changes.")
        return entry

    def kept_with_deleted(self, objs):
        """Records kept in a deletion's revision beside the deleted ones, for their restore."""
        return []

    def delete_model(self, request, obj):
        # Kept first, in a revision of its own: who deleted it and when, and what to restore.
        history.record_deletion(
            [obj],
            by=request.user,
            comment="Deleted in the admin.",
            also=self.kept_with_deleted([obj]),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        objs = list(queryset)
        noun = self.opts.verbose_name if len(objs) == 1 else self.opts.verbose_name_plural
        with transaction.atomic(), changes.batch():
            history.record_deletion(
                objs,
                by=request.user,
                comment=f"Deleted in the admin, {len(objs)} {noun} at once.",
                also=self.kept_with_deleted(objs),
            )
            super().delete_queryset(request, queryset)

    def get_urls(self):
        history = "<path:object_id>/history/<int:version_id>/"
        return [
            *page_urls(
                self,
                (history, self.version_view, "version"),
                (f"{history}revert/", self.revert_view, "revert"),
            ),
            *super().get_urls(),
        ]

    def _object_or_404(self, request, object_id):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with ID {object_id}.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _versions(self, obj):
        hidden = PersonMerge.objects.values("before_id")
        return list(history.versions_of(obj).exclude(revision_id__in=hidden))

    def history_view(self, request, object_id, extra_context=None):
        obj = self._object_or_404(request, object_id)
        versions = self._versions(obj)
        rows = []
        for index, version in enumerate(versions):
            merge = PersonMerge.objects.filter(revision_id=version.revision_id).first()
            rows.append({"version": version, "is_current": index == 0, "merge": merge})
        context = {
            **self.admin_site.each_context(request),
            "title": f"History of “{obj}”",
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "rows": rows,
            "can_revert": self.has_revert_permission(request, obj),
            "can_undo_merge": request.user.has_perm("documents.merge_person"),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def _version(self, obj, version_id):
        version = (
            Version.objects.get_for_object(obj)
            .select_related("revision__user")
            .filter(pk=version_id)
            .first()
        )
        if version is None:
            raise Http404("This version does not belong to this record.")
        return version

    def version_view(self, request, object_id, version_id):
        obj = self._object_or_404(request, object_id)
        version = self._version(obj, version_id)
        versions = self._versions(obj)
        older = [v for v in versions if v.revision.date_created < version.revision.date_created]
        previous = older[0] if older else None
        current = versions[0] if versions else None
        is_current = current is not None and current.pk == version.pk
        context = {
            **self.admin_site.each_context(request),
            "title": f"Version of “{obj}”",
            "object": obj,
            "opts": self.opts,
            "version": version,
            "previous": previous,
            "changes": diff_versions(previous, version),
            "is_current": is_current,
            "revert_changes": None if is_current else diff_versions(current, version),
            "can_revert": self.has_revert_permission(request, obj) and not is_current,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.version_template, context)

    def revert_view(self, request, object_id, version_id):
        obj = self._object_or_404(request, object_id)
        version = self._version(obj, version_id)
        if request.method != "POST" or not self.has_revert_permission(request, obj):
            raise PermissionDenied
        old_status = version.field_dict.get("status")
        if old_status and old_status != getattr(obj, "status", old_status):
            publish_perm = f"{self.opts.app_label}.publish_{self.opts.model_name}"
            if not request.user.has_perm(publish_perm):
                raise PermissionDenied
        history_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk]
        )
        try:
            revert_to(version, by=request.user)
        except RevertRefused as refusal:
            self.message_user(
                request, f"This version cannot be restored: {refusal}", messages.ERROR
            )
            return HttpResponseRedirect(history_url)
        except IntegrityError as error:
            self.message_user(
                request,
                f"This version cannot be restored: it clashes with another record ({error}).",
                messages.ERROR,
            )
            return HttpResponseRedirect(history_url)
        self.message_user(
            request, f"“{obj}” was reverted to the version you chose.", messages.SUCCESS
        )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )


class PublishingAdmin(HistoryAdmin):
    """Publish, unpublish and withdraw actions, and a status only publishers may set."""

    actions = ["delete_selected", "publish_selected", "unpublish_selected", "withdraw_selected"]

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm(f"{self.opts.app_label}.publish_{self.opts.model_name}")

    def delete_view(self, request, object_id, extra_context=None):
        """Django's page, warning that a published record is public and offering Withdraw."""
        obj = self.get_object(request, admin.utils.unquote(object_id))
        extra = {}
        if obj is not None and obj.is_published():
            extra = {
                "published": [obj],
                "can_withdraw": self.has_publish_permission(request, obj),
            }
        return super().delete_view(request, object_id, {**extra, **(extra_context or {})})

    @admin.action(permissions=["delete"], description="Delete selected %(verbose_name_plural)s")
    def delete_selected(self, request, queryset):
        """Django's action; its confirmation names the published records and offers Withdraw."""
        response = django_delete_selected(self, request, queryset)
        if isinstance(response, TemplateResponse):
            published = [obj for obj in queryset if obj.is_published()]
            response.context_data.update(
                published=published, can_withdraw=self.has_publish_permission(request)
            )
        return response

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request, obj):
            # The public reason goes with the withdrawal: set by those who may withdraw.
            readonly += ["status", "withdrawal_reason"]
        return readonly

    def _set_status(self, request, queryset, status, verb):
        changed = publishing.set_status(queryset, status=status, by=request.user)
        unchanged = queryset.count() - changed
        noun = self.opts.verbose_name if changed == 1 else self.opts.verbose_name_plural
        message = f"{verb} {changed} {noun}."
        if unchanged:
            message += f" {unchanged} already had that status."
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(permissions=["publish"], description="Publish selected %(verbose_name_plural)s")
    def publish_selected(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "Published")

    @admin.action(
        permissions=["publish"], description="Unpublish selected %(verbose_name_plural)s (to draft)"
    )
    def unpublish_selected(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "Returned to draft")

    @admin.action(permissions=["publish"], description="Withdraw selected %(verbose_name_plural)s")
    def withdraw_selected(self, request, queryset):
        self._set_status(request, queryset, Status.WITHDRAWN, "Withdrew")
