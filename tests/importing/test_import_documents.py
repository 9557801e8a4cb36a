"""The import workflow (documents/importing.py) on the small spreadsheets in files/."""

import csv
import io

import pytest

from documents.models import Contribution, Document, ImportJob, Person, Status
from documents.spreadsheets.importing import import_documents
from tests.importing.conftest import write_csv

pytestmark = pytest.mark.django_db


def test_good_rows_create_documents_with_every_column(vocabulary, files):
    result = import_documents(files / "good_rows.csv")

    assert result.ok and result.written
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    letter = Document.objects.get(title="Letter, I. V. Stalin to Cde. Pishevari")
    assert letter.date_text == "May 8, 1946" and letter.date_edtf == "1946-05-08"
    assert letter.document_type.name == "Letter"
    assert letter.classification.name == "Top Secret"
    assert letter.status == Status.PUBLISHED and letter.first_published_at is not None
    assert [str(c) for c in letter.citations.all()] == [
        "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072"
    ]
    assert letter.citations.get().delo == "317"
    assert [c.person.name for c in letter.contributions.filter(role=Contribution.Role.AUTHOR)] == [
        "I. V. Stalin"
    ]
    assert [f.name for f in letter.funders.all()] == ["MacArthur Foundation"]
    assert sorted(p.name for p in letter.places.all()) == ["Tabriz", "Tehran"]
    assert [c.title for c in letter.collections.all()] == ["Iran-Soviet Relations"]
    telegram = Document.objects.get(record_id=7001)
    assert telegram.citations.get().repository.abbreviation == "GAPPOD"
    assert sorted(lang.code for lang in telegram.languages.all()) == ["az", "ru"]


def test_text_survives_byte_for_byte(vocabulary, files):
    import_documents(files / "good_rows.csv")

    letter = Document.objects.get(title="Letter, I. V. Stalin to Cde. Pishevari")
    assert letter.text == (
        "“Cde. Pishevari!\n\nIt seems to me — first — that you are incorrectly assessing the "
        "situation.”\n\tSigned [SIC]"
    )
    assert letter.transcript == "Товарищ Пишевари!"
    assert Document.objects.get(record_id=7001).transcript == "Azərbaycan Demokrat Firqəsi"
    persian = Document.objects.get(title="گزارش دربارهٔ آذربایجان")
    assert persian.transcript == "متن فارسی از راست به چپ"


def test_a_name_found_as_a_variant_links_that_person_and_keeps_the_spelling(vocabulary, files):
    import_documents(files / "good_rows.csv")

    author = Document.objects.get(record_id=7001).contributions.get(role=Contribution.Role.AUTHOR)
    assert author.person.name == "M. D. Bagirov"
    assert author.name_as_written == "M.D. Bagriov"


def test_names_that_differ_by_apostrophes_or_case_are_the_same_person(vocabulary, files):
    import_documents(files / "good_rows.csv")

    recipient = Document.objects.get(record_id=7001).contributions.get(
        role=Contribution.Role.AUTHOR
    )
    assert Person.objects.filter(name__icontains="Pishevari").count() == 1
    assert recipient.person.name == "M. D. Bagirov"


def test_new_people_are_created_and_listed(vocabulary, tmp_path):
    path = write_csv(
        tmp_path / "new.csv",
        [["title", "date", "authors"], ["A letter", "1946", "Vyacheslav Molotov"]],
    )

    result = import_documents(path)

    assert result.new_people == ["Vyacheslav Molotov"]
    assert Person.objects.get(name="Vyacheslav Molotov").documents.get().title == "A letter"
    assert result.job.new_people[0][1] == "Vyacheslav Molotov"


def test_a_likely_match_is_an_error_naming_the_person_never_a_merge_or_a_duplicate(
    vocabulary, tmp_path
):
    path = write_csv(
        tmp_path / "likely.csv", [["title", "date", "authors"], ["A letter", "1946", "Ghavam"]]
    )

    result = import_documents(path)

    assert not result.written
    [error] = result.errors
    assert (error.row, error.column, error.value) == (2, "authors", "Ghavam")
    assert "likely the same person as Qavam" in error.message
    assert not Person.objects.filter(name="Ghavam").exists()


def test_a_likely_match_can_be_linked_explicitly_or_created_as_a_new_person(vocabulary, tmp_path):
    qavam = Person.objects.get(name="Qavam")
    path = write_csv(
        tmp_path / "decided.csv",
        [
            ["title", "date", "authors", "recipients"],
            ["A letter", "1946", f"Ghavam [#{qavam.pk}]", "Ghavami [new]"],
        ],
    )

    result = import_documents(path)

    assert result.ok, result.errors
    document = Document.objects.get(title="A letter")
    author = document.contributions.get(role=Contribution.Role.AUTHOR)
    assert (author.person, author.name_as_written) == (qavam, "Ghavam")
    assert document.contributions.get(role=Contribution.Role.RECIPIENT).person.name == "Ghavami"


def test_every_kind_of_bad_row_is_reported_with_row_column_value_and_a_sentence(vocabulary, files):
    result = import_documents(files / "bad_rows.csv")

    assert not result.written
    assert Document.objects.count() == 0
    found = {(e.row, e.column): e for e in result.errors}
    assert (
        "does not exist" in found[2, "date"].message
        and found[2, "date"].value == "31 February 1946"
    )
    assert "'Nonexistent Collection' is not a collection" in found[3, "collections"].message
    assert "is not a document type" in found[4, "type"].message
    assert "'Klingon' is not a language" in found[5, "languages"].message
    assert "'Ultra Secret' is not a classification" in found[6, "classification"].message
    assert "the most it may have is 500" in found[7, "title"].message
    assert "control character U+0007" in found[8, "title"].message
    assert "is not a record number" in found[9, "record_id"].message
    assert "already on row 10" in found[11, "record_id"].message
    assert "'archived' is not a status" in found[12, "status"].message
    assert "title is empty" in found[13, "title"].message
    assert "likely the same person" in found[14, "authors"].message
    assert "does not begin with a repository" in found[15, "source"].message
    # Row 10 is good, but all or nothing: it was not written either.
    assert result.failed == 13


def test_all_or_nothing_writes_nothing_when_a_later_batch_fails(vocabulary, tmp_path):
    rows = (
        [["title", "date"]]
        + [[f"Good {i}", "1946"] for i in range(30)]
        + [["Bad", "31 February 1946"]]
    )
    path = write_csv(tmp_path / "late.csv", rows)

    result = import_documents(path, batch_size=10)

    assert not result.written and result.failed == 1
    assert Document.objects.count() == 0
    # An import that wrote nothing leaves no record in the import history.
    assert result.job is None and not ImportJob.objects.exists()


def test_skip_errors_writes_the_good_rows_and_the_bad_ones_to_a_spreadsheet(
    vocabulary, files, tmp_path
):
    errors = io.BytesIO()

    result = import_documents(files / "bad_rows.csv", skip_errors=True, error_file=errors)

    assert result.written
    assert list(Document.objects.values_list("record_id", flat=True)) == [8001]
    bad = list(csv.reader(io.StringIO(errors.getvalue().decode("utf-8-sig"))))
    assert bad[0][-1] == "import_errors"
    assert len(bad) == 1 + 13
    assert bad[1][2] == "31 February 1946"
    # The file of bad rows imports again once fixed: its extra column is understood.
    bad[1][2] = "28 February 1946"
    fixed = write_csv(tmp_path / "fixed.csv", bad[:2])
    again = import_documents(fixed)
    assert again.ok and again.created == 1


def test_importing_the_same_file_twice_changes_nothing_and_creates_no_duplicate(vocabulary, files):
    first = import_documents(files / "good_rows.csv")
    stamps = dict(Document.objects.values_list("pk", "updated_at"))

    second = import_documents(files / "good_rows.csv")

    assert first.created == 3
    assert (second.created, second.updated, second.unchanged, second.failed) == (0, 0, 3, 0)
    assert Document.objects.count() == 3
    assert dict(Document.objects.values_list("pk", "updated_at")) == stamps


def test_a_row_with_a_record_id_updates_that_record_and_the_preview_shows_the_diff(
    vocabulary, files, tmp_path
):
    import_documents(files / "good_rows.csv")
    path = write_csv(
        tmp_path / "update.csv",
        [
            ["record_id", "title", "date", "places"],
            ["7001", "Telegram from M.D. Bagriov to Stalin", "9 May 1946", "Baku; Tabriz"],
        ],
    )

    preview = import_documents(path, dry_run=True, preview_limit=10)
    assert Document.objects.get(record_id=7001).date_text == "8 May 1946"
    [row] = preview.preview
    assert row.action == "updated"
    assert ("date", "8 May 1946", "9 May 1946") in row.diff
    assert ("places", "Baku", "Baku; Tabriz") in row.diff

    result = import_documents(path)
    assert result.updated == 1
    telegram = Document.objects.get(record_id=7001)
    assert telegram.date_text == "9 May 1946" and str(telegram.date_start) == "1946-05-09"
    # Columns the file leaves out are left alone.
    assert telegram.summary == "A report from Baku."


def test_a_record_id_that_does_not_exist_creates_the_record_with_that_number(vocabulary, tmp_path):
    path = write_csv(tmp_path / "numbered.csv", [["record_id", "title"], ["4242", "Numbered"]])

    import_documents(path)
    import_documents(write_csv(tmp_path / "next.csv", [["title"], ["Next one"]]))

    assert Document.objects.get(title="Numbered").record_id == 4242
    assert Document.objects.get(title="Next one").record_id == 4243


def test_a_row_matching_an_existing_title_and_date_is_flagged_as_a_possible_duplicate(
    vocabulary, tmp_path
):
    Document.objects.create(
        title="Letter to Molotov", date_text="May 8, 1946", summary="Old summary"
    )
    path = write_csv(
        tmp_path / "dup.csv",
        [["title", "date", "summary"], ["Letter to Molotov", "May 8, 1946", "New"]],
    )

    result = import_documents(path)

    [error] = result.errors
    [question] = result.questions
    record = Document.objects.get().record_id
    assert error.column == "title" and error.question == question.key == "record:2"
    assert question.reason.startswith("Possible duplicate: Record")
    assert [code for code, _label in question.choices] == [f"update:{record}", "new", "skip"]
    assert question.proposed == f"update:{record}"  # the same title on the same date
    assert Document.objects.count() == 1
    assert import_documents(path, allow_duplicates=True).created == 1


def test_dates_as_curators_write_them(vocabulary, files):
    result = import_documents(files / "dates.csv")

    assert result.ok, result.errors
    edtf = dict(Document.objects.values_list("date_text", "date_edtf"))
    assert edtf == {
        "May 8, 1946": "1946-05-08",
        "8 May 1946": "1946-05-08",
        "1946-05-08": "1946-05-08",
        "05/08/1946": "1946-05-08",
        "November 1945": "1945-11",
        "circa 1946": "1946~",
        "1945/1946": "1945/1946",
        "undated": "",
    }


def test_the_date_order_is_configurable(vocabulary, files):
    import_documents(files / "dates.csv", date_order="dmy")

    assert Document.objects.get(date_text="05/08/1946").date_edtf == "1946-08-05"


def test_unknown_values_are_created_when_the_user_chooses_to(vocabulary, files):
    result = import_documents(files / "bad_rows.csv", create_missing=True, skip_errors=True)

    created = {label for label, _name in result.new_terms}
    assert {
        "collections.Collection",
        "documents.DocumentType",
        "documents.Language",
        "documents.Classification",
    } <= created
    assert Document.objects.get(title="Unknown language").languages.get().name == "Klingon"


def test_unknown_and_misspelled_columns_are_left_out_with_one_warning_naming_them(
    vocabulary, files
):
    result = import_documents(files / "unknown_column.csv", dry_run=True)

    assert not result.file_errors
    [warning] = result.warnings
    assert "'titel' (did you mean 'title'?)" in warning and "'notes'" in warning
    assert "Left out the columns" in warning


def test_headers_match_regardless_of_case_and_spaces(vocabulary, files):
    # good_rows.csv spells its first headers "Record ID " and " TITLE".
    assert import_documents(files / "good_rows.csv").ok


@pytest.mark.parametrize("name", ["good_rows.xlsx", "good_rows.ods", "good_rows_bom.csv"])
def test_xlsx_ods_and_csv_with_bom_import_the_same_records(vocabulary, files, name):
    result = import_documents(files / name)

    assert result.ok, (result.file_errors, result.errors)
    assert result.created == 3
    letter = Document.objects.get(title="Letter, I. V. Stalin to Cde. Pishevari")
    assert letter.text.startswith("“Cde. Pishevari!\n\nIt seems")
    assert Document.objects.get(record_id=7001).transcript == "Azərbaycan Demokrat Firqəsi"


def test_windows_1252_csv_is_detected(vocabulary, files):
    result = import_documents(files / "windows1252.csv")

    assert result.encoding == "cp1252"
    document = Document.objects.get(record_id=9001)
    assert document.title == "Note on the “Tudeh” party – café meeting"
    assert document.summary == "Résumé…"


def test_semicolon_separated_csv_is_read(vocabulary, files):
    import_documents(files / "semicolons.csv")

    assert Document.objects.get(record_id=9101).title == "Letter, with a comma"


def test_formula_looking_values_are_stored_as_the_curator_meant_them(vocabulary, files):
    import_documents(files / "good_rows.csv")

    persian = Document.objects.get(title="گزارش دربارهٔ آذربایجان")
    assert persian.summary == '=HYPERLINK("x")'
    assert persian.text == "+7 and -3 @ the meeting"


def test_publishing_from_an_import_needs_the_publish_permission(
    vocabulary, tmp_path, django_user_model
):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["import_document", "add_document"])
    )
    clerk = django_user_model.objects.get(pk=clerk.pk)
    path = write_csv(
        tmp_path / "pub.csv", [["title", "status"], ["Published by a clerk", "published"]]
    )

    result = import_documents(path, user=clerk)

    assert "permission to publish" in result.errors[0].message
    assert not Document.objects.exists()


def test_every_import_is_recorded_with_who_what_and_counts(vocabulary, files, importer):
    result = import_documents(files / "good_rows.csv", user=importer, create_missing=True)

    job = result.job
    assert (job.user, job.file_name, job.outcome) == (
        importer,
        "good_rows.csv",
        ImportJob.Outcome.IMPORTED,
    )
    assert (job.rows, job.created, job.updated, job.unchanged, job.failed) == (3, 3, 0, 0, 0)
    assert job.options["create_missing"] is True
    assert job.changes.count() == 3


def test_the_number_of_queries_does_not_grow_with_the_rows_of_a_batch(
    vocabulary, tmp_path, django_assert_max_num_queries
):
    import_documents(
        write_csv(
            tmp_path / "warm.csv", [["title", "date", "authors"], ["Warm", "1946", "I. V. Stalin"]]
        )
    )
    rows = [["title", "date", "authors", "places", "source"]] + [
        [f"Letter {i}", "1946", "I. V. Stalin", "Baku; Tabriz", f"RGASPI, f. 558, op. 11, d. {i}"]
        for i in range(200)
    ]
    path = write_csv(tmp_path / "many.csv", rows)

    # 200 rows with a person, two places and a citation each, plus the history of every record
    # (documents with their people, citations, funders, scans and further texts): a fixed number
    # of queries.
    with django_assert_max_num_queries(63):
        result = import_documents(path, batch_size=500)

    assert result.created == 200


def test_a_name_differing_only_in_case_or_apostrophes_is_linked_and_reported_for_checking(
    vocabulary, tmp_path
):
    path = write_csv(
        tmp_path / "case.csv",
        [["title", "date", "recipients"], ["A letter", "1946", "jafar PISHEVARI"]],
    )

    result = import_documents(path, dry_run=True, preview_limit=5)

    [(row, note)] = result.notes
    assert row == 2 and "please check: 'jafar PISHEVARI' was read as Ja'far Pishevari" in note
    assert "write 'jafar PISHEVARI [new]'" in note
    assert result.preview[0].notes == [note]
    assert not Person.objects.filter(name="jafar PISHEVARI").exists()


def test_new_records_titled_like_several_existing_ones_get_their_own_address(vocabulary, tmp_path):
    for date in ("1946", "1947"):
        import_documents(write_csv(tmp_path / f"{date}.csv", [["title", "date"], ["Report", date]]))
    assert sorted(Document.objects.values_list("slug", flat=True)) == ["report", "report-2"]

    result = import_documents(
        write_csv(
            tmp_path / "more.csv", [["title", "date"], ["Report", "1948"], ["Report", "1949"]]
        )
    )

    assert result.ok and result.created == 2
    assert sorted(Document.objects.values_list("slug", flat=True)) == [
        "report",
        "report-2",
        "report-3",
        "report-4",
    ]


def test_reimporting_an_unchanged_file_writes_nothing(vocabulary, files, importer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from reversion.models import Revision

    import_documents(files / "good_rows.csv", user=importer)
    jobs, revisions = ImportJob.objects.count(), Revision.objects.count()

    with CaptureQueriesContext(connection) as queries:
        result = import_documents(files / "good_rows.csv", user=importer)

    writes = [
        q["sql"] for q in queries if q["sql"].lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []
    assert (result.created, result.updated, result.unchanged, result.failed) == (0, 0, 3, 0)
    assert result.job is None and "Created 0, updated 0, unchanged 3" in result.summary()
    assert (ImportJob.objects.count(), Revision.objects.count()) == (jobs, revisions)


def test_skipping_errors_in_a_file_that_changes_nothing_else_records_no_import(
    vocabulary, files, tmp_path
):
    import_documents(files / "good_rows.csv")
    rows = list(csv.reader(io.StringIO((files / "good_rows.csv").read_text(encoding="utf-8"))))
    header = [column.strip().lower() for column in rows[0]]  # the file's headers are " TITLE"...
    bad = ["" for _column in header]
    bad[header.index("title")], bad[header.index("date")] = "A record", "31 February 1946"
    path = write_csv(tmp_path / "again.csv", [*rows, bad])

    result = import_documents(path, skip_errors=True)

    assert (result.created, result.updated, result.unchanged, result.failed) == (0, 0, 3, 1)
    assert result.job is None and ImportJob.objects.count() == 1  # the first import only
    assert result.errors[0].column == "date"
