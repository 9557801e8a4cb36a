"""manage.py import_documents: progress, summary, error file, exit status."""

import csv

import pytest
from django.core.management import call_command

from documents.models import Document, ImportJob
from tests.importing.conftest import write_csv

pytestmark = pytest.mark.django_db


def test_command_imports_and_prints_a_summary(vocabulary, files, capsys, importer):
    call_command("import_documents", str(files / "good_rows.csv"), "--user", "importer")

    out = capsys.readouterr()
    assert "Created 3, updated 0, unchanged 0, errors 0 (of 3 rows)." in out.out
    assert "rows" in out.err  # the progress bar
    assert ImportJob.objects.get().user == importer
    assert Document.objects.count() == 3


def test_command_exits_non_zero_and_writes_an_error_file_when_a_row_fails(
    vocabulary, files, tmp_path, capsys
):
    source = tmp_path / "bad_rows.csv"
    source.write_bytes((files / "bad_rows.csv").read_bytes())

    with pytest.raises(SystemExit) as exit_:
        call_command("import_documents", str(source))

    assert exit_.value.code == 1
    out = capsys.readouterr()
    assert "Row 2, column date: The date '31 February 1946' does not exist" in out.err
    assert "Nothing was written because some rows have errors." in out.out
    with (tmp_path / "bad_rows-errors.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 14 and rows[0][-1] == "import_errors"
    assert not Document.objects.exists()


def test_command_dry_run_writes_nothing(vocabulary, files, capsys):
    call_command("import_documents", str(files / "good_rows.csv"), "--dry-run")

    assert "Would create 3" in capsys.readouterr().out
    assert not Document.objects.exists() and not ImportJob.objects.exists()


def test_command_options_reach_the_import(vocabulary, tmp_path, capsys):
    path = write_csv(
        tmp_path / "opts.csv", [["title", "date", "type"], ["A", "05/08/1946", "Memo"]]
    )

    call_command(
        "import_documents", str(path), "--date-order", "dmy", "--create-missing", "--skip-errors"
    )

    document = Document.objects.get()
    assert document.date_edtf == "1946-08-05" and document.document_type.name == "Memo"
    assert "New vocabulary entries: Memo (documents.DocumentType)" in capsys.readouterr().out


def test_command_refuses_a_missing_file(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_documents", "/nonexistent/file.csv")
