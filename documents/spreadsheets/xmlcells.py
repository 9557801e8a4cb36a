"""The XML inside XLSX and ODS files, streamed with a cap on the length of each cell.

A zipped spreadsheet can unpack a cell of fifty million characters from a few kilobytes; read
into a tree (openpyxl's shared strings, odfpy or ElementTree) it costs hundreds of megabytes
before anything can be refused. Here the XML is parsed by expat in small chunks, character data
is counted, not kept, past the cap, and the first cell over the cap is refused with its row,
its column and the cap (`CellTooLong`). Entity declarations and external entities are refused
as defusedxml refuses them.

`ods_rows` reads an ODS's first table this way. `check_xlsx_cells` looks through an XLSX's
shared strings and first sheet before openpyxl reads them (only when a part is larger than
the cap: a smaller part cannot hold a longer cell). Used by documents.spreadsheets.files; may
import nothing of the project.
"""

import posixpath
import re
import zipfile
from xml.parsers import expat

from defusedxml import EntitiesForbidden, ExternalReferenceForbidden

_CHUNK = 64 * 1024
# A row or cell repeated more than this many times is the empty tail of a sheet, not data.
MAX_REPEAT = 1000
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
_SHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships "
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships "
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


class CellTooLong(Exception):
    """A cell holds more characters than the cap; str() is a sentence for the curator."""

    def __init__(self, row, column, cap):
        self.row, self.column, self.cap = row, column, cap
        super().__init__(
            f"Row {row}, column {column}: the cell holds more than {cap:,} characters, the most "
            "a cell may hold in this archive. Nothing was imported; shorten the text or keep "
            "it outside the spreadsheet."
        )


def column_letter(index):
    """The spreadsheet's name for the column at 0-based `index`: A, B, ..., Z, AA, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def describe_column(index, headers):
    """A column as the curator finds it: its header and its letter, or the letter alone."""
    letter = column_letter(index)
    header = headers[index].strip() if headers and index < len(headers) else ""
    return f"'{header}' ({letter})" if header else letter


def _parser():
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = _CHUNK
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def entity(name, *args):
        raise EntitiesForbidden(name, None, None, None, None, None)

    def external(context, base, sysid, pubid):
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    return parser


def _feed(parser, stream):
    """Parse `stream` chunk by chunk; yield after each chunk so rows can be handed on."""
    while chunk := stream.read(_CHUNK):
        parser.Parse(chunk, False)
        yield
    parser.Parse(b"", True)
    yield


# ODS -----------------------------------------------------------------------------------------


class _OdsReader:
    """Builds the rows of an ODS's first table from expat's events; `done` holds finished rows."""

    def __init__(self, cap, headers):
        self.cap, self.headers = cap, headers
        self.done = []  # (row number, cells) ready to hand on
        self.tables = 0
        self.finished = False
        self.number = 0
        self.row = None  # the cells of the row being read
        self.row_repeat = 1
        self.cell = None  # the parts of the cell text being read, and their length
        self.cell_length = 0
        self.cell_repeat = 1
        self.cell_value = None  # a typed cell's value (number, date, boolean), if any
        self.paragraphs = 0
        self.in_paragraph = 0  # depth inside a text:p directly in the cell
        self.skipping = 0  # depth inside an annotation, whose text is not the cell's

    def start(self, name, attrs):
        if self.finished:
            return
        if self.skipping:
            self.skipping += 1
            return
        if name == _TABLE + "table":
            self.tables += 1
            return
        if self.tables != 1:
            return
        if name == _TABLE + "table-row":
            self.row = []
            self.row_repeat = int(attrs.get(_TABLE + "number-rows-repeated", "1"))
        elif name in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            self.cell, self.cell_length, self.paragraphs = [], 0, 0
            self.cell_repeat = int(attrs.get(_TABLE + "number-columns-repeated", "1"))
            kind = attrs.get(_OFFICE + "value-type")
            if kind in ("float", "percentage", "currency"):
                self.cell_value = _number(attrs.get(_OFFICE + "value", ""))
            elif kind == "date":
                self.cell_value = attrs.get(_OFFICE + "date-value", "")
            elif kind == "boolean":
                true = attrs.get(_OFFICE + "boolean-value") == "true"
                self.cell_value = "TRUE" if true else "FALSE"
            else:
                self.cell_value = None
        elif self.cell is None:
            return
        elif name == _OFFICE + "annotation":
            self.skipping = 1
        elif self.in_paragraph:
            self.in_paragraph += 1
            if name == _TEXT + "s":
                self._add(" " * int(attrs.get(_TEXT + "c", "1")))
            elif name == _TEXT + "tab":
                self._add("\t")
            elif name == _TEXT + "line-break":
                self._add("\n")
        elif name == _TEXT + "p":
            if self.paragraphs:
                self._add("\n")
            self.paragraphs += 1
            self.in_paragraph = 1

    def end(self, name):
        if self.finished:
            return
        if self.skipping:
            self.skipping -= 1
            return
        if name == _TABLE + "table":
            if self.tables == 1:
                self.finished = True
            return
        if self.tables != 1:
            return
        if self.in_paragraph:
            self.in_paragraph -= 1
            return
        if name in (_TABLE + "table-cell", _TABLE + "covered-table-cell") and self.cell is not None:
            text = self.cell_value if self.cell_value is not None else "".join(self.cell)
            self.row.extend([text] * min(self.cell_repeat, MAX_REPEAT))
            self.cell = None
        elif name == _TABLE + "table-row" and self.row is not None:
            cells, self.row = self.row, None
            while cells and not cells[-1]:
                cells.pop()
            if not cells:
                self.number += self.row_repeat
                return
            for _i in range(min(self.row_repeat, MAX_REPEAT)):
                self.number += 1
                self.done.append((self.number, cells))
                if self.headers is None:
                    self.headers = cells

    def text(self, data):
        if self.in_paragraph and not self.skipping and not self.finished:
            self._add(data)

    def _add(self, data):
        self.cell_length += len(data)
        if self.cell_length > self.cap:
            row = self.number + 1
            raise CellTooLong(row, describe_column(len(self.row), self.headers), self.cap)
        self.cell.append(data)


def ods_rows(archive, cap):
    """Yield (row number, cells) of the first table of the open ODS zip `archive`."""
    reader = _OdsReader(cap, None)
    parser = _parser()
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    with archive.open("content.xml") as content:
        for _ in _feed(parser, content):
            if reader.done:
                yield from reader.done
                reader.done = []
            if reader.finished:
                return


def _number(text):
    try:
        value = float(text)
    except ValueError:
        return text
    return str(int(value)) if value.is_integer() else str(value)


# XLSX ----------------------------------------------------------------------------------------


def first_sheet(archive):
    """The path inside an XLSX of its first worksheet, as openpyxl would open it."""
    names = set(archive.namelist())
    try:
        rel_id = _first_match(archive, "xl/workbook.xml", _SHEET + "sheet", _DOC_RELS + "id")
        if rel_id:
            rels = _attributes(archive, "xl/_rels/workbook.xml.rels", _RELS + "Relationship")
            for attrs in rels:
                if attrs.get("Id") == rel_id:
                    target = attrs.get("Target", "")
                    path = target.lstrip("/") if target.startswith("/") else "xl/" + target
                    path = posixpath.normpath(path)
                    if path in names:
                        return path
    except KeyError:
        pass
    return "xl/worksheets/sheet1.xml" if "xl/worksheets/sheet1.xml" in names else None


def _attributes(archive, member, tag):
    found = []
    _parse(archive, member, start=lambda name, attrs: found.append(attrs) if name == tag else None)
    return found


def _first_match(archive, member, tag, attribute):
    for attrs in _attributes(archive, member, tag):
        return attrs.get(attribute)
    return None


class _SharedStrings:
    """Finds the shared strings longer than the cap, counting characters as they stream.

    The first few short strings are kept: a header row's names are usually among them."""

    KEPT = 256

    def __init__(self, cap):
        self.cap = cap
        self.length = 0
        self.index = -1
        self.long = set()
        self.short = {}  # index -> text, for the first KEPT strings of at most 200 characters
        self.parts = []

    def start(self, name, attrs):
        if name == _SHEET + "si":
            self._keep()
            self.index += 1
            self.length = 0

    def text(self, data):
        self.length += len(data)
        if self.index < self.KEPT and self.length <= 200:
            self.parts.append(data)
        if self.length > self.cap:
            self.long.add(self.index)

    def _keep(self):
        if self.index >= 0 and self.index < self.KEPT and self.length <= 200:
            self.short[self.index] = "".join(self.parts)
        self.parts = []

    def finish(self):
        self._keep()


def check_xlsx_cells(path, cap):
    """Raise CellTooLong for the first cell of the XLSX at `path` longer than `cap`."""
    with zipfile.ZipFile(path) as archive:
        sheet = first_sheet(archive)
        sizes = {info.filename: info.file_size for info in archive.infolist()}
        strings = _SharedStrings(cap)
        member = "xl/sharedStrings.xml"
        if sizes.get(member, 0) > cap:
            _parse(archive, member, start=strings.start, text=strings.text)
            strings.finish()
        if sheet and strings.long:
            cells = _SheetCells(cap, strings)
            _parse(archive, sheet, start=cells.start, end=cells.end, text=cells.text)
        elif sheet and sizes.get(sheet, 0) > cap:
            # No shared string is too long: only a cell's own text can be. Counted with as few
            # calls as a sheet allows; the header row is read only to name a refused column.
            lengths = _CellLengths(cap)
            try:
                _parse(archive, sheet, start=lengths.start, text=lengths.text)
            except _Found as found:
                cells = _SheetCells(cap, strings)
                try:
                    _parse(
                        archive, sheet, start=cells.start_first_row, end=cells.end, text=cells.text
                    )
                except _Found:
                    pass
                _refuse(found.ref, cells.headers, cap)


class _Found(Exception):
    def __init__(self, ref=""):
        self.ref = ref


class _CellLengths:
    """Counts each worksheet cell's characters; raises _Found with the first too long."""

    def __init__(self, cap):
        self.cap, self.ref, self.length = cap, "", 0

    def start(self, name, attrs):
        if name == _SHEET + "c":
            self.ref, self.length = attrs.get("r", ""), 0

    def text(self, data):
        self.length += len(data)
        if self.length > self.cap:
            raise _Found(self.ref)


def _refuse(ref, headers, cap):
    match = _CELL_REF.match(ref)
    if not match:
        raise CellTooLong("?", ref or "?", cap)
    letter = match[1]
    header = (headers.get(letter) or "").strip()
    raise CellTooLong(int(match[2]), f"'{header}' ({letter})" if header else letter, cap)


def _parse(archive, member, *, start=None, end=None, text=None):
    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with archive.open(member) as stream:
        for _ in _feed(parser, stream):
            pass


class _SheetCells:
    """Finds the first cell of a worksheet longer than the cap, itself or by its shared string.

    The first row's cells are kept (short ones) to name the column by its header."""

    def __init__(self, cap, strings):
        self.cap, self.strings = cap, strings
        self.ref = ""
        self.shared = False
        self.in_value = False
        self.value = []
        self.length = 0
        self.headers = {}  # column letter -> header text, from the first row

    def start(self, name, attrs):
        if name == _SHEET + "c":
            self.ref = attrs.get("r", "")
            self.shared = attrs.get("t") == "s"
            self.length = 0
            self.value = []
        elif name in (_SHEET + "v", _SHEET + "t"):
            self.in_value = True

    def start_first_row(self, name, attrs):
        if name == _SHEET + "row" and attrs.get("r", "1") != "1":
            raise _Found
        self.start(name, attrs)

    def end(self, name):
        if name in (_SHEET + "v", _SHEET + "t"):
            self.in_value = False
        elif name == _SHEET + "c":
            text = "".join(self.value).strip()
            index = int(text) if self.shared and text.isdigit() else None
            if index is not None and index in self.strings.long:
                self.too_long()
            match = _CELL_REF.match(self.ref)
            if match and match[2] == "1":
                header = self.strings.short.get(index, "") if self.shared else text
                self.headers[match[1]] = header

    def text(self, data):
        self.length += len(data)
        if self.in_value and self.length <= 200:
            self.value.append(data)
        if self.length > self.cap:
            self.too_long()

    def too_long(self):
        _refuse(self.ref, self.headers, self.cap)
