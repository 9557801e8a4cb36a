"""Caps on rows and bytes; hostile XLSX/ODS files are refused before they can exhaust memory."""

import zipfile

import pytest

from documents.models import Document, ImportJob
from documents.spreadsheets.importing import import_documents
from tests.importing.conftest import write_csv

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def _rewrite(source, target, name, content):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = content if item.filename == name else old.read(item.filename)
            new.writestr(item, data)
    return target


def test_a_file_with_more_rows_than_the_cap_is_refused_and_nothing_is_written(
    vocabulary, tmp_path, settings
):
    settings.IMPORT_MAX_ROWS = 5
    path = write_csv(tmp_path / "long.csv", [["title"]] + [[f"Row {i}"] for i in range(6)])

    result = import_documents(path)

    assert result.file_errors == [
        "The file has more than 5 rows, the most this archive imports at once. Split it into "
        "smaller files; nothing was written."
    ]
    assert not Document.objects.exists() and not ImportJob.objects.exists()


def test_a_file_larger_than_the_byte_cap_is_refused(vocabulary, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 100
    path = write_csv(tmp_path / "big.csv", [["title"]] + [["x" * 50] for _ in range(5)])

    result = import_documents(path)

    assert "the most this archive imports at once is" in result.file_errors[0]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(vocabulary, tmp_path, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 10 * 1024 * 1024
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    assert bomb.stat().st_size < 200 * 1024

    result = import_documents(bomb)

    assert "It may be a zip bomb" in result.file_errors[0]


def test_xlsx_with_entity_expansion_is_refused(vocabulary, files, tmp_path):
    with zipfile.ZipFile(files / "good_rows.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    hostile = BILLION_LAUGHS.replace("lolz", "worksheet") + sheet.replace("Letter", "&lol9;", 1)
    path = _rewrite(
        files / "good_rows.xlsx", tmp_path / "laughs.xlsx", "xl/worksheets/sheet1.xml", hostile
    )

    result = import_documents(path)

    assert "XML entity declarations" in result.file_errors[0]
    assert not Document.objects.exists()


def test_ods_with_entity_expansion_is_refused(vocabulary, files, tmp_path):
    with zipfile.ZipFile(files / "good_rows.ods") as archive:
        content = archive.read("content.xml").decode()
    hostile = BILLION_LAUGHS.replace("lolz", "office:document-content") + content.split("?>", 1)[1]
    path = _rewrite(files / "good_rows.ods", tmp_path / "laughs.ods", "content.xml", hostile)

    result = import_documents(path)

    assert "XML entity declarations" in result.file_errors[0]


def test_a_damaged_spreadsheet_gets_a_sentence_not_a_crash(vocabulary, tmp_path):
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip file")

    result = import_documents(path)

    assert "damaged" in result.file_errors[0]


def test_old_excel_files_are_refused_with_advice(vocabulary, tmp_path):
    path = tmp_path / "legacy.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old excel")

    result = import_documents(path)

    assert "save the sheet as .xlsx or .csv" in result.file_errors[0]


def test_an_empty_file_is_reported(vocabulary, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    assert "no header row" in import_documents(path).file_errors[0]


@pytest.mark.parametrize(
    ("text", "character"),
    [
        ("A lone carriage\rreturn", "U+000D"),
        ("A form\x0cfeed", "U+000C"),
        ("An escape \x1b in English", "U+001B"),
        ("A C1 control \x85 in Latin text", "U+0085"),
        ("Persian متن with a bell \x07", "U+0007"),
    ],
)
def test_control_characters_are_refused_in_ascii_and_other_text(tmp_path, text, character):
    path = write_csv(tmp_path / "control.csv", [["title", "summary"], ["A record", text]])

    result = import_documents(path)

    [error] = result.errors
    assert error.column == "summary" and f"control character {character}" in error.message
    assert not Document.objects.exists()


def test_line_breaks_tabs_and_windows_line_ends_are_kept(tmp_path):
    text = "First line\r\nSecond line\n\tIndented — and «quoted»"
    path = tmp_path / "breaks.csv"
    write_csv(path, [["title", "text"], ["A record", text]])

    result = import_documents(path)

    assert result.ok, result.errors
    assert Document.objects.get().text == text
