from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin
from django.db.models import Count

from archive_collections.models import Collection, FeaturedDocument
from documents.admin import PublishingAdmin
from documents.admin.deleted import DeletedRecordsAdmin
from documents.admin.forms import ConflictCheckedForm


class CollectionForm(ConflictCheckedForm):
    class Meta:
        model = Collection
        fields = "__all__"  # noqa: DJ007 - the admin picks the fields through its fieldsets
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "withdrawal_reason": forms.Textarea(
                attrs={"rows": 3, "class": "vLargeTextField", "dir": "auto"}
            ),
        }


class FeaturedDocumentInline(SortableTabularInline):
    model = FeaturedDocument
    extra = 0
    autocomplete_fields = ["document"]
    verbose_name_plural = "popular documents (drag to order)"


@admin.register(Collection)
class CollectionAdmin(DeletedRecordsAdmin, SortableAdminBase, PublishingAdmin):
    form = CollectionForm
    list_display = ["title", "status", "document_count"]
    list_filter = ["status"]
    ordering = ["title"]  # Meta.ordering does not apply to the annotated (GROUP BY) list
    search_fields = ["title", "description"]
    autocomplete_fields = ["documents", "related"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [FeaturedDocumentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(document_total=Count("documents"))

    @admin.display(description="documents", ordering="document_total")
    def document_count(self, obj):
        return obj.document_total

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for collection in objs:
            documents = collection.documents.count()
            if documents:
                protected.append(
                    f"“{collection}” still holds {documents} "
                    f"document{'s' if documents != 1 else ''}: remove them from the collection "
                    "first, or withdraw the collection instead of deleting it."
                )
            referrers = Collection.objects.filter(related=collection).exclude(pk=collection.pk)
            for other in referrers:
                protected.append(f"“{other}” points readers to “{collection}” under “Also see”.")
        return deleted, counts, perms_needed, protected
