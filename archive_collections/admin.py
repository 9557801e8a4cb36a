from django.contrib import admin

from archive_collections.models import Collection, FeaturedDocument


class FeaturedDocumentInline(admin.TabularInline):
    model = FeaturedDocument
    extra = 0
    autocomplete_fields = ["document"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "status"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["documents", "related"]
    inlines = [FeaturedDocumentInline]
