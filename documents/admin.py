from django.contrib import admin

from documents.import_admin import DocumentImportExportMixin
from documents.models import (
    Citation,
    Classification,
    Contribution,
    Document,
    DocumentType,
    Funding,
    Language,
    Organization,
    Person,
    PersonName,
    Place,
    Repository,
    RightsStatement,
    Subject,
)


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    autocomplete_fields = ["person", "on_behalf_of"]
    fields = ["person", "role", "on_behalf_of", "name_as_written", "order"]


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["repository"]
    fields = ["repository", "reference", "fond", "opis", "delo", "folios", "order"]
    readonly_fields = ["fond", "opis", "delo", "folios"]


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Document)
class DocumentAdmin(DocumentImportExportMixin, admin.ModelAdmin):
    list_display = ["record_id", "title", "date_display", "document_type", "status"]
    list_display_links = ["record_id", "title"]
    list_filter = ["status", "document_type", "classification", "languages"]
    list_select_related = ["document_type"]
    search_fields = ["title", "=record_id", "summary"]
    autocomplete_fields = ["rights", "subjects", "places", "related", "languages"]
    readonly_fields = ["date_start", "date_end", "first_published_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["record_id", "title", "slug", "status"]}),
        ("Date", {"fields": ["date_text", "date_edtf", ("date_start", "date_end")]}),
        ("Text", {"fields": ["document_type", "text", "summary", "transcript", "languages"]}),
        ("Document information", {"fields": ["classification", "rights"]}),
        ("Subjects, places and related documents", {"fields": ["subjects", "places", "related"]}),
        ("Record", {"fields": ["first_published_at", "created_at", "updated_at"]}),
    ]
    inlines = [ContributionInline, CitationInline, FundingInline]

    @admin.display(description="date", ordering="date_start")
    def date_display(self, obj):
        return obj.date_display


class PersonNameInline(admin.TabularInline):
    model = PersonName
    extra = 1


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_name", "life_dates"]
    search_fields = ["name", "sort_name", "variants__name"]
    inlines = [PersonNameInline]


@admin.register(Repository)
class RepositoryAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "name", "place"]
    search_fields = ["abbreviation", "name"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation"]
    search_fields = ["name", "abbreviation"]


@admin.register(RightsStatement)
class RightsStatementAdmin(admin.ModelAdmin):
    list_display = ["title", "is_default", "uri"]
    search_fields = ["title", "text"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(DocumentType, Subject, Place)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Classification)
class ClassificationAdmin(admin.ModelAdmin):
    list_display = ["name", "rank"]
    search_fields = ["name"]
