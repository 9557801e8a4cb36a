"""Issue 12's proof: 67 records of 1944-1947 imported as a curator would, answering in the import.

The sheet and the people each name means are in files/authorities-proof*.csv, the archive before
the import and the curator's answers in tests/importing/proof.py. The figures of the closing note
are printed by `test_the_proof_figures` (run pytest with -s).
"""

import csv
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from archive_collections.models import Collection
from documents.models import (
    Document,
    ImportJob,
    Organization,
    Person,
    PersonName,
    Place,
    Subject,
)
from documents.spreadsheets.importing import import_documents
from tests.importing import proof

pytestmark = pytest.mark.django_db

# Near values that differ from an entry by more than case, punctuation or quotes (those are
# linked and listed to check): each must be a question.
ASKED = [
    ("collection", "Iran-Soviet Relatons"),
    ("subject", "Oil concession"),
    ("subject", proof.SUBJECT_THAT_IS_A_PLACE),
    ("place", "Teheran"),
    (proof.FUNDER, "MacArthur Fdn."),
    ("document type", "Telegrams"),
    ("place", "Ardebil"),
]
# Spellings a curator's answer links, and whose person's documents a search for them must find.
SEARCHED = [
    ("Kavam", "qavam"),
    ("Vishinsky", "vyshinsky"),
    ("Mossadegh", "mosaddegh"),
    ("Barzani", "barzani"),
    ("Bagriov", "bagirov"),
    ("Qavam-os-Saltaneh", "qavam"),
    ("Громыко", "andrei-gromyko"),
    ("Sadchikov, I. V.", "sadchikov"),
]


@pytest.fixture
def archive(seeds):
    """The seeds plus A. A. Gromyko and the record of 12 December 1945: {label: person id}."""
    return proof.set_up_archive()


def dry_run(**options):
    return import_documents(proof.SHEET, dry_run=True, create_missing=True, **options)


def import_answered(archive):
    """Import the sheet as it is, with the curator's answers to the dry run's questions."""
    answers = proof.right_answers(dry_run().questions, archive)
    return import_documents(proof.SHEET, create_missing=True, answers=answers)


def test_the_dry_run_asks_about_each_written_value_once_and_writes_nothing(archive):
    people, documents = Person.objects.count(), Document.objects.count()

    questions = dry_run().questions

    assert questions
    twice = [v for v, n in Counter((q.kind, q.written) for q in questions).items() if n > 1]
    assert twice == []
    assert len({q.key for q in questions}) == len(questions)
    rows_of = defaultdict(set)
    for number, _column, name in proof.written_people():
        rows_of[name].add(number)
    for question in questions:
        if question.kind == "person":
            assert set(question.rows) == rows_of[question.written], question.written
    assert (Person.objects.count(), Document.objects.count()) == (people, documents)


def test_a_record_repeated_with_another_date_form_is_asked_and_a_similar_one_is_not(archive):
    by_title = {row["title"]: number for number, row in proof.rows()}

    records = [q for q in dry_run().questions if q.kind == "record"]

    assert [q.rows for q in records] == [[by_title[proof.REPEATED_TITLE]]]
    (record,) = Document.objects.filter(title=proof.REPEATED_TITLE)
    assert f"update:{record.record_id}" in [code for code, _label in records[0].choices]


def test_near_duplicate_vocabulary_is_asked_and_new_values_are_not(archive):
    asked = {(q.kind, q.written) for q in dry_run().questions if q.kind != "person"}

    assert [value for value in ASKED if value not in asked] == []
    assert sorted(asked & proof.NEW_VALUES) == []


def test_answering_in_the_import_gives_one_person_per_real_person(archive):
    people_before = set(Person.objects.values_list("pk", flat=True))
    asked = [q.written for q in dry_run().questions if q.kind == "person"]

    result = import_answered(archive)

    assert result.ok, [str(e) for e in result.errors]
    assert result.open_questions == 0
    problems = proof.check_archive(people_before)
    assert problems == [], "\n".join(problems)
    for one, other in proof.NEAR_PAIRS:
        assert proof.records_per_person()[one] == proof.records_per_person()[other] == 1
    # Every answer is remembered: each spelling asked about is now a name of its person.
    labels = proof.people_map()
    names = set(Person.objects.values_list("name", "name"))
    names |= set(PersonName.objects.values_list("name", "person__name"))
    spellings = {(name, labels.get(display)) for name, display in names}
    assert [name for name in asked if (name, labels[name]) not in spellings] == []


def test_importing_the_sheet_again_asks_nothing_and_writes_nothing(archive):
    import_answered(archive)
    jobs, people = ImportJob.objects.count(), Person.objects.count()
    vocabulary = [m.objects.count() for m in (Collection, Subject, Place, Organization)]

    again = dry_run()
    assert [(q.kind, q.written) for q in again.questions] == []
    assert again.errors == []
    result = import_documents(proof.SHEET, create_missing=True)

    assert result.ok
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(proof.rows()))
    assert (ImportJob.objects.count(), Person.objects.count()) == (jobs, people)
    assert [m.objects.count() for m in (Collection, Subject, Place, Organization)] == vocabulary


def found_by_search(client, query):
    """The record IDs the public search for `query` lists, over every page of results."""
    found, page = set(), 1
    while True:
        response = client.get("/documents/", {"q": query, "page": page})
        assert response.status_code == 200
        found |= {document.record_id for document in response.context["page_obj"].object_list}
        if not response.context["page_obj"].has_next():
            return found
        page += 1


def test_searching_a_spelling_finds_all_of_that_persons_documents(archive, client):
    import_answered(archive)

    for spelling, label in SEARCHED:
        documents = proof.documents_of(label)
        assert len(documents) > 1, label
        missing = documents - found_by_search(client, spelling)
        assert missing == set(), f"'{spelling}' does not find records {sorted(missing)}."


def run_import_command(*args):
    """Run `import_documents` as the shell would; return its exit status."""
    try:
        call_command("import_documents", *map(str, args), stdout=StringIO(), stderr=StringIO())
    except SystemExit as exit:
        return exit.code
    return 0


def test_the_command_line_takes_the_answers_written_in_the_questions_file(archive, tmp_path):
    people_before = set(Person.objects.values_list("pk", flat=True))
    asked = dry_run().questions
    answers = proof.right_answers(asked, archive)
    questions, errors = tmp_path / "questions.csv", tmp_path / "errors.csv"

    run_import_command(
        proof.SHEET,
        "--dry-run",
        "--create-missing",
        "--questions",
        questions,
        "--errors-file",
        errors,
    )
    with questions.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, lines = reader.fieldnames, list(reader)
    assert {line["question"] for line in lines} == set(answers)
    # The curator changes the answers they disagree with, and fills the empty ones.
    edited = []
    for line in lines:
        if line["answer"] != answers[line["question"]]:
            line["answer"] = answers[line["question"]]
            edited.append(line["question"])
    with questions.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(lines)
    status = run_import_command(
        proof.SHEET, "--create-missing", "--answers", questions, "--errors-file", errors
    )

    assert status == 0
    assert sorted(edited) == sorted(q.key for q, _a in proof.explicit_answers(asked, archive))
    problems = proof.check_archive(people_before)
    assert problems == [], "\n".join(problems)


def test_the_proof_figures(archive):
    """Print the closing note's figures; the import itself needs no cell edit."""
    questions = dry_run().questions
    explicit = proof.explicit_answers(questions, archive)
    result = import_answered(archive)
    per_person = proof.records_per_person()

    by_kind = Counter(q.kind for q in questions)
    print(f"\nRows: {len(proof.rows())}; written person names: {len(proof.written_people())}")
    print(
        f"Questions asked: {len(questions)} ({', '.join(f'{k} {n}' for k, n in by_kind.items())})"
    )
    print(f"Explicit answers (the proposal changed): {len(explicit)}")
    for question, answer in explicit:
        print(f"  {question.kind} '{question.written}': proposed {question.proposed!r}, {answer!r}")
    print("Cell edits needed: 0 (the sheet was imported as written)")
    print(
        f"Real people: {len(per_person)}; "
        f"Person records per real person: {dict(Counter(per_person.values()))}"
    )
    assert result.ok
    assert set(per_person.values()) == {1}
