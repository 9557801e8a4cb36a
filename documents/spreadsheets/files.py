"""Read and write CSV, XLSX and ODS row by row, safely.

Readers stream: a CSV is decoded as it is read, an XLSX is read with openpyxl's read-only mode
and an ODS's content.xml with an incremental parser, so memory stays flat however long the file
is. XML is parsed with defusedxml (no entity expansion, no external entities), and a zip whose
contents would unpack to more than the limit is refused before anything is decompressed.
Rows come out as (row number as the spreadsheet shows it, list of cell texts).
"""

import codecs
import csv
import datetime
import io
import zipfile
from pathlib import Path

from django.conf import settings

FORMATS = ("csv", "xlsx", "ods")
_ODS_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
_T = "{" + _ODS_NS["table"] + "}"
_O = "{" + _ODS_NS["office"] + "}"
_X = "{" + _ODS_NS["text"] + "}"
# A row or cell repeated more than this many times is the empty tail of a sheet, not data.
_MAX_REPEAT = 1000


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; str() is a sentence for the curator."""


def limit(name, default):
    return getattr(settings, name, default)


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
        yield from self._iterator

    def close(self):
        for close in self._closers:
            close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # CSV ---------------------------------------------------------------------------------------

    def _csv_rows(self):
        handle = self.path.open("r", encoding=self.encoding, newline="")
        self._closers.append(handle.close)
        sample = handle.read(64 * 1024)
        handle.seek(0)
        dialect = _sniff(sample)
        reader = csv.reader(handle, dialect)
        try:
            for number, cells in enumerate(reader, start=1):
                if any(cell.strip() for cell in cells):
                    yield number, cells
        except UnicodeDecodeError as error:
            raise SpreadsheetError(
                f"The file is not valid {self.encoding}: choose its encoding "
                "(UTF-8 or Windows-1252) and import again."
            ) from error
        except csv.Error as error:
            raise SpreadsheetError(
                f"Row {reader.line_num}: the CSV cannot be read ({error})."
            ) from error

    # XLSX --------------------------------------------------------------------------------------

    def _xlsx_rows(self):
        import openpyxl

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
        from defusedxml.ElementTree import iterparse

        archive = zipfile.ZipFile(self.path)
        self._closers.append(archive.close)
        try:
            content = archive.open("content.xml")
        except KeyError as error:
            raise SpreadsheetError(
                "The file is not an ODS spreadsheet: it has no content."
            ) from error
        number = 0
        in_first_table = False
        tables_seen = 0
        try:
            for event, element in iterparse(content, events=("start", "end")):
                tag = element.tag
                if tag == _T + "table":
                    if event == "start":
                        tables_seen += 1
                        in_first_table = tables_seen == 1
                    else:
                        element.clear()
                        if in_first_table:
                            return
                    continue
                if event != "end" or tag != _T + "table-row" or not in_first_table:
                    continue
                repeat = int(element.get(_T + "number-rows-repeated", "1"))
                cells = _ods_cells(element)
                element.clear()
                if not any(cells):
                    number += repeat
                    continue
                for _i in range(min(repeat, _MAX_REPEAT)):
                    number += 1
                    yield number, cells
        except SpreadsheetError:
            raise
        except Exception as error:
            raise _xml_error(error) from error


def _ods_cells(row):
    cells = []
    for cell in row:
        if cell.tag not in (_T + "table-cell", _T + "covered-table-cell"):
            continue
        repeat = int(cell.get(_T + "number-columns-repeated", "1"))
        kind = cell.get(_O + "value-type")
        if kind in ("float", "percentage", "currency"):
            text = _cell_text(_number(cell.get(_O + "value", "")))
        elif kind == "date":
            text = cell.get(_O + "date-value", "")
        elif kind == "boolean":
            text = "TRUE" if cell.get(_O + "boolean-value") == "true" else "FALSE"
        else:
            text = "\n".join(_ods_paragraph(p) for p in cell if p.tag == _X + "p")
        if not text and repeat > 1:
            cells.extend([""] * min(repeat, _MAX_REPEAT))
        else:
            cells.extend([text] * min(repeat, _MAX_REPEAT))
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _ods_paragraph(element):
    parts = [element.text or ""]
    for child in element:
        if child.tag == _X + "s":
            parts.append(" " * int(child.get(_X + "c", "1")))
        elif child.tag == _X + "tab":
            parts.append("\t")
        elif child.tag == _X + "line-break":
            parts.append("\n")
        else:
            parts.append(_ods_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _number(text):
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


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
