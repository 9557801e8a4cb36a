"""The original_uploaded_date column: Document.first_published_at, read and written as a day."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from documents.models import Document, Status
from documents.spreadsheets.exporting import export_documents
from documents.spreadsheets.importing import import_documents
from documents.spreadsheets.undo import undo_import
from tests.importing.conftest import import_rows, write_csv

pytestmark = pytest.mark.django_db
_ZONE = timezone.get_default_timezone()


def _day(document):
    document.refresh_from_db()
    moment = document.first_published_at
    return timezone.localdate(moment).isoformat() if moment else None


def test_a_record_moved_from_an_earlier_site_keeps_its_original_uploaded_date(client, tmp_path):
    result = import_rows(
        tmp_path,
        [
            ["title", "status", "original_uploaded_date"],
            ["A letter", "published", "2019-03-12"],
            ["A draft", "draft", "March 5, 2020"],
        ],
    )

    assert result.ok, result.errors
    letter = Document.objects.get(title="A letter")
    assert _day(letter) == "2019-03-12"
    assert _day(Document.objects.get(title="A draft")) == "2020-03-05"
    page = client.get(letter.get_absolute_url()).content.decode()
    assert "Original Uploaded Date" in page and "March 12, 2019" in page


def test_without_the_column_publishing_by_import_stamps_the_day_it_happens(tmp_path):
    import_rows(tmp_path, [["title", "status"], ["A letter", "published"]])

    assert _day(Document.objects.get()) == timezone.localdate().isoformat()


def test_the_export_writes_the_day_and_an_empty_cell_leaves_the_record_alone(tmp_path):
    published = Document.objects.create(title="Published", status=Status.PUBLISHED)
    Document.objects.filter(pk=published.pk).update(
        first_published_at=datetime.datetime(2021, 6, 1, 15, 30, tzinfo=_ZONE)
    )
    Document.objects.create(title="Draft", status=Status.DRAFT)
    out = io.BytesIO()

    export_documents(out, file_format="csv")

    rows = {r["title"]: r for r in csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig")))}
    assert rows["Published"]["original_uploaded_date"] == "2021-06-01"
    assert rows["Draft"]["original_uploaded_date"] == ""
    path = tmp_path / "again.csv"
    path.write_bytes(out.getvalue())
    assert import_documents(path).unchanged == 2
    published.refresh_from_db()
    # The time of day is kept: the day in the file is the day the record already has.
    assert published.first_published_at.hour == 15
    emptied = [["record_id", "original_uploaded_date"], [str(published.record_id), ""]]
    assert import_rows(tmp_path, emptied).unchanged == 1
    assert _day(published) == "2021-06-01"


def test_a_value_that_is_not_one_day_is_refused_with_a_sentence(vocabulary, tmp_path):
    result = import_rows(
        tmp_path,
        [
            ["title", "original_uploaded_date"],
            ["A letter", "November 1945"],
            ["Another", "31 February 2019"],
        ],
    )

    found = {(e.row, e.column): e for e in result.errors}
    assert "'November 1945' is not a single day" in found[2, "original_uploaded_date"].message
    assert "does not exist" in found[3, "original_uploaded_date"].message
    assert not Document.objects.exists()


def test_a_changed_original_uploaded_date_is_previewed_and_undone(tmp_path):
    document = Document.objects.create(title="A letter", status=Status.PUBLISHED)
    stamped = datetime.datetime(2019, 3, 12, 9, 45, 30, 123456, tzinfo=_ZONE)
    Document.objects.filter(pk=document.pk).update(first_published_at=stamped)
    path = write_csv(
        tmp_path / "redate.csv",
        [["record_id", "original_uploaded_date"], [str(document.record_id), "2018-01-02"]],
    )

    preview = import_documents(path, dry_run=True, preview_limit=5)
    assert preview.preview[0].diff == [("original_uploaded_date", "2019-03-12", "2018-01-02")]
    job = import_documents(path).job
    assert _day(document) == "2018-01-02"

    result = undo_import(job)

    assert result.restored == [document.record_id]
    document.refresh_from_db()
    assert document.first_published_at == stamped


def test_undoing_an_import_that_published_a_draft_clears_its_original_uploaded_date(tmp_path):
    document = Document.objects.create(title="A letter", status=Status.DRAFT)
    job = import_rows(
        tmp_path, [["record_id", "status"], [str(document.record_id), "published"]]
    ).job
    assert _day(document) == timezone.localdate().isoformat()

    undo_import(job)

    document.refresh_from_db()
    assert (document.status, document.first_published_at) == (Status.DRAFT, None)


def test_the_day_is_the_one_it_falls_on_in_the_archives_time_zone(settings, tmp_path):
    settings.TIME_ZONE = "Asia/Baku"  # four hours ahead of UTC
    document = Document.objects.create(title="A letter", status=Status.PUBLISHED)
    late_evening_utc = datetime.datetime(2021, 6, 1, 22, 0, tzinfo=datetime.UTC)
    Document.objects.filter(pk=document.pk).update(first_published_at=late_evening_utc)
    out = io.BytesIO()

    export_documents(out, file_format="csv")

    [row] = csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig")))
    assert row["original_uploaded_date"] == "2021-06-02"
    path = tmp_path / "again.csv"
    path.write_bytes(out.getvalue())
    assert import_documents(path).unchanged == 1
    redated = [["record_id", "original_uploaded_date"], [str(document.record_id), "2021-06-05"]]
    import_rows(tmp_path, redated)
    document.refresh_from_db()
    assert document.first_published_at == datetime.datetime(2021, 6, 4, 20, 0, tzinfo=datetime.UTC)
