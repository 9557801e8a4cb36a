"""Deleted records: finding a deleted document, person or collection and restoring it.

`DeletedRecordsAdmin` gives a model's admin a "Deleted records" screen (`deleted/`), searchable
by title or name, record ID, who deleted it and when, and a restore page for each
(`deleted/<version>/restore/`) that says what comes back and what would clash before anything
is written. Both are refused (403) to anyone who may neither delete records of the model nor
restore them (`documents.restore_document`). The restore itself is
`documents.workflows.restoring.restore_deleted`.
"""

from datetime import date

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from documents import history
from documents.admin.base import page_urls
from documents.history import related_versions
from documents.models import PersonMerge, Status
from documents.tasks import scans as scan_tasks
from documents.workflows.restoring import RestoreRefused, problems, restore_deleted

DELETED_PER_PAGE = 50


def _day(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class DeletedRecordsAdmin:
    """A model admin's Deleted records screen and restore page (a mixin before the ModelAdmin)."""

    def has_restore_permission(self, request):
        opts = self.opts
        user = request.user
        return user.has_perm(f"{opts.app_label}.delete_{opts.model_name}") or user.has_perm(
            "documents.restore_document"
        )

    def _url(self, name, *args):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

    def get_urls(self):
        return [
            *page_urls(
                self,
                ("deleted/", self.deleted_records_view, "deleted"),
                ("deleted/<int:version_id>/restore/", self.restore_view, "restore"),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "deleted_records_url": self._url("deleted")
            if self.has_restore_permission(request)
            else "",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def deleted_queryset(self):
        """The last versions of this model's deleted records; a merged person is not deleted."""
        merged = PersonMerge.objects.values("before_id")
        return history.deleted_versions(self.model).exclude(revision_id__in=merged)

    def _kinds(self, request):
        """The other kinds of record the user may look for among the deleted."""
        return [
            {
                "label": admin_class.opts.verbose_name_plural,
                "url": admin_class._url("deleted"),
                "current": admin_class is self,
            }
            for admin_class in self.admin_site._registry.values()
            if isinstance(admin_class, DeletedRecordsAdmin)
            and admin_class.has_restore_permission(request)
        ]

    def _search(self, request, versions):
        query = (request.GET.get("q") or "").strip()[:200]
        by = (request.GET.get("by") or "").strip()[:150]
        start, end = _day(request.GET.get("from")), _day(request.GET.get("to"))
        if query:
            by_name = versions.filter(object_repr__icontains=query)
            if query.isdigit() and any(f.name == "record_id" for f in self.opts.fields):
                with_id = history.deleted_with(self.model, "record_id", int(query))
                ids = {v.pk for v in by_name} | ({with_id.pk} if with_id else set())
                versions = versions.filter(pk__in=ids)
            else:
                versions = by_name
        if by:
            versions = versions.filter(revision__user__username__icontains=by)
        if start:
            versions = versions.filter(revision__date_created__date__gte=start)
        if end:
            versions = versions.filter(revision__date_created__date__lte=end)
        return versions, {"q": query, "by": by, "from": start, "to": end}

    def deleted_records_view(self, request):
        if not self.has_restore_permission(request):
            raise PermissionDenied
        versions, searched = self._search(request, self.deleted_queryset())
        page = Paginator(versions, DELETED_PER_PAGE).get_page(request.GET.get("page"))
        rows = []
        for version in page.object_list:
            data = version.field_dict
            rows.append(
                {
                    "version": version,
                    "record_id": data.get("record_id"),
                    "was_published": data.get("status") == Status.PUBLISHED,
                    "recorded": history.is_deletion(version),
                    "restore_url": self._url("restore", version.pk),
                }
            )
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {self.opts.verbose_name_plural}",
            "opts": self.opts,
            "kinds": self._kinds(request),
            "rows": rows,
            "page_obj": page,
            "searched": searched,
            "is_searched": any(searched.values()),
            "page_query": query.urlencode(),
            "has_record_id": any(f.name == "record_id" for f in self.opts.fields),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/deleted_records.html", context)

    def _links(self, version):
        """(name, [labels]) of the links a restore brings back: subjects, places, collections..."""
        links = []
        data = version.field_dict
        for model_field in self.opts.many_to_many:
            ids = data.get(model_field.attname)
            if not ids:
                continue
            found = model_field.related_model._default_manager.filter(pk__in=ids)
            labels = sorted(str(obj) for obj in found)
            if gone := len(ids) - len(labels):
                labels.append(f"{gone} deleted since, left out")
            links.append((str(model_field.verbose_name), labels))
        if self.opts.label == "documents.Document":
            Collection = apps.get_model("collections", "Collection")
            held_by = [
                kept.object_repr
                for kept in history.versions_in_revision(version.revision, Collection)
                if int(version.object_id) in [int(pk) for pk in kept.field_dict["documents"]]
            ]
            if held_by:
                links.append(("collections", sorted(held_by)))
        return links

    def restore_view(self, request, version_id):
        if not self.has_restore_permission(request):
            raise PermissionDenied
        version = self.deleted_queryset().filter(pk=version_id).first()
        if version is None:
            raise Http404(
                f"No deleted {self.opts.verbose_name} is kept under this number; it may have "
                "been restored already."
            )
        was_published = version.field_dict.get("status") == Status.PUBLISHED
        can_publish = request.user.has_perm(f"{self.opts.app_label}.publish_{self.opts.model_name}")
        if request.method == "POST":
            publish = was_published and can_publish and request.POST.get("publish") == "yes"
            try:
                restored = restore_deleted(version, by=request.user, publish=publish)
            except RestoreRefused as refusal:
                self.message_user(
                    request, f"“{version.object_repr}” was not restored: {refusal}", messages.ERROR
                )
                return HttpResponseRedirect(request.path)
            for scan in restored.scans:
                scan_tasks.schedule(scan)  # its page images (IIIF) went with the deleted rows
            record = restored.record
            state = "published" if getattr(record, "status", "") == Status.PUBLISHED else ""
            state = state or ("a draft" if hasattr(record, "status") else "")
            self.message_user(
                request,
                f"“{record}” was restored" + (f" as {state}" if state else "") + ".",
                messages.SUCCESS,
            )
            for sentence in restored.left_out:
                self.message_user(request, sentence, messages.WARNING)
            return HttpResponseRedirect(self._url("change", record.pk))
        parts = {}
        for related in related_versions(version):
            parts.setdefault(related._model._meta, []).append(related.object_repr)
        parts = [
            (str(meta.verbose_name if len(items) == 1 else meta.verbose_name_plural), items)
            for meta, items in parts.items()
        ]
        parts.extend(self._links(version))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Restore “{version.object_repr}”",
            "opts": self.opts,
            "version": version,
            "recorded": history.is_deletion(version),
            "record_id": version.field_dict.get("record_id"),
            "parts": sorted(parts),
            "problems": problems(version),
            "was_published": was_published,
            "can_publish": can_publish,
            "status": version.field_dict.get("status"),
            "deleted_url": self._url("deleted"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/restore_deleted.html", context)
