"""Export documents to CSV, XLSX or ODS in the import's columns; the file imports back unchanged.

The cells come from the column declaration (documents.spreadsheets.columns): each column writes
its own, so an exported file has exactly the columns the import reads.
"""

from collections import Counter

from documents.authorities.matching import name_owners
from documents.models import Document
from documents.spreadsheets.cells import escape_formula, person_label
from documents.spreadsheets.columns import COLUMN_NAMES, COLUMNS
from documents.spreadsheets.files import write_rows

CHUNK = 1000


def visible_documents(user):
    """Every document for those allowed to see drafts; otherwise only published ones."""
    if user is None or user.has_perm("documents.view_document"):
        return Document.objects.all()
    return Document.objects.published()


def export_documents(target, *, queryset=None, user=None, file_format="csv"):
    """Write `queryset` (default: every document `user` may see) to the binary file `target`.

    Returns the number of documents written. Rows are produced chunk by chunk with their
    relations prefetched, so memory and queries stay flat per chunk.
    """
    allowed = visible_documents(user)
    queryset = allowed if queryset is None else queryset & allowed
    queryset = queryset.order_by("record_id")
    context = ExportContext()
    written = 0

    def rows():
        nonlocal written
        ids = list(queryset.values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk = export_queryset(
                Document.objects.filter(pk__in=ids[start : start + CHUNK]).order_by("record_id")
            )
            for document in chunk:
                written += 1
                yield export_row(document, context)

    write_rows(target, COLUMN_NAMES, rows(), file_format=file_format)
    return written


def export_queryset(queryset):
    """The queryset with everything a row needs fetched in a fixed number of queries."""
    return queryset.select_related(
        *dict.fromkeys(name for column in COLUMNS for name in column.select_related)
    ).prefetch_related(
        *dict.fromkeys(name for column in COLUMNS for name in column.prefetch_related)
    )


def export_row(document, context):
    """The row for one document, formulas escaped, in column order."""
    return [escape_formula(cell) for column in COLUMNS for cell in column.cells(document, context)]


class ExportContext:
    """What some cells depend on beyond their document, read once per export."""

    def __init__(self):
        self._name_owners = None
        self._shared = {}

    def person_label(self, name, person_id):
        if self._name_owners is None:
            self._name_owners = name_owners()
        return person_label(name, person_id, self._name_owners)

    def shared_texts(self, terms):
        """The texts (folded) that name more than one entry of the vocabulary `terms`."""
        if terms not in self._shared:
            texts = Counter(
                text.casefold()
                for text in terms.model.objects.values_list(terms.display, flat=True)
            )
            self._shared[terms] = {text for text, n in texts.items() if n > 1}
        return self._shared[terms]
