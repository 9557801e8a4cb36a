"""Read and write CSV, XLSX and ODS row by row, safely.

Readers stream: a CSV is decoded as it is read, an XLSX is read with openpyxl's read-only mode
and an ODS's content.xml with an incremental parser, so memory stays flat however long the file
is. XML is parsed with defusedxml (no entity expansion, no external entities), and a zip whose
contents would unpack to more than the limit is refused before anything is decompressed.
Rows come out as (row number as the spreadsheet shows it, list of cell texts).

No cell may hold more than IMPORT_MAX_CELL_CHARS characters (`cell_limit()`, default
1,000,000): a longer one is refused with its row, its column and the limit, found while
streaming (see documents.spreadsheets.xmlcells for XLSX and ODS; CSV's reader stops at the
limit), so a small file that unpacks to a huge cell never reaches memory.
"""

import codecs
import csv
import datetime
import io
import zipfile
from pathlib import Path

from django.conf import settings

from documents.spreadsheets.xmlcells import (
    CellTooLong,
    check_xlsx_cells,
    describe_column,
    ods_rows,
)

FORMATS = ("csv", "xlsx", "ods")
# The most characters XLSX holds in a cell (Excel's limit, which openpyxl does not enforce).
XLSX_CELL_LIMIT = 32_767


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; str() is a sentence for the curator."""


def limit(name, default):
    return getattr(settings, name, default)


def cell_limit():
    """The most characters a cell of an imported spreadsheet may hold (IMPORT_MAX_CELL_CHARS)."""
    return limit("IMPORT_MAX_CELL_CHARS", 1_000_000)


def detect_format(name, head):
    """The format from the file's first bytes, falling back to its extension."""
    suffix = Path(name or "").suffix.lower().lstrip(".")
    if head.startswith(b"PK\x03\x04"):
        if suffix == "ods":
            return "ods"
        return "xlsx" if suffix != "ods" else "ods"
    if suffix in ("xlsx", "ods"):
        raise SpreadsheetError(
            f"The file is named .{suffix} but is not a {suffix.upper()} spreadsheet. "
            "Save it again from your spreadsheet program."
        )
    if suffix in ("xls",):
        raise SpreadsheetError(
            "Old Excel .xls files are not supported: save the sheet as .xlsx or .csv."
        )
    return "csv"


def check_size(path):
    size = Path(path).stat().st_size
    cap = limit("IMPORT_MAX_BYTES", 1024 * 1024 * 1024)
    if size > cap:
        raise SpreadsheetError(
            f"The file is {size / 1024 / 1024:.1f} MB; the most this archive imports at once is "
            f"{cap / 1024 / 1024:.0f} MB. Split it into smaller files."
        )
    return size


def check_zip(path):
    """Refuse archives that would unpack to more than the limit (zip bombs), before unpacking.

    Python's zipfile never yields more than a member's declared size (it stops there and checks
    the CRC), so the declared sizes are a safe upper bound.
    """
    cap = limit("IMPORT_MAX_UNPACKED_BYTES", 1024 * 1024 * 1024)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise SpreadsheetError(
            "The file is damaged: it is not a readable XLSX or ODS spreadsheet."
        ) from error
    if len(members) > 10000:
        raise SpreadsheetError("The spreadsheet holds too many parts to be a real spreadsheet.")
    total = sum(member.file_size for member in members)
    if total > cap:
        raise SpreadsheetError(
            f"The spreadsheet would unpack to {total / 1024 / 1024:.0f} MB, more than the "
            f"{cap / 1024 / 1024:.0f} MB this archive accepts. It may be a zip bomb; if it is a "
            "real spreadsheet, split it into smaller files."
        )


class Table:
    """An open spreadsheet: `headers`, then `rows()` yields (row number, cells)."""

    def __init__(self, path, *, name="", file_format=None, encoding=None):
        self.path = Path(path)
        self.name = name or self.path.name
        self.size = check_size(self.path)
        with self.path.open("rb") as handle:
            head = handle.read(8)
        self.format = (file_format or detect_format(self.name, head)).lower()
        if self.format not in FORMATS:
            raise SpreadsheetError(
                f"The format '{self.format}' is not supported: use CSV, XLSX or ODS."
            )
        self.encoding = ""
        self.headers = None
        self._closers = []
        if self.format == "csv":
            self.encoding = encoding or detect_encoding(self.path)
            self._iterator = self._csv_rows()
        else:
            check_zip(self.path)
            self._iterator = self._xlsx_rows() if self.format == "xlsx" else self._ods_rows()
        first = next(self._iterator, None)
        if first is None:
            raise SpreadsheetError("The file is empty: it has no header row.")
        self.header_row, self.headers = first

    def rows(self):
        cap = cell_limit()
        for number, cells in self._iterator:
            # A safety net behind each reader's own check (CSV's limit is process-wide).
            if cells and len(max(cells, key=len)) > cap:
                index = next(i for i, cell in enumerate(cells) if len(cell) > cap)
                raise SpreadsheetError(
                    str(CellTooLong(number, describe_column(index, self.headers), cap))
                )
            yield number, cells

    def close(self):
        for close in self._closers:
            close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # CSV ---------------------------------------------------------------------------------------

    def _csv_rows(self):
        cap = cell_limit()
        # The reader refuses a longer field; raised, never lowered (the setting is per process).
        csv.field_size_limit(max(csv.field_size_limit(), cap))
        handle = self.path.open("r", encoding=self.encoding, newline="")
        self._closers.append(handle.close)
        sample = handle.read(64 * 1024)
        handle.seek(0)
        dialect = _sniff(sample)
        record = []  # the lines of the record being read, to find a field that is too long
        reader = csv.reader(_lines(handle, record, cap), dialect)
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):
                record.clear()
                if any(cell.strip() for cell in cells):
                    yield number, cells
        except UnicodeDecodeError as error:
            raise SpreadsheetError(
                f"The file is not valid {self.encoding}: choose its encoding "
                "(UTF-8 or Windows-1252) and import again."
            ) from error
        except _LineTooLong as error:
            raise SpreadsheetError(
                str(CellTooLong(number + 1, "?", cap)).replace("column ?: the cell", "a cell")
            ) from error
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                index = _long_field(record, dialect, cap)
                raise SpreadsheetError(
                    str(CellTooLong(number + 1, describe_column(index, self.headers), cap))
                ) from error
            raise SpreadsheetError(
                f"Row {reader.line_num}: the CSV cannot be read ({error})."
            ) from error

    # XLSX --------------------------------------------------------------------------------------

    def _xlsx_rows(self):
        import openpyxl

        try:
            check_xlsx_cells(self.path, cell_limit())
        except CellTooLong as error:
            raise SpreadsheetError(str(error)) from error
        except Exception as error:  # damaged or hostile XML: the same sentences as openpyxl's
            raise _xml_error(error) from error
        try:
            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for damaged or hostile files
            raise _xml_error(error) from error
        self._closers.append(workbook.close)
        sheet = workbook.worksheets[0]
        try:
            for row in sheet.iter_rows():
                cells = [_cell_text(cell.value) for cell in row]
                if any(cells):
                    number = next((c.row for c in row if getattr(c, "row", None)), None)
                    yield number, cells
        except Exception as error:
            raise _xml_error(error) from error

    # ODS ---------------------------------------------------------------------------------------

    def _ods_rows(self):
        archive = zipfile.ZipFile(self.path)
        self._closers.append(archive.close)
        if "content.xml" not in archive.namelist():
            raise SpreadsheetError("The file is not an ODS spreadsheet: it has no content.")
        try:
            yield from ods_rows(archive, cell_limit())
        except CellTooLong as error:
            raise SpreadsheetError(str(error)) from error
        except Exception as error:
            raise _xml_error(error) from error


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _xml_error(error):
    from defusedxml import DefusedXmlException

    cause, seen = error, set()
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, DefusedXmlException):
            error = cause
            break
        cause = cause.__cause__ or cause.__context__
    if isinstance(error, DefusedXmlException):
        return SpreadsheetError(
            "The spreadsheet contains XML entity declarations, which spreadsheet programs never "
            "write and which can be used to attack the server; it was refused. Save the sheet "
            "again from your spreadsheet program."
        )
    if isinstance(error, SpreadsheetError):
        return error
    return SpreadsheetError(f"The spreadsheet cannot be read: {error}. Save it again and retry.")


class _LineTooLong(Exception):
    pass


def _lines(handle, record, cap):
    """The CSV's lines, each kept in `record` until the reader has read its record.

    A line is read at most a few cells' worth at a time: one without an end that is longer
    than any row of cells within the limit could be is refused, not read into memory."""
    most = 64 * (2 * cap + 3)  # 64 columns of the longest cells, every character a quote
    while line := handle.readline(most + 1):
        if len(line) > most:
            raise _LineTooLong
        record.append(line)
        yield line


def _long_field(lines, dialect, cap):
    """The 0-based index of the first field longer than `cap` in a record's text (the last
    field read, if none is: the record was cut off there)."""
    text, quote, delimiter = "".join(lines), dialect.quotechar, dialect.delimiter
    index = length = 0
    quoted = False
    position = 0
    while position < len(text):
        char = text[position]
        if quoted:
            if char == quote and text[position + 1 : position + 2] == quote:
                position += 1
            elif char == quote:
                quoted = False
                position += 1
                continue
            length += 1
        elif char == quote and length == 0:
            quoted = True
        elif char == delimiter:
            index, length = index + 1, 0
        elif char in "\r\n":
            break
        else:
            length += 1
        if length > cap:
            return index
        position += 1
    return index


def _sniff(sample):
    """Comma, semicolon or tab, whichever the header line uses."""
    first_line = sample.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    delimiter = max(counts, key=counts.get)

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter if counts[delimiter] else ","
    return Dialect


def detect_encoding(path):
    """UTF-8 (with or without BOM) or UTF-16 by BOM; otherwise Windows-1252 if it is not UTF-8."""
    with open(path, "rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


# Writing -------------------------------------------------------------------------------------


def write_rows(target, headers, rows, *, file_format):
    """Write `headers` then `rows` to the binary file object `target` as CSV, XLSX or ODS."""
    if file_format == "csv":
        text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
        text.flush()
        text.detach()
    elif file_format == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("documents")
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        workbook.save(target)
    elif file_format == "ods":
        import tablib

        dataset = tablib.Dataset(headers=headers, title="documents")
        for row in rows:
            dataset.append(["" if v is None else v for v in row])
        target.write(dataset.export("ods"))
    else:
        raise ValueError(f"Unknown format {file_format!r}")


CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
