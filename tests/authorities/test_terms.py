"""The vocabulary policy (documents/authorities/terms.py) on real pairs, in both directions,
and the matcher's index against comparing every entry.

The pairs are tests/authorities/term_pairs.py. Whichever text names the entry in the archive,
the other written must get the pair's outcome.
"""

import random

import pytest
from anyascii import anyascii

from documents.authorities.terms import (
    AMBIGUOUS,
    CREATE,
    FOLDED,
    LINK,
    NEAR,
    NEW,
    SAME,
    Entry,
    TermMatcher,
    compare,
    fold,
)
from tests.authorities.term_pairs import DIFFERENT, PAIRS

# Entries that are near none of the pairs, so that a matcher holds more than one entry.
OTHERS = [Entry(100 + i, name) for i, name in enumerate(["Mashhad", "Isfahan", "Leningrad"])]


def directions():
    for one, other, outcome, why in PAIRS:
        for stored, written in ((one, other), (other, one)):
            label = f"{outcome}: {why}: {anyascii(written)} finds {anyascii(stored)}"
            yield pytest.param(stored, written, outcome, id=label)


@pytest.mark.parametrize(("stored", "written", "outcome"), list(directions()))
def test_a_written_value_gets_the_outcome_of_its_pair(stored, written, outcome):
    matcher = TermMatcher("place", [Entry(1, stored), *OTHERS])
    decision = matcher.decide(written)
    if outcome == FOLDED:
        assert (decision.kind, decision.grade, decision.id) == (SAME, FOLDED, 1)
        assert decision.please_check
    elif outcome == DIFFERENT:
        assert decision.kind == NEW, decision
    else:
        assert (decision.kind, decision.proposed) == (NEAR, outcome), decision
        assert [c.id for c in decision.candidates] == [1]
        assert decision.candidates[0].reason.endswith(".")
        assert (decision.proposal is not None) == (outcome == LINK)


@pytest.mark.parametrize(("one", "other", "outcome", "why"), PAIRS, ids=[p[3] for p in PAIRS])
def test_the_rule_gives_the_same_answer_whichever_text_is_written(one, other, outcome, why):
    there, back = compare(one, other), compare(other, one)
    assert (there is None) == (back is None)
    assert there is None or there.link == back.link


def test_a_value_written_exactly_as_an_entry_is_linked_without_a_check():
    matcher = TermMatcher("subject", [Entry(7, "Tudeh Party of Iran")])
    decision = matcher.decide("  Tudeh Party of Iran ")
    assert (decision.kind, decision.grade, decision.id) == (SAME, SAME, 7)
    assert not decision.please_check


def test_a_value_is_found_by_any_other_name_of_the_entry():
    matcher = TermMatcher("place", [Entry(3, "Moscow", ("Moskva", "Москва"))])
    assert matcher.decide("Moskva").id == 3
    assert matcher.decide("MOSKVA").please_check
    assert matcher.decide("Москва").grade == SAME
    assert matcher.decide("Moskvaa").proposal.matched == "Moskva"


def test_a_repository_is_found_by_abbreviation_or_name():
    entries = [
        Entry(1, "RGASPI", ("Russian State Archive of Socio-Political History",)),
        Entry(2, "AzR", ("Archive of the Azerbaijan Republic",)),
    ]
    matcher = TermMatcher("repository", entries)
    assert matcher.decide("russian state archive of socio-political history").id == 1
    assert matcher.decide("AzR").id == 2
    assert matcher.decide("AZR").please_check


def test_a_text_that_names_two_entries_is_ambiguous():
    matcher = TermMatcher("collection", [Entry(1, "Oil"), Entry(2, "Oil", ("oil-2",))])
    decision = matcher.decide("oil")
    assert decision.kind == AMBIGUOUS
    assert [c.id for c in decision.candidates] == [1, 2]
    assert decision.id is None


def test_a_subject_written_as_an_existing_place_name_is_a_question_proposing_the_place():
    places = TermMatcher("place", [Entry(5, "Tabriz"), Entry(6, "Tehran")])
    subjects = TermMatcher("subject", [Entry(1, "Oil concessions")], also=[places])
    decision = subjects.decide("tabriz")
    assert (decision.kind, decision.proposed) == (NEAR, LINK)
    proposal = decision.proposal
    assert (proposal.vocabulary, proposal.id, proposal.name) == ("place", 5, "Tabriz")
    assert "place 'Tabriz'" in proposal.reason


def test_a_subject_that_is_a_subject_is_not_asked_about_places_of_the_same_name():
    places = TermMatcher("place", [Entry(5, "Iran")])
    subjects = TermMatcher("subject", [Entry(1, "Iran")], also=[places])
    assert subjects.decide("Iran").kind == SAME


def test_a_place_name_near_but_not_equal_is_no_question_for_a_subject():
    places = TermMatcher("place", [Entry(5, "Tabriz")])
    subjects = TermMatcher("subject", [], also=[places])
    assert subjects.decide("Tebriz").kind == NEW


def test_a_value_near_two_entries_proposes_to_create_and_lists_both():
    matcher = TermMatcher(
        "subject", [Entry(1, "Democratic Party of Iran"), Entry(2, "Democratic Party of Gilan")]
    )
    decision = matcher.decide("Democratic Party")
    assert (decision.kind, decision.proposed) == (NEAR, CREATE)
    assert [c.id for c in decision.candidates] == [2, 1]
    assert decision.proposal is None


def test_an_entry_new_in_the_file_is_found_by_later_values():
    matcher = TermMatcher("collection", [Entry(1, "Iran-Soviet Relations")])
    assert matcher.decide("Oil concesions").kind == NEW
    matcher.add(Entry(-1, "Oil concesions"))
    decision = matcher.decide("Oil concessions")
    assert (decision.kind, decision.proposal.id) == (NEAR, -1)


def test_a_value_without_letters_or_digits_is_new():
    assert TermMatcher("subject", [Entry(1, "Iran")]).decide(" -- ").kind == NEW


WORDS = (
    "iran iraq soviet iranian azerbaijan crisis oil concession party tudeh democratic "
    "tehran tabriz qazvin kazvin rasht resht gilan golan northern southern movement troops "
    "relations foundation carnegie corporation corp of the in for new york 1945 1946 1947 "
    "cwihp war cold history project international archive state russian"
).split()


def test_the_index_finds_every_entry_that_comparing_with_all_entries_finds():
    rng = random.Random(12)
    names = set()
    while len(names) < 400:
        words = rng.sample(WORDS, rng.randint(1, 4))
        mark = rng.choice(["", ",", " (", " of"])
        text = " ".join(words[:-1]) + (mark + " " if len(words) > 1 else "") + words[-1]
        names.add(text.title() if rng.random() < 0.3 else text)
    names = sorted(names)
    entries = [Entry(i, name) for i, name in enumerate(names[:200])]
    matcher = TermMatcher("subject", entries)
    keys = {fold(e.name) for e in entries}
    for value in names[200:] + [p[1] for p in PAIRS]:
        if fold(value) in keys:
            continue
        expected = {e.id for e in entries if compare(value, e.name) is not None}
        found = {c.id for c in matcher.decide(value).candidates}
        assert found == expected, value


def test_a_subject_equal_to_a_place_is_proposed_as_the_place_before_a_near_subject():
    places = TermMatcher("place", [Entry(5, "Tabriz")])
    subjects = TermMatcher("subject", [Entry(1, "Tabriz (Iran)")], also=[places])
    decision = subjects.decide("Tabriz")
    assert (decision.proposed, decision.proposal.vocabulary) == (LINK, "place")
    assert [(c.vocabulary, c.id) for c in decision.candidates] == [("place", 5), ("subject", 1)]


def test_a_collection_title_one_letter_off_an_existing_one_is_a_question_proposing_it():
    collections = TermMatcher(
        "collection",
        [
            Entry(1, "Iran-Soviet Relations", ("iran-soviet-relations",)),
            Entry(2, "Iran's Tudeh Party"),
        ],
    )
    decision = collections.decide("Iran-Soviet Relatons")
    assert (decision.kind, decision.proposed, decision.proposal.id) == (NEAR, LINK, 1)
    assert decision.proposal.reason == "The words 'relaton' and 'relation' differ by one letter."
