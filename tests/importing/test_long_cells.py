"""Long cells: the documented cell limit, refused while streaming; nothing cut, nothing stored.

The limit is IMPORT_MAX_CELL_CHARS (1,000,000 characters). Files whose one cell unpacks to
fifty million characters from a few kilobytes are built here part by part, as an attacker
would, so that the test itself never holds the long text.
"""

import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Document, ImportJob
from documents.spreadsheets.exporting import export_documents
from documents.spreadsheets.files import write_rows
from documents.spreadsheets.importing import import_documents
from tests.importing.conftest import write_csv

pytestmark = pytest.mark.django_db

LIMIT = 1_000_000
HUGE = 50_000_000
IMPORT_URL = "/admin/documents/document/import/"


def _stream(handle, count, chunk=1024 * 1024):
    while count > 0:
        handle.write(b"a" * min(chunk, count))
        count -= chunk


def _with_huge_cell(source, target, member, count):
    """Copy the zip `source` to `target`, the text PLACEHOLDER in `member` made `count` a's."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename != member:
                new.writestr(info, data)
                continue
            before, after = data.split(b"PLACEHOLDER")
            with new.open(member, "w", force_zip64=True) as handle:
                handle.write(before)
                _stream(handle, count)
                handle.write(after)
    return target


def _spreadsheet(tmp_path, file_format, rows):
    path = tmp_path / f"sheet.{file_format}"
    with path.open("wb") as target:
        write_rows(target, ["title", "text"], rows, file_format=file_format)
    return path


_SHARED = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings'
        '+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
        '" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="documents" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
    "xl/worksheets/sheet1.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
        '<c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" '
        't="s"><v>3</v></c></row></sheetData></worksheet>'
    ),
    "xl/sharedStrings.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>title</t></si><si><t>text'
        "</t></si><si><t>A letter</t></si><si><t>PLACEHOLDER</t></si></sst>"
    ),
}


def _xlsx_with_shared_strings(path):
    """A minimal XLSX as Excel writes it: every text in the shared strings."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _SHARED.items():
            archive.writestr(name, text)
    return path


def _huge_file(tmp_path, kind, count=HUGE):
    if kind == "xlsx-shared":
        source = _xlsx_with_shared_strings(tmp_path / "source.xlsx")
        return _with_huge_cell(source, tmp_path / "huge.xlsx", "xl/sharedStrings.xml", count)
    file_format = kind.split("-")[0]
    source = _spreadsheet(tmp_path, file_format, [["A letter", "PLACEHOLDER"]])
    member = "xl/worksheets/sheet1.xml" if file_format == "xlsx" else "content.xml"
    return _with_huge_cell(source, tmp_path / f"huge.{file_format}", member, count)


def test_the_minimal_excel_file_of_these_tests_imports_when_its_cells_are_short(tmp_path):
    path = _huge_file(tmp_path, "xlsx-shared", count=10)

    result = import_documents(path)

    assert result.ok, result.file_errors
    assert Document.objects.get().text == "a" * 10


@pytest.mark.parametrize("kind", ["xlsx-shared", "xlsx-inline", "ods"])
def test_a_small_file_with_a_huge_cell_is_refused_with_row_column_and_limit(tmp_path, kind):
    path = _huge_file(tmp_path, kind)
    assert path.stat().st_size < 200_000  # fifty million characters in a small upload

    tracemalloc.start()
    try:
        result = import_documents(path)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.file_errors == [
        "Row 2, column 'text' (B): the cell holds more than 1,000,000 characters, the most a "
        "cell may hold in this archive. Nothing was imported; shorten the text or keep it "
        "outside the spreadsheet."
    ]
    assert peak < 20 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB"
    assert not Document.objects.exists() and not ImportJob.objects.exists()


@pytest.mark.parametrize("kind", ["xlsx-shared", "ods"])
def test_the_admin_import_of_a_huge_cell_shows_the_refusal_instead_of_failing(
    client, importer, tmp_path, kind
):
    path = _huge_file(tmp_path, kind)
    client.force_login(importer)

    response = client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(path.name, path.read_bytes()), "date_order": "mdy"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Row 2, column &#x27;text&#x27; (B): the cell holds more than 1,000,000" in page
    assert "Confirm import" not in page


def _sheet_with_text(folder, file_format, count):
    if file_format == "csv":
        return write_csv(folder / "sheet.csv", [["title", "text"], ["A letter", "a" * count]])
    return _huge_file(folder, file_format, count)


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_a_cell_of_exactly_the_limit_imports_and_one_more_character_is_refused(
    tmp_path, file_format
):
    (tmp_path / "fits").mkdir()
    fits = _sheet_with_text(tmp_path / "fits", file_format, LIMIT)
    result = import_documents(fits)
    assert result.ok and result.created == 1, (result.file_errors, result.errors)
    assert Document.objects.get().text == "a" * LIMIT

    (tmp_path / "longer").mkdir()
    result = import_documents(_sheet_with_text(tmp_path / "longer", file_format, LIMIT + 1))
    assert result.file_errors == [
        "Row 2, column 'text' (B): the cell holds more than 1,000,000 characters, the most a "
        "cell may hold in this archive. Nothing was imported; shorten the text or keep it "
        "outside the spreadsheet."
    ]
    assert Document.objects.count() == 1


def test_a_csv_field_longer_than_pythons_default_limit_imports(tmp_path):
    text = "Line one of a long translation.\n" + "x" * 200_000
    path = write_csv(tmp_path / "long.csv", [["title", "text"], ["A letter", text]])

    result = import_documents(path)

    assert result.ok and result.created == 1, (result.file_errors, result.errors)
    assert Document.objects.get().text == text


def test_a_refused_long_value_is_not_kept_whole_in_the_import_record(tmp_path):
    path = write_csv(tmp_path / "title.csv", [["title"], ["T" * 900_000]])

    result = import_documents(path)

    assert not result.ok
    assert "the most it may have is 500" in result.errors[0].message
    kept = result.errors[0].as_dict()  # what the preview shows and a queued import records
    assert len(str(kept)) < 1000 and "900,000 characters" in kept["value"]


def test_the_export_of_a_long_translation_to_csv_imports_again_exactly(tmp_path):
    # Cells are trimmed on import, so the text ends as a curator's would.
    document = Document.objects.create(title="A long translation", text="y\n" * 100_000 + "z")
    path = tmp_path / "export.csv"
    with path.open("wb") as target:
        export_documents(target, file_format="csv")
    Document.objects.filter(pk=document.pk).update(text="")

    result = import_documents(path)

    assert result.ok and result.updated == 1, (result.file_errors, result.errors)
    document.refresh_from_db()
    assert document.text == "y\n" * 100_000 + "z"
