"""The authorities and vocabularies curators extend: repositories, organizations, rights
statements, languages and the simple terms (document types, subjects, places, classifications).
May import documents.models and documents.admin.base.
"""

from django.contrib import admin

from documents.admin.base import HistoryAdmin
from documents.models import (
    Classification,
    DocumentType,
    Language,
    Organization,
    Place,
    Repository,
    RightsStatement,
    Subject,
)


@admin.register(Repository)
class RepositoryAdmin(HistoryAdmin):
    list_display = ["abbreviation", "name", "place"]
    search_fields = ["abbreviation", "name"]


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    list_display = ["name", "abbreviation"]
    search_fields = ["name", "abbreviation"]


@admin.register(RightsStatement)
class RightsStatementAdmin(HistoryAdmin):
    list_display = ["title", "is_default", "uri"]
    search_fields = ["title", "text"]


@admin.register(Language)
class LanguageAdmin(HistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(DocumentType, Subject, Place)
class TermAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Classification)
class ClassificationAdmin(HistoryAdmin):
    list_display = ["name", "rank"]
    search_fields = ["name"]
