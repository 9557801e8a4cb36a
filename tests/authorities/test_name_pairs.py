"""The matching policy on real name pairs: each spelling finds the other, in both directions.

The table is tests/authorities/name_pairs.py. Whichever spelling names the person in the archive
(or a person new in the file being read), the other spelling written must find them with the
pair's grade: linked and listed for checking (FOLDED), a question (LIKELY), or nobody
(DIFFERENT). The archive's people are read by SQL for a few names or from every display and
variant name for many; both ways are tried, with the spelling as a display and as a variant name.
"""

import unicodedata

import pytest
from anyascii import anyascii

from documents.authorities.matching import FOLDED, LIKELY, NEW, SAME, Decision, PersonMatcher
from documents.models import Person, PersonName
from tests.authorities.name_pairs import DIFFERENT, PAIRS

pytestmark = pytest.mark.django_db

WAYS = [
    "read by SQL",
    "read from every name",
    "a variant, read by SQL",
    "a variant, read from every name",
    "new in the file",
]


def readable(name):
    """The name in ASCII for a test id, with the script of its other letters: 'Molotov[CYRILLIC]'"""
    other = [ch for ch in name if not ch.isascii() and ch.isalpha()]
    return anyascii(name) + (f"[{unicodedata.name(other[0]).split()[0]}]" if other else "")


def directions():
    for one, other, grade, why in PAIRS:
        for stored, written in ((one, other), (other, one)):
            label = f"{grade}: {why}: {readable(written)} finds {readable(stored)}"
            yield pytest.param(stored, written, grade, id=label)


def expected(grade, pid):
    return {
        FOLDED: Decision(SAME, (pid,), FOLDED),
        LIKELY: Decision(LIKELY, (pid,), LIKELY),
        DIFFERENT: Decision(NEW),
    }[grade]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(("stored", "written", "grade"), list(directions()))
def test_a_spelling_finds_the_person_named_by_the_other_with_the_pairs_grade(
    stored, written, grade, way
):
    # Someone else is in the archive too, so a match is not found by elimination.
    Person.objects.create(name="Gary Goldberg")
    matcher = PersonMatcher()
    if way == "new in the file":
        pid = -1
        matcher.add(pid, stored)
    elif way.startswith("a variant"):
        # Catalogued under a name unlike either spelling, and known by `stored` too.
        pid = Person.objects.create(name="Unidentified Correspondent").pk
        PersonName.objects.create(person_id=pid, name=stored)
        matcher.SQL_LOOKUPS = 1_000 if way.endswith("by SQL") else 0
        matcher.load([written, "Someone Else Entirely", "Goldberg"])
    else:
        pid = Person.objects.create(name=stored).pk
        matcher.SQL_LOOKUPS = 1_000 if way == "read by SQL" else 0
        matcher.load([written, "Someone Else Entirely", "Goldberg"])

    decision = matcher.decide(written)

    assert decision == expected(grade, pid)
    assert decision.please_check == (grade == FOLDED)


def test_the_table_holds_at_least_forty_pairs_of_every_grade():
    grades = [grade for _one, _other, grade, _why in PAIRS]
    assert len(PAIRS) >= 40
    assert {grade: grades.count(grade) >= 10 for grade in (FOLDED, LIKELY, DIFFERENT)} == {
        FOLDED: True,
        LIKELY: True,
        DIFFERENT: True,
    }
    assert len({(one, other) for one, other, _g, _w in PAIRS}) == len(PAIRS)
