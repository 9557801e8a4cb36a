"""Citations in a spreadsheet: kept exactly as written, never dropped, credits printed once.

Each test imports a sheet as a curator would write it and looks where a reader or a curator
would: the public page's source line, the Chicago note, the downloads, the admin and the export.
"""

import csv
import html
import io
import json
import re

import pytest

from documents.models import Citation, Document, Organization, Person, Repository
from documents.spreadsheets.exporting import export_documents
from documents.spreadsheets.importing import import_documents
from tests.importing.conftest import import_rows

pytestmark = pytest.mark.django_db

HEADING = ["title", "date", "status", "repository", "source", "translators"]


@pytest.fixture
def repo(vocabulary):
    """A repository cited by an abbreviation that a source follows with more words."""
    return Repository.objects.create(abbreviation="REPO", name="Party Archive of the Republic")


def imported(tmp_path, rows, **options):
    result = import_rows(tmp_path, rows, **options)
    assert result.ok, (result.file_errors, [str(e) for e in result.errors])
    return result


def _read(fragment):
    """The text a reader sees: the isolation of titles and names (<bdi>) taken away."""
    return html.unescape(re.sub(r"</?bdi>", "", fragment))


def source_line(client, document):
    body = client.get(document.get_absolute_url()).content.decode()
    return _read(re.search(r'<p class="source"[^>]*>(.*?)</p>', body, re.S).group(1))


def chicago_note(client, document):
    body = client.get(document.get_absolute_url()).content.decode()
    found = re.search(r'<p class="citation" id="chicago-note"[^>]*>(.*?)</p>', body, re.S)
    return _read(found.group(1))


def download(client, document, kind):
    return client.get(f"/documents/{document.record_id}/cite.{kind}").content.decode()


def export_rows():
    target = io.BytesIO()
    export_documents(target, file_format="csv")
    return list(csv.DictReader(io.StringIO(target.getvalue().decode("utf-8-sig"))))


# Kept exactly as written -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("repository", "source", "cited"),
    [
        pytest.param("REPO", "REPO AzR, f. 1, op. 89, d. 90", "REPO", id="beside its repository"),
        pytest.param("", "REPO AzR, f. 1, op. 89, d. 90", "REPO", id="repository read from it"),
        pytest.param("", "RGASPI f. 558, op. 11, d. 317", "RGASPI", id="with no comma"),
        pytest.param(
            "", "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072", "RGASPI", id="as the seeds write"
        ),
        pytest.param("GAPPOD", "GAPPOD, f.1, op.89, d.112", "GAPPOD", id="with no spaces"),
    ],
)
def test_a_citation_is_stored_and_shown_exactly_as_the_sheet_writes_it(
    client, tmp_path, repo, repository, source, cited
):
    imported(tmp_path, [HEADING, ["Letter", "1946", "published", repository, source, ""]])

    document = Document.objects.get()
    assert source_line(client, document) == f"{source}."
    assert f"1946, {source}, Digital Archive" in chicago_note(client, document)
    (citation,) = document.citations.all()
    assert (citation.repository.abbreviation, citation.reference) == (cited, source)
    assert export_rows()[0]["source"] == source


def test_a_reference_written_without_its_repository_is_shown_after_the_repository(
    client, tmp_path, vocabulary
):
    imported(tmp_path, [HEADING, ["Letter", "1946", "published", "RGASPI", "f. 558, op. 11", ""]])

    document = Document.objects.get()
    assert document.citations.get().reference == "f. 558, op. 11"
    assert source_line(client, document) == "RGASPI, f. 558, op. 11."


def test_a_source_beginning_with_another_repository_than_the_repository_column_is_refused(
    tmp_path, vocabulary
):
    result = import_rows(
        tmp_path, [HEADING, ["Letter", "1946", "", "GAPPOD", "RGASPI, f. 558, op. 11", ""]]
    )

    (error,) = result.errors
    assert (error.row, error.column) == (2, "source")
    assert "begins with the repository 'RGASPI', but the column 'repository' names 'GAPPOD'" in (
        error.message
    )
    assert not Document.objects.exists()


# A repository with no reference ----------------------------------------------------------------


def test_a_repository_named_with_no_reference_is_kept_as_a_citation_to_complete(
    client, tmp_path, vocabulary
):
    imported(tmp_path, [HEADING, ["Letter", "1946", "published", "GAPPOD", "", ""]])

    document = Document.objects.get()
    (citation,) = document.citations.all()
    assert (citation.repository.abbreviation, citation.reference) == ("GAPPOD", "")
    assert source_line(client, document) == "GAPPOD."
    assert "1946, GAPPOD, Digital Archive" in chicago_note(client, document)


def test_two_repositories_named_with_no_references_are_two_citations(tmp_path, vocabulary):
    imported(tmp_path, [HEADING, ["Letter", "1946", "", "GAPPOD; RGASPI", "", ""]])

    citations = Document.objects.get().citations.all()
    assert [(str(c.repository), c.reference) for c in citations] == [
        ("GAPPOD", ""),
        ("RGASPI", ""),
    ]


def test_a_repository_unknown_to_the_archive_and_named_with_no_reference_is_an_error_on_its_row(
    tmp_path, vocabulary
):
    result = import_rows(tmp_path, [HEADING, ["Letter", "1946", "", "NARA", "", ""]])

    (error,) = result.errors
    assert (error.row, error.column, error.value) == (2, "repository", "NARA")
    assert "'NARA' is not a repository in the archive" in error.message


# The export round trip -------------------------------------------------------------------------


def test_exporting_and_importing_again_keeps_every_citation_as_written_and_changes_nothing(
    tmp_path, repo
):
    letter = Document.objects.create(record_id=7001, title="Letter", date_text="1946")
    rgaspi = Repository.objects.get(abbreviation="RGASPI")
    written = [
        (repo, "REPO AzR, f. 1, op. 89, d. 90"),
        (rgaspi, "f. 558, op. 11"),  # as the admin's inline takes it, beside the repository
        (Repository.objects.get(abbreviation="GAPPOD"), ""),
        (rgaspi, "RGASPI f. 17; op. 3"),
    ]
    for order, (repository, reference) in enumerate(written):
        Citation.objects.create(
            document=letter, repository=repository, reference=reference, order=order
        )
    target = tmp_path / "export.csv"
    with target.open("wb") as handle:
        export_documents(handle, file_format="csv")

    again = import_documents(target)

    assert again.ok and again.unchanged == 1 and again.updated == 0, [str(e) for e in again.errors]
    assert [(c.repository, c.reference) for c in letter.citations.all()] == written


# Credits printed once --------------------------------------------------------------------------


SEED_CREDITS = [
    pytest.param(
        "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072. Translated by Gary Goldberg.",
        {"translators": "Gary Goldberg"},
        "Translated by Gary Goldberg.",
        id="seed 000: translated",
    ),
    pytest.param(
        "GAPPOD, f.1, op.89, d.112. Obtained for CWIHP by Jamil Hasanli and translated for CWIHP "
        "by Gary Goldberg.",
        {
            "obtained_by": "Jamil Hasanli",
            "obtained_for": "CWIHP",
            "translators": "Gary Goldberg",
            "translated_for": "CWIHP",
        },
        "Obtained for CWIHP by Jamil Hasanli and translated for CWIHP by Gary Goldberg.",
        id="seed 001: obtained and translated for CWIHP",
    ),
    pytest.param(
        "RGASPI, f. 558, op. 11, d. 99, ll. 0049-0051. Contributed by Jamil Hasanli and "
        "translated by Gary Goldberg.",
        {"contributors": "Jamil Hasanli", "translators": "Gary Goldberg [#{goldberg}]"},
        "Contributed by Jamil Hasanli and translated by Gary Goldberg.",
        id="seed 004: contributed and translated",
    ),
]


@pytest.mark.parametrize(("source", "credit_cells", "credit"), SEED_CREDITS)
def test_a_credit_copied_into_the_source_appears_once_on_the_page_and_in_every_citation_format(
    client, tmp_path, vocabulary, source, credit_cells, credit
):
    Organization.objects.create(name="Cold War International History Project", abbreviation="CWIHP")
    goldberg = Person.objects.get(name="Gary Goldberg").pk
    cells = [cell.format(goldberg=goldberg) for cell in credit_cells.values()]
    heading = ["title", "date", "status", "source", *credit_cells]
    result = imported(tmp_path, [heading, ["Letter", "1946", "published", source, *cells]])
    assert result.notes == [
        (
            2,
            f"source: the credit '{credit}' after the citation is the one the page prints from "
            "the credit columns, so the citation is kept without it.",
        )
    ]

    document = Document.objects.get()
    citation = source[: source.index(credit)].strip()
    line = source_line(client, document)
    assert line == f"{citation} {credit}"
    assert document.citations.get().reference == citation
    note = chicago_note(client, document)
    assert note.count("Gary Goldberg") == 1 and note.count("trans") == 1
    assert note.count("Jamil Hasanli") == 0
    ris = download(client, document, "ris")
    assert ris.count("Gary Goldberg") == 1 and "A4  - Gary Goldberg" in ris
    bibtex = download(client, document, "bib")
    # A name with no comma in its sort name is kept whole: BibTeX would invert it otherwise.
    assert bibtex.count("Gary Goldberg") == 1 and "translator = {{Gary Goldberg}}" in bibtex
    (item,) = json.loads(download(client, document, "json"))
    assert item["translator"] == [{"literal": "Gary Goldberg"}]
    # The repository has a field of its own (`archive`); the location is the reference within it.
    repository = document.citations.get().repository
    assert item["archive"] == repository.name
    assert citation.rstrip(".").endswith(item["archive_location"])
    assert not item["archive_location"].startswith(repository.abbreviation)
    assert "Goldberg" not in json.dumps({k: v for k, v in item.items() if k != "translator"})


@pytest.mark.parametrize(
    ("credit_cells", "problem"),
    [
        pytest.param({}, "the column 'translators' does not name Gary Goldberg", id="no column"),
        pytest.param(
            {"translators": "Jamil Hasanli"},
            "the column 'translators' does not name Gary Goldberg",
            id="someone else",
        ),
    ],
)
def test_a_credit_in_the_source_that_the_credit_columns_do_not_give_is_an_error_naming_the_row(
    tmp_path, vocabulary, credit_cells, problem
):
    source = "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072. Translated by Gary Goldberg."
    heading = ["title", "date", "source", *credit_cells]
    result = import_rows(tmp_path, [heading, ["Letter", "1946", source, *credit_cells.values()]])

    (error,) = result.errors
    assert (error.row, error.column, error.value) == (2, "source", source)
    assert problem in error.message
    assert "ends with a credit, 'Translated by Gary Goldberg.'" in error.message
    assert not Document.objects.exists()


def test_a_credit_for_an_organization_the_for_column_does_not_name_is_an_error(
    tmp_path, vocabulary
):
    source = "GAPPOD, f.1, op.89, d.112. Obtained for CWIHP by Jamil Hasanli."
    heading = ["title", "date", "source", "obtained_by"]
    result = import_rows(tmp_path, [heading, ["Letter", "1946", source, "Jamil Hasanli"]])

    (error,) = result.errors
    assert (error.row, error.column) == (2, "source")
    assert "the column 'obtained_for' does not name CWIHP" in error.message


def test_the_preview_shows_a_changed_citation_as_the_page_will_print_it(tmp_path, repo):
    letter = Document.objects.create(record_id=7001, title="Letter", date_text="1946")
    Citation.objects.create(document=letter, repository=repo, reference="f. 1, op. 89")
    heading = ["record_id", "repository", "source"]

    result = import_rows(
        tmp_path,
        [heading, ["7001", "REPO", "REPO AzR, f. 1, op. 89, d. 90"]],
        dry_run=True,
        preview_limit=10,
    )

    (row,) = result.preview
    assert row.diff == [("citations", "REPO, f. 1, op. 89", "REPO AzR, f. 1, op. 89, d. 90")]
