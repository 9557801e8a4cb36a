"""Export documents to CSV, XLSX or ODS in the import's columns; the file imports back unchanged."""

from collections import Counter

from archive_collections.models import Collection
from documents.authorities.matching import name_owners
from documents.models import Document
from documents.spreadsheets.files import write_rows
from documents.spreadsheets.resources import COLUMN_NAMES, DocumentResource

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
    titles = Counter(t.casefold() for t in Collection.objects.values_list("title", flat=True))
    resource = DocumentResource(
        name_owners=name_owners(),
        shared_collection_titles={t for t, n in titles.items() if n > 1},
    )
    written = 0

    def rows():
        nonlocal written
        ids = list(queryset.values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk = DocumentResource.export_queryset(
                Document.objects.filter(pk__in=ids[start : start + CHUNK]).order_by("record_id")
            )
            for document in chunk:
                written += 1
                yield resource.export_row(document)

    write_rows(target, COLUMN_NAMES, rows(), file_format=file_format)
    return written
