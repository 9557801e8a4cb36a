"""Export (documents/exporting.py, manage.py export_documents): same columns, exact round trip."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command

from documents.models import Document, Person, Status
from documents.spreadsheets.columns import COLUMN_NAMES
from documents.spreadsheets.exporting import export_documents
from documents.spreadsheets.importing import import_documents
from tests.importing.conftest import write_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_export_then_import_is_an_exact_round_trip(vocabulary, files, tmp_path, file_format):
    import_documents(files / "good_rows.csv")
    # A curator's edits the spreadsheet must carry too: an EDTF-only date, a withdrawn record.
    Document.objects.filter(record_id=7001).update(date_text="", date_edtf="1946-05")
    Document.objects.filter(title__startswith="Letter").update(status=Status.WITHDRAWN)
    path = tmp_path / f"export.{file_format}"
    with path.open("wb") as target:
        assert export_documents(target, file_format=file_format) == 3

    result = import_documents(path)

    assert result.ok, (result.file_errors, result.errors)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_export_has_the_import_columns_and_multi_valued_cells(vocabulary, files, tmp_path):
    import_documents(files / "good_rows.csv")
    out = io.BytesIO()

    export_documents(out, file_format="csv")

    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert list(rows[0]) == COLUMN_NAMES
    letter = next(r for r in rows if r["title"].startswith("Letter"))
    assert letter["places"] == "Tabriz; Tehran"
    assert letter["source"] == "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072"
    telegram = next(r for r in rows if r["record_id"] == "7001")
    assert telegram["authors"] == "M.D. Bagriov"


def test_cells_that_would_run_as_formulas_are_escaped_and_import_back_unchanged(
    vocabulary, tmp_path
):
    Document.objects.create(
        record_id=1, title="=1+1", summary="@SUM(A1)", text="-2", transcript="+3"
    )
    path = tmp_path / "export.xlsx"
    with path.open("wb") as target:
        export_documents(target, file_format="xlsx")

    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in sheet[1]]
    row = {header[i]: c for i, c in enumerate(sheet[2])}
    for column in ("title", "summary", "text", "transcript"):
        assert row[column].data_type == "s"
        assert row[column].value.startswith("'")
    result = import_documents(path)
    assert result.unchanged == 1
    document = Document.objects.get(record_id=1)
    assert (document.title, document.summary, document.text, document.transcript) == (
        "=1+1",
        "@SUM(A1)",
        "-2",
        "+3",
    )


def test_a_name_shared_by_two_people_is_exported_so_it_finds_the_same_person(vocabulary, tmp_path):
    first = Person.objects.create(name="A. Ivanov")
    second = Person.objects.create(name="A. Ivanov")
    path = write_csv(
        tmp_path / "in.csv",
        [
            ["record_id", "title", "authors"],
            ["1", "One", f"A. Ivanov [#{first.pk}]"],
            ["2", "Two", f"A. Ivanov [#{second.pk}]"],
        ],
    )
    assert import_documents(path).ok
    out = tmp_path / "out.csv"
    with out.open("wb") as target:
        export_documents(target, file_format="csv")

    assert f"A. Ivanov [#{second.pk}]" in out.read_text(encoding="utf-8-sig")
    assert import_documents(out).unchanged == 2


def test_unpublished_records_are_exported_only_for_staff_allowed_to_see_them(
    vocabulary, django_user_model
):
    Document.objects.create(title="Public", status=Status.PUBLISHED)
    Document.objects.create(title="Draft", status=Status.DRAFT)
    outsider = django_user_model.objects.create_user("outsider")
    out = io.BytesIO()

    export_documents(out, user=outsider, file_format="csv")

    text = out.getvalue().decode("utf-8-sig")
    assert "Public" in text and "Draft" not in text


def test_export_command_writes_every_document(vocabulary, files, tmp_path, capsys):
    import_documents(files / "good_rows.csv")

    call_command("export_documents", str(tmp_path / "all.ods"))

    assert "Exported 3 documents" in capsys.readouterr().out
    assert import_documents(tmp_path / "all.ods").unchanged == 3


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_seed_records_survive_export_and_import_unchanged(seeds, tmp_path, file_format):
    path = tmp_path / f"seeds.{file_format}"
    with path.open("wb") as target:
        count = export_documents(target, file_format=file_format)

    result = import_documents(path)

    assert result.ok, (result.file_errors, result.errors[:3])
    assert (result.created, result.updated, result.unchanged) == (0, 0, count)
