"""A stock ModelAdmin with the same columns, filters and search as the real document admin."""

from django.contrib import admin

from documents.models import Document

stock_site = admin.AdminSite(name="stock_admin")


def stock_document_admin():
    real = type(admin.site._registry[Document])
    attributes = {
        "list_display": real.list_display,
        "list_filter": real.list_filter,
        "search_fields": real.search_fields,
    }
    # Computed columns defined on the real admin are copied as they are; nothing else is
    # (no list_select_related, no custom queryset, no count tricks).
    model_fields = {f.name for f in Document._meta.get_fields()}
    for name in real.list_display:
        if isinstance(name, str) and name not in model_fields and hasattr(real, name):
            attributes[name] = getattr(real, name)
    return type("StockDocumentAdmin", (admin.ModelAdmin,), attributes)


stock_site.register(Document, stock_document_admin())
