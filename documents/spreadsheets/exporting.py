"""Export documents to CSV, XLSX or ODS in the import's columns; the file imports back unchanged.

The cells come from the column declaration (documents.spreadsheets.columns): each column writes
its own, so an exported file has exactly the columns the import reads.

Nothing is cut: XLSX holds at most 32,767 characters in a cell, so an export to XLSX first
looks for longer texts and refuses (`ExportError`, naming the records and fields, and the
formats that hold them) before writing anything; a longer cell of another kind (a list of
names) is refused as it is met, and the caller discards what was written.
"""

from collections import Counter

from django.db.models import Q
from django.db.models.functions import Length

from documents.authorities.matching import name_owners, write_cell
from documents.models import Document, DocumentText
from documents.spreadsheets.cells import escape_formula, person_label
from documents.spreadsheets.columns import COLUMN_NAMES, COLUMNS
from documents.spreadsheets.files import XLSX_CELL_LIMIT, write_rows

CHUNK = 1000
# The formats that hold a cell of any length the archive stores.
WHOLE_FORMATS = ("csv", "ods")


class ExportError(Exception):
    """The export cannot be written in the format asked for; str() is a sentence for the curator."""

    def __init__(self, too_long, file_format):
        self.too_long = too_long  # [(record ID, column, length)]
        self.file_format = file_format
        shown = "; ".join(
            f"record {record_id}, {column} ({length:,} characters)"
            for record_id, column, length in too_long[:10]
        )
        more = f" and {len(too_long) - 10} more" if len(too_long) > 10 else ""
        super().__init__(
            f"Nothing was exported: {file_format.upper()} holds at most {XLSX_CELL_LIMIT:,} "
            f"characters in a cell, and these texts are longer: {shown}{more}. Export to CSV "
            "or ODS, which hold every text whole."
        )


def visible_documents(user):
    """Every document for those allowed to see drafts; otherwise only published ones."""
    if user is None or user.has_perm("documents.view_document"):
        return Document.objects.all()
    return Document.objects.published()


def export_documents(target, *, queryset=None, user=None, file_format="csv", for_new_archive=False):
    """Write `queryset` (default: every document `user` may see) to the binary file `target`.

    Returns the number of documents written. Rows are produced chunk by chunk with their
    relations prefetched, so memory and queries stay flat per chunk. `for_new_archive` writes
    people as 'Name [new]' instead of 'Name [#id]', so that an archive without these people
    can import the file (see ExportContext.person_label). Raises ExportError, before writing
    anything, where the format cannot hold a text whole.
    """
    allowed = visible_documents(user)
    queryset = allowed if queryset is None else queryset & allowed
    queryset = queryset.order_by("record_id")
    if file_format == "xlsx":
        check_fits_xlsx(queryset)
    context = ExportContext(for_new_archive=for_new_archive)
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
                row = export_row(document, context)
                if file_format == "xlsx":
                    _check_row_fits(document, row)
                yield row

    write_rows(target, COLUMN_NAMES, rows(), file_format=file_format)
    return written


def check_fits_xlsx(queryset):
    """Raise ExportError if a text of the documents in `queryset` is longer than an XLSX cell."""
    texts = [
        (column.key, column.field)
        for column in COLUMNS
        if getattr(column, "field", None) in _LONG_TEXT_FIELDS
    ]
    lengths = {f"length_{key}": Length(field) for key, field in texts}
    too_long = Q()
    for name in lengths:
        too_long |= Q(**{f"{name}__gt": XLSX_CELL_LIMIT})
    found = []
    rows = queryset.annotate(**lengths).filter(too_long).values("record_id", *lengths)
    for row in rows.order_by("record_id")[:1000]:
        for key, _field in texts:
            if row[f"length_{key}"] > XLSX_CELL_LIMIT:
                found.append((row["record_id"], key, row[f"length_{key}"]))
    found.extend(_further_texts_too_long(queryset))
    if found:
        raise ExportError(found, "xlsx")


def _further_texts_too_long(queryset):
    """(record ID, column, length) of the further texts longer than an XLSX cell."""
    long = set(
        DocumentText.objects.annotate(length=Length("text"))
        .filter(document__in=queryset.values("pk"), length__gt=XLSX_CELL_LIMIT)
        .values_list("document_id", flat=True)[:1000]
    )
    found = []
    ordered = DocumentText.objects.filter(document_id__in=long).order_by(
        "document__record_id", "kind", "position", "pk"
    )
    slots = {}
    for doc_id, record_id, kind, length in ordered.annotate(length=Length("text")).values_list(
        "document_id", "document__record_id", "kind", "length"
    ):
        # Numbered in each kind's order, as the columns are (translation_2, translation_3 ...).
        slot = slots[doc_id, kind] = slots.get((doc_id, kind), 1) + 1
        if length > XLSX_CELL_LIMIT:
            found.append((record_id, f"{kind}_{slot}", length))
    return found


# The Document fields that may hold more than an XLSX cell does.
_LONG_TEXT_FIELDS = {
    field.name
    for field in Document._meta.concrete_fields
    if field.get_internal_type() == "TextField"
    or (field.get_internal_type() == "CharField" and field.max_length > XLSX_CELL_LIMIT)
}


def _check_row_fits(document, row):
    too_long = [
        (document.record_id, name, len(cell))
        for name, cell in zip(COLUMN_NAMES, row, strict=True)
        if isinstance(cell, str) and len(cell) > XLSX_CELL_LIMIT
    ]
    if too_long:
        raise ExportError(too_long, "xlsx")


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

    def __init__(self, *, for_new_archive=False):
        self.for_new_archive = for_new_archive
        self._name_owners = None
        self._shared = {}

    def person_label(self, name, person_id):
        """The cell that finds the person again: in this archive, by name or '[#id]'.

        For a new archive, person numbers mean nothing: 'Name [new]' creates the person from
        the first row that names them, later rows find them by that name, and '[new]' keeps a
        name that is only likely another's a person of its own (see the matching policy)."""
        if self.for_new_archive:
            return write_cell(name, new=True)
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
