"""Record IDs come from one allocator, and a row never silently takes over another record."""

import csv

import pytest
from django.core.management import call_command

from documents.history import versions_of
from documents.models import Document, ImportChange, record_ids
from documents.spreadsheets.importing import import_documents
from documents.spreadsheets.undo import undo_import
from documents.spreadsheets.writing import RecordWriter
from tests.importing.conftest import write_csv

pytestmark = pytest.mark.django_db

HEADER = ["record_id", "title", "date"]


def test_a_row_whose_record_id_names_another_document_is_a_question_in_the_preview(
    vocabulary, tmp_path
):
    record = Document.objects.create(
        title="Report on the Tabriz garrison", date_text="12 December 1945"
    )
    path = write_csv(
        tmp_path / "wrong.csv",
        [HEADER, [str(record.record_id), "Letter, I. V. Stalin to Cde. Pishevari", "8 May 1946"]],
    )

    preview = import_documents(path, dry_run=True, preview_limit=5)

    assert (preview.updated, preview.failed) == (0, 1)
    [error] = preview.errors
    assert (error.row, error.column, error.value) == (2, "record_id", str(record.record_id))
    [question] = preview.questions
    assert question.reason.startswith(
        f"Record {record.record_id} is 'Report on the Tabriz garrison' (12 December 1945); this "
        "row says 'Letter, I. V. Stalin to Cde. Pishevari' (8 May 1946): the record_id may name"
    )
    assert error.question == question.key and question.proposed == ""
    assert [c for c, _l in question.choices] == [f"update:{record.record_id}", "new", "skip"]
    assert preview.preview[0].action == "error"
    result = import_documents(path, accept_suggestions=True)
    assert not result.written
    record.refresh_from_db()
    assert record.title == "Report on the Tabriz garrison"
    # Answered: a new record of its own, and the named one left alone.
    created = import_documents(path, answers={question.key: "new"})
    assert created.ok and created.created == 1 and Document.objects.count() == 2
    record.refresh_from_db()
    assert record.title == "Report on the Tabriz garrison"


@pytest.mark.parametrize(
    ("title", "date"),
    [
        ("Report on the Tabriz garrison (corrected)", "12 December 1945"),
        ("Report on the Tabriz Garrison", "8 May 1946"),
        ("Report on the Tabriz garrison, second copy", "14 December 1945"),
        ("Another title entirely", "undated"),
    ],
)
def test_a_row_that_corrects_its_records_title_or_date_still_updates_it(
    vocabulary, tmp_path, title, date
):
    record = Document.objects.create(
        title="Report on the Tabriz garrison", date_text="12 December 1945"
    )
    path = write_csv(tmp_path / "edit.csv", [HEADER, [str(record.record_id), title, date]])

    result = import_documents(path)

    assert result.ok and result.updated == 1, result.errors
    record.refresh_from_db()
    assert record.title == title


@pytest.mark.parametrize(("batch_size", "history_every"), [(1, 2000), (1000, 2000), (1, 1)])
def test_a_row_without_a_record_id_never_takes_the_number_a_later_row_gives(
    vocabulary, tmp_path, monkeypatch, batch_size, history_every
):
    # Written in time or not, the history of the record that moved shows its final number.
    monkeypatch.setattr(RecordWriter, "HISTORY_EVERY", history_every)
    Document.objects.create(title="Already there", date_text="1945")
    claimed = record_ids.peek()
    path = write_csv(
        tmp_path / "mixed.csv",
        [
            [*HEADER, "authors"],
            ["", "Numbered by the archive", "1946", "I. V. Stalin"],
            [str(claimed), "Numbered in the file", "1947", ""],
        ],
    )

    preview = import_documents(path, dry_run=True, batch_size=batch_size)
    result = import_documents(path, batch_size=batch_size, preview_limit=5)

    assert (preview.created, preview.updated, preview.failed) == (2, 0, 0)
    assert result.ok and (result.created, result.updated) == (2, 0)
    assert Document.objects.get(record_id=claimed).title == "Numbered in the file"
    other = Document.objects.get(title="Numbered by the archive")
    assert other.record_id not in (claimed, claimed - 1)
    assert result.preview[0].record_id == other.record_id
    changes = dict(ImportChange.objects.values_list("document_id", "record_id"))
    assert changes[other.pk] == other.record_id
    [version] = versions_of(other)
    assert version.field_dict["record_id"] == other.record_id
    assert sorted(v.object_repr for v in version.revision.version_set.all()) == [
        "I. V. Stalin (Author)",
        "Numbered by the archive",
        "Numbered in the file",
    ]
    undo_import(result.job)
    assert Document.objects.count() == 1


def test_an_explicit_record_id_above_the_counter_moves_the_counter_past_it(vocabulary, tmp_path):
    path = write_csv(
        tmp_path / "ahead.csv",
        [HEADER, ["5000", "Numbered in the file", "1946"], ["", "Next", "1946"]],
    )

    import_documents(path, batch_size=1)

    assert Document.objects.get(title="Next").record_id == 5001
    assert Document.objects.create(title="Added in the admin").record_id == 5002


def test_a_deleted_records_number_is_never_handed_out_again_by_any_writer(vocabulary, tmp_path):
    Document.objects.create(title="Kept")
    Document.objects.create(title="Deleted").delete()
    deleted = record_ids.peek() - 1

    call_command("generate_archive", documents=3, seed=1, verbosity=0)
    imported = import_documents(write_csv(tmp_path / "new.csv", [HEADER, ["", "Imported", "1946"]]))
    saved = Document.objects.create(title="Saved")

    numbers = sorted(Document.objects.values_list("record_id", flat=True))
    assert imported.ok and deleted not in numbers
    assert numbers == list(range(1, deleted)) + list(range(deleted + 1, saved.record_id + 1))


def test_the_generated_spreadsheet_numbers_its_rows_after_every_number_handed_out(tmp_path):
    Document.objects.create(title="Deleted").delete()
    path = tmp_path / "generated.csv"

    call_command("generate_archive", documents=2, seed=1, csv=str(path), verbosity=0)

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["record_id"] for row in rows] == ["2", "3"]
