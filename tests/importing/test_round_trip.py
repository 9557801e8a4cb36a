"""Export then import, per format, at the limits: every field of every record comes back.

The records hold texts of 32,767 characters (XLSX's cell limit), 131,072 (Python's default CSV
field limit) and 200,000; people whose names hold ';', quotes and line breaks; every credit,
with whom it was for; funders left out of the credit line; related documents; an original
uploaded date. `snapshot` reads every field the model holds for a record (all but the row's
own id and its created and modified times, and the order of people across roles) and the test
compares them before and after. Scans are files, not spreadsheet cells: not part of it.
"""

import datetime

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from archive_collections.models import Collection
from documents.models import (
    Citation,
    Classification,
    Contribution,
    Document,
    DocumentText,
    DocumentType,
    Funding,
    Language,
    Organization,
    Person,
    Place,
    Repository,
    Status,
    Subject,
)
from documents.spreadsheets.exporting import ExportError, export_documents
from documents.spreadsheets.importing import import_documents
from tests.importing.conftest import write_csv

pytestmark = pytest.mark.django_db
_ZONE = timezone.get_default_timezone()
Role = Contribution.Role

NAMES = {
    "semicolon": "Smith; John",
    "quotes": 'Ja\'far "the Elder" Pishevari',
    "line break": "Nikolai\nNovikov",
    "backslash": "A. \\ Backslash\\",
}


def _text(length, seed):
    """A text of `length` characters with line breaks, quotes, ';' and non-Latin letters."""
    unit = f'{seed}: "Cde." Пишевари; ‘quoted’ — line\n'
    return (unit * (length // len(unit) + 1))[: length - 1] + "."


def _build_archive(*, long_texts):
    """Two published records and a draft, linked every way a record can be."""
    cwihp = Organization.objects.create(name="Cold War International History Project")
    macarthur = Organization.objects.create(name="MacArthur Foundation")
    levy = Organization.objects.create(name="Leon Levy Foundation")
    rgaspi = Repository.objects.create(abbreviation="RGASPI", name="Russian State Archive")
    people = {key: Person.objects.create(name=name) for key, name in NAMES.items()}
    stalin = Person.objects.create(name="I. V. Stalin")
    letter = Document.objects.create(
        record_id=101,
        title='Letter; with "quotes" and a line\nbreak',
        date_text="May 8, 1946",
        document_type=DocumentType.objects.create(name="Letter"),
        classification=Classification.objects.create(name="Top Secret", rank=40),
        summary=_text(long_texts[0], "summary"),
        text=_text(long_texts[1], "text"),
        transcript=_text(long_texts[2], "transcript"),
        status=Status.PUBLISHED,
        # A cable's header: every transmission detail.
        outgoing_number="8924",
        form_number="18",
        special_numbers="484-487",
        received_text="0450, 8 May 1946",
        sent_text="Sent at 0850,\n8 May 1946",
        addressee="TO SADCHIKOV; to whom",
        copy_number="1",
        sent_by="OPS Duty Officer Kupryazhina",
        received_by="Korshunova",
        origin=Place.objects.create(name="Moscow"),
    )
    Document.objects.filter(pk=letter.pk).update(
        first_published_at=datetime.datetime(2011, 11, 3, tzinfo=_ZONE)
    )
    telegram = Document.objects.create(
        record_id=102, title="Telegram", date_text="1946-05", status=Status.WITHDRAWN
    )
    draft = Document.objects.create(record_id=103, title="Draft", date_text="undated")
    letter.languages.add(Language.objects.create(name="Russian", code="ru"))
    letter.subjects.add(Subject.objects.create(name="Azerbaijan Crisis; 1946"))
    letter.places.add(*(Place.objects.create(name=n) for n in ("Tabriz", "Tehran")))
    Document.objects.filter(pk=letter.pk).update(destination=Place.objects.get(name="Tehran"))
    letter.related.add(telegram, draft)
    Collection.objects.create(title="Iran-Soviet Relations").documents.add(letter, telegram)
    Citation.objects.create(document=letter, repository=rgaspi, reference="f. 558; op. 11", order=0)
    Citation.objects.create(document=letter, repository=rgaspi, reference="", order=1)
    Funding.objects.create(document=letter, organization=macarthur, credited=True, order=0)
    Funding.objects.create(document=letter, organization=levy, credited=False, order=1)
    credits = [
        (stalin, Role.AUTHOR, None, ""),
        (people["semicolon"], Role.RECIPIENT, None, ""),
        (people["quotes"], Role.RECIPIENT, None, ""),
        (people["line break"], Role.MENTIONED, None, ""),
        (people["backslash"], Role.COPIED_TO, None, ""),
        (people["semicolon"], Role.OBTAINED_BY, cwihp, ""),
        (people["quotes"], Role.OBTAINED_BY, None, ""),
        (people["line break"], Role.TRANSLATOR, cwihp, ""),
        (stalin, Role.CONTRIBUTOR, macarthur, "Iosif Stalin"),
    ]
    for order, (person, role, behalf, written) in enumerate(credits):
        Contribution.objects.create(
            document=letter,
            person=person,
            role=role,
            on_behalf_of=behalf,
            name_as_written=written,
            order=order,
        )
    Contribution.objects.create(document=telegram, person=stalin, role=Role.AUTHOR)
    # Further texts: two translations (one by a person with a hard name) and a transcript.
    german = Language.objects.create(name="German", code="de")
    persian = Language.objects.create(name="Persian", code="fa")
    DocumentText.objects.create(
        document=letter,
        language=german,
        text=_text(long_texts[2], "translation_2"),
        translator=people["quotes"],
        note="From the Russian; notes; \\ and “quotes”",
    )
    DocumentText.objects.create(document=letter, language=persian, text="رفیق پیشه‌وری!\n\nدوم")
    DocumentText.objects.create(
        document=letter,
        kind=DocumentText.Kind.TRANSCRIPT,
        language=persian,
        text=_text(long_texts[2], "transcript_2"),
        note="The Persian copy",
    )


def snapshot(*, by_name=False):
    """Every field of every record, by record ID; `by_name`: people and entries by name only."""
    skipped = {"id", "created_at", "updated_at"}
    found = {}
    documents = Document.objects.prefetch_related(
        "languages",
        "subjects",
        "places",
        "related",
        "collections",
        "contributions__person",
        "contributions__on_behalf_of",
        "citations__repository",
        "fundings__organization",
        "texts__language",
        "texts__translator",
    ).select_related("document_type", "classification", "rights")
    for document in documents:
        record = {}
        for field in Document._meta.concrete_fields:
            if field.name in skipped:
                continue
            value = getattr(document, field.name)
            if field.is_relation:
                value = str(value) if value is not None else None
            elif field.name == "first_published_at" and value is not None:
                value = value if not by_name else timezone.localdate(value, _ZONE)
            record[field.name] = value
        for name in ("languages", "subjects", "places", "collections"):
            record[name] = sorted(str(entry) for entry in getattr(document, name).all())
        record["related"] = sorted(d.record_id for d in document.related.all())
        # People in order within each role (a role is a column; the order across roles, which
        # the admin's inline also keeps, is not the spreadsheet's).
        record["contributions"] = [
            (
                c.role,
                c.name_as_written or c.person.name if by_name else (c.person_id, c.name_as_written),
                str(c.on_behalf_of) if c.on_behalf_of else None,
            )
            for c in sorted(document.contributions.all(), key=lambda c: (c.role, c.order, c.pk))
        ]
        record["citations"] = [(str(c.repository), c.reference) for c in document.citations.all()]
        record["fundings"] = [(str(f.organization), f.credited) for f in document.fundings.all()]
        record["texts"] = [
            (
                t.kind,
                str(t.language),
                t.text,
                (str(t.translator) if by_name else t.translator_id) if t.translator else None,
                t.note,
            )
            for t in document.texts.all()
        ]
        found[document.record_id] = record
    return found


def _export(tmp_path, file_format, **options):
    path = tmp_path / f"export.{file_format}"
    with path.open("wb") as target:
        export_documents(target, file_format=file_format, **options)
    return path


def _empty_the_archive():
    """What a new archive has: no documents, people, vocabulary entries or collections."""
    Document.objects.all().delete()
    for model in (
        Person,
        Organization,
        Repository,
        DocumentType,
        Classification,
        Language,
        Subject,
        Place,
        Collection,
    ):
        model.objects.all().delete()


LIMITS = {
    "csv": (32_767, 131_072, 200_000),
    "ods": (32_767, 131_072, 200_000),
    "xlsx": (32_767, 32_767, 32_767),
}


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_export_then_import_into_the_same_archive_changes_nothing_and_restores_everything(
    tmp_path, file_format
):
    _build_archive(long_texts=LIMITS[file_format])
    before = snapshot()
    path = _export(tmp_path, file_format)

    again = import_documents(path)
    assert again.ok, (again.file_errors, again.errors)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    Document.objects.all().delete()
    result = import_documents(path)

    assert result.ok, (result.file_errors, result.errors)
    assert result.created == 3
    assert snapshot() == before


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_the_export_for_a_new_archive_imports_into_an_empty_one_with_every_field(
    tmp_path, file_format
):
    _build_archive(long_texts=LIMITS[file_format])
    before = snapshot(by_name=True)
    path = _export(tmp_path, file_format, for_new_archive=True)
    _empty_the_archive()

    result = import_documents(path, create_missing=True)

    assert result.ok, (result.file_errors, result.errors)
    assert result.created == 3
    assert snapshot(by_name=True) == before


def test_the_plain_export_names_people_the_new_archive_does_not_have(tmp_path):
    _build_archive(long_texts=(10, 10, 10))
    path = _export(tmp_path, "csv")
    _empty_the_archive()

    result = import_documents(path, create_missing=True)

    assert not result.ok
    assert "There is no person number" in result.errors[0].message


@pytest.mark.parametrize("length", [32_768, 131_072, 200_000])
def test_an_xlsx_export_of_a_longer_text_is_refused_before_anything_is_written(tmp_path, length):
    _build_archive(long_texts=(10, length, 10))
    path = tmp_path / "export.xlsx"

    with path.open("wb") as target, pytest.raises(ExportError) as refused:
        export_documents(target, file_format="xlsx")

    assert path.stat().st_size == 0
    assert str(refused.value) == (
        "Nothing was exported: XLSX holds at most 32,767 characters in a cell, and these texts "
        f"are longer: record 101, text ({length:,} characters). Export to CSV or ODS, which "
        "hold every text whole."
    )


def test_the_export_command_refuses_xlsx_for_a_long_text_and_leaves_no_file(tmp_path):
    _build_archive(long_texts=(10, 200_000, 10))
    path = tmp_path / "export.xlsx"

    with pytest.raises(CommandError, match="record 101, text .200,000 characters.. Export to CSV"):
        call_command("export_documents", str(path))

    assert not path.exists()
    call_command("export_documents", str(tmp_path / "export.ods"))
    assert (tmp_path / "export.ods").stat().st_size > 0


def test_the_admin_export_says_which_records_xlsx_cannot_hold_and_offers_csv_and_ods(
    client, importer, tmp_path
):
    _build_archive(long_texts=(10, 200_000, 10))
    client.force_login(importer)

    response = client.get("/admin/documents/document/export/", {"format": "xlsx"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "record 101, text (200,000 characters)" in page
    assert "Download as CSV" in page and "Download as ODS" in page
    assert "Download as XLSX" not in page
    csv_file = client.get("/admin/documents/document/export/", {"format": "csv"})
    assert csv_file["Content-Type"] == "text/csv"


def test_the_admin_export_for_a_new_archive_writes_names_without_numbers(client, importer):
    _build_archive(long_texts=(10, 10, 10))
    Person.objects.create(name="I. V. Stalin")  # a namesake: the plain export writes [#id]
    client.force_login(importer)

    plain = client.get("/admin/documents/document/export/", {"format": "csv"})
    fresh = client.get(
        "/admin/documents/document/export/", {"format": "csv", "for_new_archive": "1"}
    )

    assert "I. V. Stalin [#" in plain.content.decode("utf-8-sig")
    text = fresh.content.decode("utf-8-sig")
    assert "I. V. Stalin [new]" in text and "[#" not in text
    form = client.get("/admin/documents/document/export/").content.decode()
    assert 'name="for_new_archive"' in form


def test_an_xlsx_cell_cut_at_the_format_limit_is_not_written_over_the_whole_text(tmp_path):
    document = Document.objects.create(record_id=5, title="Long", text=_text(200_000, "t"))
    cut = write_csv(tmp_path / "cut.csv", [["record_id", "text"], ["5", document.text[:32_767]]])
    path = tmp_path / "cut.xlsx"
    workbook = openpyxl.Workbook()
    for row in [["record_id", "text"], [5, document.text[:32_767]]]:
        workbook.active.append(row)
    workbook.save(path)

    result = import_documents(path)

    assert not result.ok
    error = result.errors[0]
    assert (error.row, error.column) == (2, "text")
    assert "exactly 32,767 characters, the most an XLSX cell can hold" in error.message
    assert "200,000 characters long: the file cut it" in error.message
    document.refresh_from_db()
    assert len(document.text) == 200_000
    # The same prefix from a CSV is a curator's edit, and is written.
    assert import_documents(cut).updated == 1


def test_a_related_record_that_is_neither_in_the_archive_nor_the_file_is_refused(tmp_path):
    path = write_csv(
        tmp_path / "related.csv",
        [["record_id", "title", "related"], ["1", "One", "2"], ["3", "Three", "4; 2"]],
    )

    result = import_documents(path)

    assert result.file_errors == [
        "Row 2, column related: there is no record 2 in the archive or in this file ('2'). "
        "Nothing was imported; correct the record number or add that record's row.",
        "Row 3, column related: there is no record 4 in the archive or in this file ('4; 2'). "
        "Nothing was imported; correct the record number or add that record's row.",
    ]
    assert not Document.objects.exists()


def test_names_with_semicolons_are_split_only_at_unescaped_separators(tmp_path):
    Person.objects.create(name="Smith; John")
    Person.objects.create(name="Doe")
    path = write_csv(
        tmp_path / "names.csv", [["title", "authors"], ["A letter", "Smith\\; John; Doe"]]
    )

    result = import_documents(path)

    assert result.ok, result.errors
    names = [c.person.name for c in Document.objects.get().contributions.order_by("order")]
    assert names == ["Smith; John", "Doe"]


def test_the_export_action_on_selected_records_says_why_xlsx_cannot_hold_them(client, importer):
    from django.urls import reverse

    _build_archive(long_texts=(10, 200_000, 10))
    client.force_login(importer)
    changelist = reverse("admin:documents_document_changelist")
    letter = Document.objects.get(record_id=101)

    response = client.post(
        changelist,
        {"action": "export_selected_xlsx", "_selected_action": [letter.pk]},
        follow=True,
    )

    assert response.redirect_chain[-1][0].startswith(changelist)
    page = response.content.decode()
    assert "Nothing was exported: XLSX holds at most 32,767 characters" in page
    assert "record 101, text (200,000 characters)" in page
