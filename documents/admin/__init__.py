"""The curators' workspace in the Django admin; importing this package registers every admin.

- base.py: HistoryAdmin (a revision per save, history with differences, revert) and
  PublishingAdmin (publish, unpublish, withdraw), which the other admins build on.
- changelists.py: how the document list reads a page fast (the capped-count paginator, its
  queryset and ChangeList, the list filters' options in one query); Django renders the rows.
- list_filters.py: the document list's filters.
- documents.py: DocumentAdmin, its inlines, and the date-reading view of its form.
- people.py: PersonAdmin, its search by any name, and merging duplicates.
- vocabularies.py: repositories, organizations, rights, languages and the simple terms.
- forms.py: the admin's forms (conflict checks, duplicate-person warnings, scans, merges).
- imports.py: the spreadsheet import and export, and the import jobs' admin.
- batch_edits.py: batch edits of the document list (form, preview, confirm) and their history.
- dashboard.py: the admin's home page, the curators' dashboard (archive_site/urls.py routes it).

Above documents.workflows, documents.history and documents.models; nothing but the admin site
and archive_collections.admin (which builds on PublishingAdmin) imports it.
"""

from documents.admin import batch_edits, documents, imports, people, vocabularies
from documents.admin.base import HistoryAdmin, PublishingAdmin

__all__ = [
    "HistoryAdmin",
    "PublishingAdmin",
    "batch_edits",
    "documents",
    "imports",
    "people",
    "vocabularies",
]
