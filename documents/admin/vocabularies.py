"""The authorities and vocabularies curators extend: repositories, organizations, rights
statements, languages and the simple terms (document types, subjects, places, classifications).
May import documents.models and documents.admin.base.
"""

from django.contrib import admin

from documents.admin.base import HistoryAdmin
from documents.models import vocabularies as terms


@admin.register(terms.Repository)
class RepositoryAdmin(HistoryAdmin):
    list_display = ["abbreviation", "name", "place"]
    search_fields = ["abbreviation", "name"]


@admin.register(terms.Organization)
class OrganizationAdmin(HistoryAdmin):
    list_display = ["name", "abbreviation"]
    search_fields = ["name", "abbreviation"]


@admin.register(terms.RightsStatement)
class RightsStatementAdmin(HistoryAdmin):
    list_display = ["title", "is_default", "uri"]
    search_fields = ["title", "text"]


@admin.register(terms.Language)
class LanguageAdmin(HistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(terms.DocumentType, terms.Subject, terms.Place)
class TermAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(terms.Classification)
class ClassificationAdmin(HistoryAdmin):
    list_display = ["name", "rank"]
    search_fields = ["name"]
