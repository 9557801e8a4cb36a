"""The spreadsheet columns of further translations and transcripts: import, export, undo."""

import openpyxl
import pytest

from documents.models import Document, DocumentText, Language, Person
from documents.spreadsheets.exporting import export_documents
from documents.spreadsheets.importing import import_documents
from documents.spreadsheets.undo import undo_import
from tests.importing.conftest import import_rows

pytestmark = pytest.mark.django_db

HEADERS = [
    "record_id",
    "title",
    "date",
    "text",
    "translation_2",
    "translation_2_language",
    "translation_2_translator",
    "translation_2_note",
    "translation_3",
    "translation_3_language",
    "transcript_2",
    "transcript_2_language",
    "transcript_2_note",
]


def long_text(length):
    unit = "Genosse Pischewari! «Zitat»; Zeile —\n"
    return (unit * (length // len(unit) + 1))[:length]


def row(**cells):
    values = {
        "record_id": "7001",
        "title": "Letter, I. V. Stalin to Cde. Pishevari",
        "date": "May 8, 1946",
        "text": "Cde. Pishevari! It seems to me that you misjudge the situation.",
        "translation_2": "Genosse Pischewari!",
        "translation_2_language": "de",
        "translation_2_translator": "Gary Goldberg",
        "translation_2_note": "Translated from the Russian original.",
        "translation_3": "",
        "translation_3_language": "",
        "transcript_2": "رفیق پیشه‌وری!",
        "transcript_2_language": "Persian",
        "transcript_2_note": "",
    }
    values.update(cells)
    return [values[h] for h in HEADERS]


@pytest.fixture
def german(vocabulary):
    return Language.objects.create(name="German", code="de")


def export(tmp_path, file_format="csv"):
    path = tmp_path / f"export.{file_format}"
    with path.open("wb") as target:
        export_documents(target, file_format=file_format)
    return path


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_a_30000_character_second_translation_survives_export_and_import_unchanged(
    tmp_path, german, file_format
):
    text = long_text(30_000)
    result = import_rows(tmp_path, [HEADERS, row(translation_2=text)])
    assert result.ok, result.errors
    document = Document.objects.get(record_id=7001)
    [translation] = document.texts.filter(kind="translation")
    assert translation.text == text and len(translation.text) == 30_000
    assert translation.language == german
    assert translation.translator.name == "Gary Goldberg"
    assert translation.note == "Translated from the Russian original."
    [transcript] = document.texts.filter(kind="transcript")
    assert (transcript.text, transcript.language.name) == ("رفیق پیشه‌وری!", "Persian")

    path = export(tmp_path, file_format)
    again = import_documents(path)
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)

    Document.objects.all().delete()
    assert not DocumentText.objects.exists()
    restored = import_documents(path)
    assert restored.ok, restored.errors
    [translation] = Document.objects.get(record_id=7001).texts.filter(kind="translation")
    assert translation.text == text
    assert (translation.language, translation.translator.name) == (german, "Gary Goldberg")


def test_the_export_writes_each_further_text_in_its_columns(tmp_path, german):
    import_rows(tmp_path, [HEADERS, row(translation_3="Zweite", translation_3_language="German")])
    sheet = openpyxl.load_workbook(export(tmp_path, "xlsx")).active
    header, values = (list(r) for r in sheet.iter_rows(values_only=True))
    cells = dict(zip(header, values, strict=True))
    assert cells["translation_2"] == "Genosse Pischewari!"
    assert cells["translation_2_language"] == "German"
    assert cells["translation_2_translator"] == "Gary Goldberg"
    assert cells["translation_3"] == "Zweite" and cells["translation_3_language"] == "German"
    assert cells["transcript_2_language"] == "Persian"
    assert cells["transcript_3"] is None


def test_an_unknown_language_names_the_row_and_the_column(tmp_path, german):
    result = import_rows(
        tmp_path,
        [HEADERS, row(), row(record_id="7002", translation_2_language="Klingon")],
    )
    assert not result.ok
    [error] = result.errors
    assert (error.row, error.column) == (3, "translation_2_language")
    assert "Klingon" in str(error)
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("cells", "column", "says"),
    [
        ({"translation_2_language": ""}, "translation_2_language", "needs its language"),
        ({"translation_2": ""}, "translation_2_translator", "'translation_2' is empty"),
        (
            {"translation_2": "", "translation_2_translator": "", "translation_2_note": ""},
            "translation_2_language",
            "names a language, but 'translation_2' is empty",
        ),
        (
            {"translation_3": "Dritte", "translation_3_language": "de", "translation_2": ""},
            "translation_3",
            "'translation_2' is empty",
        ),
        (
            {"translation_2_translator": "Gary Goldberg; Jamil Hasanli"},
            "translation_2_translator",
            "names 2 people",
        ),
    ],
)
def test_a_further_text_given_by_halves_is_refused_naming_the_column(
    tmp_path, german, cells, column, says
):
    result = import_rows(tmp_path, [HEADERS, row(**cells)])
    assert not result.ok
    assert any(e.column == column and says in e.message for e in result.errors), result.errors
    assert not Document.objects.exists()


def test_a_file_without_the_language_column_is_refused_before_any_row(tmp_path, german):
    result = import_rows(tmp_path, [["title", "translation_2"], ["A letter", "Genosse"]])
    assert not result.ok
    assert "The column 'translation_2' needs a 'translation_2_language' column beside it." in str(
        result.file_errors
    )


def test_a_file_without_note_or_translator_columns_leaves_them_alone(tmp_path, german):
    import_rows(tmp_path, [HEADERS, row()])
    result = import_rows(
        tmp_path,
        [
            ["record_id", "translation_2", "translation_2_language"],
            ["7001", "Genosse Pischewari! Verbessert.", "German"],
        ],
    )
    assert result.ok and result.updated == 1, result.errors
    [translation] = Document.objects.get(record_id=7001).texts.filter(kind="translation")
    assert translation.text == "Genosse Pischewari! Verbessert."
    assert translation.translator.name == "Gary Goldberg"
    assert translation.note == "Translated from the Russian original."


def test_an_empty_cell_removes_the_further_text_and_undo_brings_it_back(tmp_path, german, importer):
    import_rows(tmp_path, [HEADERS, row()])
    removal = import_rows(
        tmp_path,
        [
            HEADERS,
            row(
                translation_2="",
                translation_2_language="",
                translation_2_translator="",
                translation_2_note="",
            ),
        ],
        user=importer,
    )
    assert removal.ok and removal.updated == 1, removal.errors
    document = Document.objects.get(record_id=7001)
    assert not document.texts.filter(kind="translation").exists()

    undo_import(removal.job, user=importer)

    [translation] = document.texts.filter(kind="translation")
    assert translation.text == "Genosse Pischewari!"
    assert translation.translator == Person.objects.get(name="Gary Goldberg")


def test_a_translator_the_archive_does_not_know_becomes_a_new_person(tmp_path, german):
    result = import_rows(
        tmp_path,
        [HEADERS, row(translation_2_translator="Hannelore Brandt")],
    )
    assert result.ok, result.errors
    [translation] = Document.objects.get(record_id=7001).texts.filter(kind="translation")
    assert translation.translator.name == "Hannelore Brandt"


def test_an_xlsx_cell_cut_at_the_format_limit_is_not_written_over_a_longer_translation(
    tmp_path, german
):
    text = long_text(40_000)
    import_rows(tmp_path, [HEADERS, row(translation_2=text)])
    path = tmp_path / "cut.xlsx"
    workbook = openpyxl.Workbook()
    for cells in [
        ["record_id", "translation_2", "translation_2_language"],
        [7001, text[:32_767], "German"],
    ]:
        workbook.active.append(cells)
    workbook.save(path)

    result = import_documents(path)

    assert not result.ok
    [error] = result.errors
    assert (error.row, error.column) == (2, "translation_2")
    assert "40,000 characters long: the file cut it" in error.message
    [translation] = Document.objects.get(record_id=7001).texts.filter(kind="translation")
    assert translation.text == text


def test_an_xlsx_export_names_a_further_text_longer_than_a_cell_before_writing(tmp_path, german):
    from documents.spreadsheets.exporting import ExportError

    import_rows(tmp_path, [HEADERS, row(transcript_2=long_text(40_000))])
    path = tmp_path / "export.xlsx"
    with path.open("wb") as target, pytest.raises(ExportError) as refused:
        export_documents(target, file_format="xlsx")
    assert path.stat().st_size == 0
    assert "record 7001, transcript_2 (40,000 characters)" in str(refused.value)
