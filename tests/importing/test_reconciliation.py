"""An import asks each question once, takes the answers, and remembers them (issue 12).

A name the matching policy cannot decide is a question, asked once per distinct written name
with its rows, candidates and a proposed answer; answered in the admin's preview, in a
questions file or by taking every proposal, and remembered as a variant name, so the same file
imported again asks nothing.
"""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from documents.models import Contribution, Document, ImportJob, Person, PersonName
from documents.spreadsheets.undo import undo_import
from tests.importing.conftest import import_rows, write_csv

pytestmark = pytest.mark.django_db

HEADER = ["title", "date", "authors"]


def rows_naming(*cells):
    """A document of 1946 for each authors cell, on rows 2, 3, ..."""
    return [HEADER, *([f"Document {n}", "1946", cell] for n, cell in enumerate(cells, start=2))]


def authors_of(title):
    return [
        (c.person.name, c.name_as_written)
        for c in Document.objects.get(title=title)
        .contributions.filter(role=Contribution.Role.AUTHOR)
        .select_related("person")
    ]


def test_a_likely_spelling_is_asked_once_however_many_rows_hold_it(vocabulary, tmp_path):
    result = import_rows(tmp_path, rows_naming("Ghavam", "I. V. Stalin", "Ghavam", "Ghavam"))

    [question] = result.questions
    qavam = Person.objects.get(name="Qavam")
    assert (question.key, question.written, question.rows) == ("person:Ghavam", "Ghavam", [2, 4, 5])
    assert question.columns == ["authors"] and question.proposed == f"#{qavam.pk}"
    assert [str(c) for c in question.candidates] == [f"Qavam (#{qavam.pk}) (0 documents)"]
    # The three rows wait for it; the errors name the question, which is listed once.
    assert {e.row for e in result.errors} == {2, 4, 5}
    assert all(e.question == "person:Ghavam" for e in result.errors)
    assert not result.written and not Document.objects.exists()


def test_taking_the_proposals_links_the_spelling_and_keeps_it_as_a_variant_name(
    vocabulary, tmp_path
):
    result = import_rows(
        tmp_path, rows_naming("Ghavam", "Ghavam; I. V. Stalin"), accept_suggestions=True
    )

    assert result.ok and result.created == 2 and result.open_questions == 0
    assert authors_of("Document 2") == [("Qavam", "Ghavam")]
    qavam = Person.objects.get(name="Qavam")
    assert list(qavam.variants.values_list("name", flat=True)) == ["Ghavam"]
    assert result.job.new_names == [["documents.Person", qavam.pk, "Ghavam"]]
    assert Person.objects.filter(name="Ghavam").count() == 0


def test_the_same_file_imported_again_asks_nothing_and_writes_nothing(vocabulary, tmp_path):
    rows = rows_naming("Ghavam", "Pishavari", "Bagriov")
    first = import_rows(tmp_path, rows, accept_suggestions=True)
    assert first.ok and len(first.questions) == 3
    people, variants = Person.objects.count(), PersonName.objects.count()

    again = import_rows(tmp_path, rows)

    assert again.ok and again.questions == [] and again.job is None
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (Person.objects.count(), PersonName.objects.count()) == (people, variants)


def test_an_answer_creates_a_separate_person_when_the_curator_says_so(vocabulary, tmp_path):
    result = import_rows(
        tmp_path, rows_naming("Ghavam", "Ghavam"), answers={"person:Ghavam": "new"}
    )

    assert result.ok and result.new_people == ["Ghavam"]
    assert authors_of("Document 2") == authors_of("Document 3") == [("Ghavam", "")]
    assert not PersonName.objects.filter(name="Ghavam").exists()


def test_two_spellings_new_in_the_file_can_be_one_new_person(vocabulary, tmp_path):
    result = import_rows(tmp_path, rows_naming("Ahmad Sadchikov", "A. Sadchikov"))

    [question] = result.questions
    assert question.written == "A. Sadchikov"
    assert question.proposed == "=Ahmad Sadchikov"
    assert dict(question.choices)["=Ahmad Sadchikov"].startswith("One new person")

    done = import_rows(
        tmp_path,
        rows_naming("Ahmad Sadchikov", "A. Sadchikov"),
        answers={question.key: question.proposed},
    )

    assert done.ok and done.new_people == ["Ahmad Sadchikov"]
    person = Person.objects.get(name="Ahmad Sadchikov")
    assert list(person.variants.values_list("name", flat=True)) == ["A. Sadchikov"]
    assert authors_of("Document 3") == [("Ahmad Sadchikov", "A. Sadchikov")]


def test_two_spellings_of_one_person_in_a_cell_make_one_link_and_a_variant(vocabulary, tmp_path):
    result = import_rows(tmp_path, rows_naming("Ja'far Pishevari; jafar pishevari"))

    assert result.ok and result.created == 1
    assert authors_of("Document 2") == [("Ja'far Pishevari", "")]
    assert any("linked once" in note for _row, note in result.notes)


def test_a_spelling_linked_with_its_number_is_remembered_as_a_variant(vocabulary, tmp_path):
    qavam = Person.objects.get(name="Qavam")

    result = import_rows(tmp_path, rows_naming(f"Ghawam [#{qavam.pk}]"))

    assert result.ok and result.questions == []
    assert list(qavam.variants.values_list("name", flat=True)) == ["Ghawam"]
    # Written without its number now, the spelling is simply that person.
    again = import_rows(tmp_path, [HEADER, ["Another", "1947", "Ghawam"]])
    assert again.ok and authors_of("Another") == [("Qavam", "Ghawam")]


def test_an_answer_that_is_not_one_of_the_choices_stops_the_import_naming_it(vocabulary, tmp_path):
    result = import_rows(tmp_path, rows_naming("Ghavam"), answers={"person:Ghavam": "#999999"})

    [problem] = result.file_errors
    assert "'#999999'" in problem and "'Ghavam'" in problem and "person:Ghavam" in problem
    assert not result.written and not Document.objects.exists()


def test_a_shared_name_proposes_nothing_and_takes_the_curators_choice(vocabulary, tmp_path):
    first = Person.objects.create(name="A. Ivanov")
    second = Person.objects.create(name="A. Ivanov")

    asked = import_rows(tmp_path, rows_naming("A. Ivanov"), accept_suggestions=True)
    [question] = asked.questions
    assert question.proposed == "" and asked.open_questions == 1 and not asked.written

    answered = import_rows(
        tmp_path, rows_naming("A. Ivanov"), answers={question.key: f"#{second.pk}"}
    )
    assert answered.ok
    assert Document.objects.get().contributions.get().person_id == second.pk != first.pk


def test_undoing_an_import_takes_away_the_variant_names_it_added(vocabulary, tmp_path):
    result = import_rows(tmp_path, rows_naming("Ghavam"), accept_suggestions=True)
    assert PersonName.objects.filter(name="Ghavam").exists()

    undo_import(result.job)

    assert not PersonName.objects.filter(name="Ghavam").exists()
    assert not Document.objects.exists()


# The command line --------------------------------------------------------------------------


def test_the_command_writes_the_questions_and_reads_the_answers_back(vocabulary, tmp_path, capsys):
    sheet = write_csv(tmp_path / "sheet.csv", rows_naming("Ghavam", "Ghavam", "A. Sadchikov"))
    questions = tmp_path / "questions.csv"

    with pytest.raises(SystemExit):
        call_command("import_documents", str(sheet), "--dry-run", "--questions", str(questions))

    out = capsys.readouterr()
    # Each open question is printed once, not once per row.
    assert out.err.count("person:Ghavam") == 1 and "rows 2-3" in out.err
    with questions.open(encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    [ghavam] = lines
    qavam = Person.objects.get(name="Qavam")
    assert ghavam["question"] == "person:Ghavam" and ghavam["rows"] == "2-3"
    assert ghavam["proposed_answer"] == ghavam["answer"] == f"#{qavam.pk}"
    # The curator decides otherwise, and gives the file back.
    ghavam["answer"] = "new"
    with questions.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(lines[0]))
        writer.writeheader()
        writer.writerows(lines)

    call_command("import_documents", str(sheet), "--answers", str(questions))

    assert Person.objects.filter(name="Ghavam").count() == 1
    assert Document.objects.count() == 3


def test_the_command_takes_every_proposal_when_told_to(vocabulary, tmp_path, capsys):
    sheet = write_csv(tmp_path / "sheet.csv", rows_naming("Ghavam", "Pishavari"))

    call_command("import_documents", str(sheet), "--accept-suggestions")

    assert Document.objects.count() == 2 and Person.objects.filter(name="Ghavam").count() == 0
    assert "Recorded as import #" in capsys.readouterr().out


def test_the_command_prints_each_problem_once_and_records_no_import_that_wrote_nothing(
    vocabulary, tmp_path, capsys
):
    sheet = write_csv(
        tmp_path / "sheet.csv",
        [["title", "date", "curators notes"], ["A letter", "31 February 1946", "x"]],
    )

    with pytest.raises(SystemExit):
        call_command("import_documents", str(sheet))

    out = capsys.readouterr()
    assert out.err.count("31 February 1946") == 1
    assert out.err.count("'curators notes'") == 1 and "Warning: Left out" in out.err
    assert "Recorded as import" not in out.out and not ImportJob.objects.exists()


def test_a_questions_file_of_another_shape_is_refused_with_a_clear_error(vocabulary, tmp_path):
    sheet = write_csv(tmp_path / "sheet.csv", rows_naming("Ghavam"))
    wrong = write_csv(tmp_path / "wrong.csv", [["title"], ["x"]])

    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="must be a questions file"):
        call_command("import_documents", str(sheet), "--answers", str(wrong))


# The admin's preview ----------------------------------------------------------------------


def upload(client, path, **options):
    with path.open("rb") as handle:
        return client.post(
            reverse("admin:documents_document_import"),
            {"import_file": handle, "date_order": "mdy", **options},
        )


def form_answers(response, **changed):
    """The preview's form as posted back: its hidden fields and each question's checked answer."""
    data = {**response.context["confirm_form"].initial}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (False, None)}
    for number, question in response.context["questions"]:
        data[f"question-{number}"] = question.key
        data[f"answer-{number}"] = changed.get(question.written, question.answer)
    return data


def test_the_preview_lists_each_question_once_with_the_proposal_chosen(
    client, importer, vocabulary, tmp_path
):
    client.force_login(importer)
    sheet = write_csv(tmp_path / "sheet.csv", rows_naming("Ghavam", "Ghavam", "Stalin"))

    response = upload(client, sheet)

    page = response.content.decode()
    assert page.count('name="question-') == 2
    assert page.count("<bdi>Ghavam</bdi>") == 1 and "rows 2-3" in page
    assert 'value="#' in page and "checked" in page and "(proposed)" in page
    assert response.context["can_confirm"]
    assert not Document.objects.exists()


def test_confirming_the_preview_applies_the_answers_shown_and_changed(
    client, importer, vocabulary, tmp_path
):
    client.force_login(importer)
    sheet = write_csv(tmp_path / "sheet.csv", rows_naming("Ghavam", "Stalin"))
    preview = upload(client, sheet)

    response = client.post(
        reverse("admin:documents_document_process_import"),
        form_answers(preview, Ghavam="new"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.filter(name="Ghavam").count() == 1  # the curator's answer
    stalin = Person.objects.get(name="I. V. Stalin")
    # The proposal taken: linked, the spelling kept on the document and as a variant name.
    assert list(stalin.variants.values_list("name", flat=True)) == ["Stalin"]
    assert authors_of("Document 3") == [("I. V. Stalin", "Stalin")]


def test_checking_again_shows_the_preview_with_the_changed_answers(
    client, importer, vocabulary, tmp_path
):
    client.force_login(importer)
    sheet = write_csv(tmp_path / "sheet.csv", rows_naming("Ghavam"))
    preview = upload(client, sheet)

    again = client.post(
        reverse("admin:documents_document_process_import"),
        {**form_answers(preview, Ghavam="new"), "check_again": "1"},
    )

    assert again.status_code == 200
    [(_n, question)] = again.context["questions"]
    assert question.answer == "new" and again.context["result"].new_people == []
    assert "Would create 1" in again.context["result"].summary()
    assert not Document.objects.exists()


def test_a_confirmation_missing_an_answer_shows_the_question_again_and_writes_nothing(
    client, importer, vocabulary, tmp_path
):
    client.force_login(importer)
    Person.objects.create(name="A. Ivanov")
    Person.objects.create(name="A. Ivanov")
    sheet = write_csv(tmp_path / "sheet.csv", rows_naming("A. Ivanov"))
    preview = upload(client, sheet)

    response = client.post(
        reverse("admin:documents_document_process_import"), form_answers(preview)
    )

    assert response.status_code == 200 and not Document.objects.exists()
    assert "some questions have no answer yet" in response.content.decode()
    assert [q.written for _n, q in response.context["questions"]] == ["A. Ivanov"]


def test_the_questions_file_lists_candidates_with_what_tells_them_apart(vocabulary, tmp_path):
    from documents.spreadsheets.questions import write_questions

    stalin = Person.objects.get(name="I. V. Stalin")
    stalin.birth_year, stalin.death_year = 1878, 1953
    stalin.save()
    PersonName.objects.create(person=stalin, name="Iosif Stalin")
    result = import_rows(tmp_path, rows_naming("Stalin, I."), dry_run=True)

    target = io.StringIO()
    write_questions(target, result.questions)

    [line] = list(csv.DictReader(io.StringIO(target.getvalue())))
    assert "1878–1953" in line["candidates"] and "also Iosif Stalin" in line["candidates"]
    assert line["choices"].endswith("| new: A new person, 'Stalin, I.'")


# The other authorities ----------------------------------------------------------------------


def test_a_near_collection_title_is_a_question_never_a_silent_new_collection(vocabulary, tmp_path):
    from archive_collections.models import Collection

    rows = [["title", "date", "collections"], ["A letter", "1946", "Iran-Soviet Relation"]]

    asked = import_rows(tmp_path, rows, create_missing=True)

    [question] = asked.questions
    existing = Collection.objects.get(title="Iran-Soviet Relations")
    assert question.key == "collection:Iran-Soviet Relation"
    assert question.proposed == f"#{existing.pk}" and "new" in dict(question.choices)
    assert not asked.written and Collection.objects.count() == 1

    taken = import_rows(tmp_path, rows, create_missing=True, accept_suggestions=True)

    assert taken.ok and Collection.objects.count() == 1
    assert list(Document.objects.get().collections.all()) == [existing]
    existing.refresh_from_db()
    assert existing.other_names == "Iran-Soviet Relation"
    again = import_rows(tmp_path, rows, create_missing=True)
    assert again.ok and again.questions == [] and again.unchanged == 1


def test_a_subject_that_is_a_place_name_is_asked_and_can_go_in_the_places(vocabulary, tmp_path):
    from documents.models import Place, Subject

    rows = [
        ["title", "date", "subjects", "places"],
        ["A letter", "1946", "Azerbaijan Crisis; Tabriz", "Baku"],
    ]

    result = import_rows(tmp_path, rows, create_missing=True, accept_suggestions=True)

    [question] = result.questions
    tabriz = Place.objects.get(name="Tabriz")
    assert question.proposed == f"place#{tabriz.pk}"
    assert result.ok and not Subject.objects.filter(name="Tabriz").exists()
    document = Document.objects.get()
    assert sorted(document.places.values_list("name", flat=True)) == ["Baku", "Tabriz"]
    assert list(document.subjects.values_list("name", flat=True)) == ["Azerbaijan Crisis"]


def test_a_near_place_spelling_is_linked_when_the_proposal_is_taken_even_without_creating(
    vocabulary, tmp_path
):
    from documents.models import Place

    rows = [["title", "date", "places"], ["A letter", "1946", "Teheran"]]

    result = import_rows(tmp_path, rows, accept_suggestions=True)

    [question] = result.questions
    assert "new" not in dict(question.choices)  # 'create missing values' is off
    assert result.ok and list(Document.objects.get().places.all()) == [
        Place.objects.get(name="Tehran")
    ]


def test_a_value_near_nothing_is_still_an_unknown_value_without_create_missing(
    vocabulary, tmp_path
):
    result = import_rows(tmp_path, [["title", "date", "places"], ["A letter", "1946", "Mashhad"]])

    assert result.questions == []
    [error] = result.errors
    assert "'Mashhad' is not a place in the archive" in error.message and not error.question


# Records ------------------------------------------------------------------------------------

TITLE = "Telegram from Sadchikov to Molotov on the Tabriz talks"


def test_a_record_written_with_another_date_form_is_asked_about_and_updated_not_duplicated(
    vocabulary, tmp_path
):
    record = Document.objects.create(title=TITLE, date_text="12 December 1945", summary="Old")
    rows = [["title", "date", "summary"], [TITLE, "December 12, 1945", "New"]]

    asked = import_rows(tmp_path, rows)

    [question] = asked.questions
    assert question.proposed == f"update:{record.record_id}"
    [comparison] = question.comparison.values()
    summary = next(c for c in comparison if c.key == "summary")
    assert (summary.row, summary.record, summary.same) == ("New", "Old", False)
    assert next(c for c in comparison if c.key == "date").same  # the same day, written otherwise

    taken = import_rows(tmp_path, rows, accept_suggestions=True)

    assert taken.ok and taken.updated == 1 and Document.objects.count() == 1
    assert Document.objects.get().summary == "New"
    again = import_rows(tmp_path, rows)
    assert again.ok and again.questions == [] and again.unchanged == 1


def test_a_title_with_words_inserted_on_the_same_day_is_asked_without_a_proposal(
    vocabulary, tmp_path
):
    Document.objects.create(title=TITLE, date_text="12 December 1945")
    longer = "Ciphered telegram from Ambassador Sadchikov to Molotov on the Tabriz talks"
    rows = [["title", "date"], [longer, "12 December 1945"]]

    asked = import_rows(tmp_path, rows, accept_suggestions=True)

    [question] = asked.questions
    assert question.proposed == "" and not asked.written

    separate = import_rows(tmp_path, rows, answers={question.key: "new"})
    assert separate.ok and separate.created == 1 and Document.objects.count() == 2
    again = import_rows(tmp_path, rows)
    assert again.ok and again.questions == [] and again.unchanged == 1


def test_a_row_answered_skip_is_left_out_and_counted(vocabulary, tmp_path):
    Document.objects.create(title=TITLE, date_text="12 December 1945")
    rows = [["title", "date"], [TITLE + " (copy)", "12 December 1945"], ["Another", "1946"]]

    result = import_rows(tmp_path, rows, answers={"record:2": "skip"})

    assert result.ok and (result.created, result.skipped) == (1, 1)
    assert "left out 1" in result.summary()
    assert Document.objects.count() == 2


def test_a_similar_title_on_another_date_is_no_question(vocabulary, tmp_path):
    Document.objects.create(title=TITLE, date_text="12 December 1945")

    result = import_rows(tmp_path, [["title", "date"], [TITLE, "3 March 1946"]])

    assert result.ok and result.questions == [] and result.created == 1


def test_two_rows_of_one_file_with_one_title_and_date_ask_about_the_second(vocabulary, tmp_path):
    rows = [["title", "date"], [TITLE, "12 December 1945"], [TITLE, "December 12, 1945"]]

    result = import_rows(tmp_path, rows)

    [question] = result.questions
    assert question.key == "record:3" and [c for c, _l in question.choices] == ["new", "skip"]
    assert [c.label for c in question.candidates] == ["row 2 of this file"]


def test_a_subject_put_in_the_places_is_not_asked_about_again(vocabulary, tmp_path):
    rows = [["title", "date", "subjects", "places"], ["A letter", "1946", "Tabriz", "Baku"]]
    first = import_rows(tmp_path, rows, create_missing=True, accept_suggestions=True)
    assert first.ok and len(first.questions) == 1

    again = import_rows(tmp_path, rows, create_missing=True)

    assert again.ok and again.questions == [] and again.unchanged == 1
    undo_import(first.job)
    assert import_rows(tmp_path, rows, create_missing=True, dry_run=True).questions != []


def test_the_summary_counts_rows_waiting_for_an_answer_apart_from_errors(vocabulary, tmp_path):
    result = import_rows(
        tmp_path, rows_naming("Ghavam", "Ghavam", "I. V. Stalin") + [["Bad", "31 February 1946"]]
    )

    assert "waiting for an answer 2, errors 1 (of 4 rows)" in result.summary()


def test_a_note_repeated_for_several_rows_is_listed_once_with_its_rows(vocabulary, tmp_path):
    result = import_rows(tmp_path, rows_naming("m. d. bağırov", "m. d. bağırov"), dry_run=True)

    [(rows, note)] = result.grouped_notes
    assert rows == [2, 3] and "please check: 'm. d. bağırov'" in note
