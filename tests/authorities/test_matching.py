"""One policy decides which person a written name means, and its four users agree on it.

The same names go through the policy itself (documents.authorities.matching), the import, the
admin's "a person like this already exists" warning, the benchmark generator's cells and the
export's labels; each must come to the decision the policy gives.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.authorities.matching import (
    AMBIGUOUS,
    LIKELY,
    NEW,
    SAME,
    Decision,
    PersonMatcher,
    name_owners,
    read_cell,
    write_cell,
)
from documents.generating.spreadsheet import ResolvedNames
from documents.models import Contribution, Document, Person, PersonName
from documents.spreadsheets.cells import person_label
from tests.importing.conftest import import_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """People as curators have entered them: display names, a variant, a shared name."""
    bagirov = Person.objects.create(name="M. D. Bagirov")
    PersonName.objects.create(person=bagirov, name="M.D. Bagriov", kind=PersonName.Kind.MISSPELLING)
    return {
        "Qavam": Person.objects.create(name="Qavam").pk,
        "Ja'far Pishevari": Person.objects.create(name="Ja'far Pishevari").pk,
        "Joseph Stalin": Person.objects.create(name="Joseph Stalin").pk,
        "M. D. Bagirov": bagirov.pk,
        "A. Ivanov": sorted(Person.objects.create(name="A. Ivanov").pk for _ in range(2)),
    }


# (written name, decision, whom it means: a name from the fixture, or None)
NAMES = [
    ("Qavam", SAME, "Qavam"),
    ("jafar PISHEVARI", SAME, "Ja'far Pishevari"),
    ("M.D. Bagriov", SAME, "M. D. Bagirov"),
    ("A. Ivanov", AMBIGUOUS, "A. Ivanov"),
    ("Ghavam", LIKELY, "Qavam"),
    ("Jafar Pishavari", LIKELY, "Ja'far Pishevari"),
    # A surname alone is whole words of a display name: the admin always warned about it,
    # while the import used to create a second Pishevari without a word.
    ("Pishavari", LIKELY, "Ja'far Pishevari"),
    ("Pishevari", LIKELY, "Ja'far Pishevari"),
    ("Stalin", LIKELY, "Joseph Stalin"),
    # Folded: Azerbaijani Latin letters and another script are the same name key.
    ("m. d. bağırov", SAME, "M. D. Bagirov"),
    ("Джафар Пишевари", LIKELY, "Ja'far Pishevari"),
    # An inverted name is a question (the admin used to miss it: issue 12).
    ("Stalin, Joseph", LIKELY, "Joseph Stalin"),
    ("Stalin, I.", LIKELY, "Joseph Stalin"),
    ("Vyacheslav Molotov", NEW, None),
]


def import_authors(directory, *authors, **options):
    """Import a document of 1946 for each cell of `authors`, on rows 2, 3, ..."""
    rows = [[f"Document {row}", "1946", cell] for row, cell in enumerate(authors, start=2)]
    return import_rows(directory, [["title", "date", "authors"], *rows], **options)


def meant(people, whom):
    ids = people[whom] if whom else []
    return tuple(ids) if isinstance(ids, list) else (ids,)


@pytest.mark.parametrize(("written", "kind", "whom"), NAMES)
def test_the_policy_decides_each_name(people, written, kind, whom):
    decision = PersonMatcher().decide(written)

    assert (decision.kind, decision.people) == (kind, meant(people, whom))


@pytest.mark.parametrize(("written", "kind", "whom"), NAMES)
def test_the_import_links_asks_or_creates_as_the_policy_decides(
    people, tmp_path, written, kind, whom
):
    before = Person.objects.count()

    result = import_authors(tmp_path, written)

    if kind == SAME:
        author = Document.objects.get().contributions.get(role=Contribution.Role.AUTHOR)
        assert result.ok and author.person_id == people[whom]
    elif kind in (AMBIGUOUS, LIKELY):
        [question] = result.questions
        [error] = result.errors
        assert question.written == written and question.rows == [2]
        assert error.question == question.key and not result.written
        codes = [code for code, _label in question.choices]
        assert codes == [f"#{pid}" for pid in meant(people, whom)] + ["new"]
        # A likely name proposes its one candidate; a shared name leaves the choice open.
        assert question.proposed == ("" if kind == AMBIGUOUS else f"#{people[whom]}")
        reason = "more than one person" if kind == AMBIGUOUS else "is likely the same person"
        assert reason in question.reason
    else:
        assert result.ok and result.new_people == [written]
    # Never a person merged away or split in two: only a NEW name adds one.
    assert Person.objects.count() == before + (kind == NEW)


@pytest.mark.parametrize(("written", "kind", "whom"), NAMES)
def test_the_admin_warns_about_every_name_the_policy_does_not_call_new(
    client, curator, people, written, kind, whom
):
    client.force_login(curator)
    data = {"name": written, "variants-TOTAL_FORMS": "0", "variants-INITIAL_FORMS": "0"}

    response = client.post(reverse("admin:documents_person_add"), data)

    if kind == NEW:
        assert response.status_code == 302
        return
    error = response.context["adminform"].form.errors["name"][0]
    assert "closely matches a person already in the archive" in error
    for pid in meant(people, whom):
        assert reverse("admin:documents_person_change", args=[pid]) in error


@pytest.mark.parametrize(("written", "kind", "whom"), NAMES)
def test_the_generator_writes_the_decision_the_import_needs_in_the_cell(
    people, tmp_path, written, kind, whom
):
    cell = ResolvedNames().cell(written)

    expected = {
        SAME: written,
        AMBIGUOUS: write_cell(written, person_id=min(meant(people, whom) or [0])),
        LIKELY: write_cell(written, new=True),
        NEW: written,
    }[kind]
    assert cell == expected
    result = import_authors(tmp_path, cell)
    assert result.ok, result.errors
    author = Document.objects.get().contributions.get(role=Contribution.Role.AUTHOR)
    if kind in (SAME, AMBIGUOUS):
        assert author.person_id == min(meant(people, whom))
    else:
        assert author.person.name == written and author.person_id not in meant(people, whom)


@pytest.mark.parametrize(("written", "kind", "whom"), NAMES)
def test_the_export_marks_a_name_with_its_person_wherever_the_policy_would_not_find_them(
    people, tmp_path, written, kind, whom
):
    owners = name_owners()
    for pid in Person.objects.values_list("pk", flat=True):
        label = person_label(written, pid, owners)

        alone = kind == SAME and meant(people, whom) == (pid,)
        assert label == (written if alone else write_cell(written, person_id=pid))
        # What the export writes imports back as the same person.
        assert import_authors(tmp_path, label, dry_run=True).ok


def test_likely_matches_read_by_sql_or_from_every_name_agree(people):
    PersonName.objects.create(person_id=people["Qavam"], name="Ahmad Qavam-os-Saltaneh")
    names = [written for written, _kind, _whom in NAMES] + ["Saltaneh", "Ahmad", "Qavam os"]
    by_sql = PersonMatcher()
    by_sql.SQL_LOOKUPS = 1_000
    read_once = PersonMatcher()
    read_once.SQL_LOOKUPS = 0

    by_sql.load(names)
    read_once.load(names)

    assert [by_sql.decide(n) for n in names] == [read_once.decide(n) for n in names]
    assert by_sql._words is None and read_once._words is not None


def test_a_batch_of_names_is_decided_in_a_fixed_number_of_queries(people):
    names = [f"Newname{i} Pishavari" for i in range(300)] + [w for w, _k, _p in NAMES]
    matcher = PersonMatcher()

    with CaptureQueriesContext(connection) as loading:
        matcher.load(names)
    with CaptureQueriesContext(connection) as deciding:
        decisions = [matcher.decide(n) for n in names]

    assert len(loading) <= 8 and len(deciding) == 0
    assert {d.kind for d in decisions} == {SAME, AMBIGUOUS, LIKELY, NEW}


def test_a_person_new_in_the_file_is_matched_like_one_in_the_archive(db, tmp_path):
    result = import_authors(tmp_path, "Ja'far Pishevari", "jafar pishevari", "Pishavari")

    [error] = result.errors
    [question] = result.questions
    assert error.row == 4 and "Ja'far Pishevari, new in this file" in question.reason
    assert question.proposed == "=Ja'far Pishevari"
    matcher = PersonMatcher()
    matcher.add(-1, "Ja'far Pishevari")
    assert matcher.decide("jafar pishevari").people == (-1,)
    assert matcher.decide("Pishavari").kind == LIKELY


def test_a_cell_is_read_back_as_it_was_written():
    for cell in (
        write_cell("Ghavam", person_id=12),
        write_cell("Ghavam", new=True),
        write_cell("Ghavam"),
    ):
        written = read_cell(cell)
        assert write_cell(written.name, person_id=written.person_id, new=written.new) == cell
    assert read_cell("Ghavam [ # 12 ]").person_id == 12
    assert read_cell("Ghavam [NEW]").new


def test_a_cell_with_an_editors_identification_is_read_as_the_name_and_the_person_meant():
    cell = read_cell("Filippov [I. V. Stalin]")

    assert (cell.name, cell.identified, cell.meant) == ("Filippov", "I. V. Stalin", "I. V. Stalin")
    assert write_cell("Filippov", identified="I. V. Stalin") == "Filippov [I. V. Stalin]"
    # Brackets with no letters are part of the name; '[#id]' and '[new]' stay decisions.
    assert read_cell("Ivanov [?]").name == "Ivanov [?]"
    assert read_cell("Filippov [#3]").identified == ""


def test_a_code_name_with_the_editors_identification_links_the_person_identified(people, tmp_path):
    result = import_authors(tmp_path, "Filippov [Joseph Stalin]")

    assert result.ok, result.errors
    author = Document.objects.get().contributions.get(role=Contribution.Role.AUTHOR)
    assert (author.person_id, author.name_as_written) == (people["Joseph Stalin"], "Filippov")
    assert not result.new_people


def test_an_identification_naming_nobody_in_the_archive_creates_that_person(people, tmp_path):
    result = import_authors(tmp_path, "Direktor [Fitin]")

    assert result.ok, result.errors
    author = Document.objects.get().contributions.get(role=Contribution.Role.AUTHOR)
    assert (author.person.name, author.name_as_written) == ("Fitin", "Direktor")


def test_a_name_linked_on_folded_keys_alone_is_marked_for_a_curator_to_check(people):
    matcher = PersonMatcher()

    exact, folded = matcher.decide("M.D. Bagriov"), matcher.decide("m. d. bağırov")

    assert (exact.kind, exact.grade, exact.please_check) == (SAME, "same", False)
    assert (folded.kind, folded.grade, folded.please_check) == (SAME, "folded", True)
    assert folded.person == exact.person == people["M. D. Bagirov"]
    assert matcher.decide("Ghavam").grade == "likely"


def test_a_variant_does_not_make_likely_someone_whose_display_name_gives_other_forenames():
    beria = Person.objects.create(name="L. P. Beria")
    PersonName.objects.create(person=beria, name="Beria")
    matcher = PersonMatcher()

    assert matcher.decide("Mohammad Biriya") == Decision(NEW)
    assert matcher.decide("Lavrenty Beria") == Decision(LIKELY, (beria.pk,), LIKELY)
    assert matcher.decide("Biriya") == Decision(LIKELY, (beria.pk,), LIKELY)


def test_a_person_is_likely_under_a_variant_that_holds_the_name_or_that_it_holds():
    derakhshani = Person.objects.create(name="General Derakhshani")
    PersonName.objects.create(person=derakhshani, name="Derakhshani")
    ashraf = Person.objects.create(name="Ashraf Pahlavi")
    PersonName.objects.create(person=ashraf, name="Princess Ashraf Pahlavi")
    matcher = PersonMatcher()

    assert matcher.decide("Ali Akbar Derakhshani").people == (derakhshani.pk,)
    assert matcher.decide("Princess Ashraf").people == (ashraf.pk,)


def proposal(directory, *authors):
    """The proposed answer of the question about the last of `authors`."""
    questions = import_authors(directory, *authors, dry_run=True).questions
    return {question.written: question.proposed for question in questions}[authors[-1]]


def test_no_proposal_names_a_person_whose_full_name_gives_other_forenames(tmp_path):
    gromyko = Person.objects.create(name="A. A. Gromyko")
    PersonName.objects.create(person=gromyko, name="Andrei Andreyevich Gromyko")

    assert proposal(tmp_path, "Anatoly Gromyko") == ""
    assert proposal(tmp_path, "Andrey Gromyko") == f"#{gromyko.pk}"


def test_the_proposal_is_the_candidate_whose_names_hold_every_written_word(tmp_path):
    shah = Person.objects.create(name="Mohammad Reza Pahlavi")
    PersonName.objects.create(person=shah, name="Mohammad Reza Shah")
    beria = Person.objects.create(name="L. P. Beria")
    PersonName.objects.create(person=beria, name="Beria")

    shahs = proposal(tmp_path, "Reza Shah Pahlavi [new]", "Mohammad Reza Shah Pahlavi")
    biriya = proposal(tmp_path, "Mohammad Biriya", "Biriya")

    assert shahs == f"#{shah.pk}"
    assert biriya == "=Mohammad Biriya"
