"""A plain Django admin of documents with the document list's columns, mounted beside the site's.

The rendering test compares the real list's rows with this one's: Django's own ModelAdmin, with
no paginator, queryset, ChangeList or column of ours. Its computed columns are written the plain
way (a query a row for the first scan), so they also check what the real list reads in bulk.
Used as ROOT_URLCONF by tests only.
"""

from django.contrib import admin
from django.urls import path
from django.utils.html import format_html

from archive_site.urls import urlpatterns as site_urlpatterns
from documents.admin.documents import DocumentAdmin
from documents.models import Document

plain_site = admin.AdminSite(name="plain_admin")


@admin.register(Document, site=plain_site)
class PlainDocumentAdmin(admin.ModelAdmin):
    list_display = DocumentAdmin.list_display
    list_display_links = DocumentAdmin.list_display_links
    list_filter = ["status"]
    search_fields = ["title"]

    @admin.display(description="scan")
    def thumbnail(self, obj):
        scan = obj.scans.order_by("order", "pk").first()
        if scan is None or not scan.thumbnail:
            return ""
        return format_html(
            '<img src="{}" alt="" class="scan-thumb" loading="lazy">', scan.thumbnail.url
        )

    @admin.display(description="date", ordering="date_start")
    def date_display(self, obj):
        return obj.date_display


urlpatterns = [path("plain-admin/", plain_site.urls), *site_urlpatterns]
