"""The possible duplicate people: every pair the matching policy joins, and no other.

Held to the policy twice: on the table of real name pairs (a FOLDED or LIKELY pair of names,
given to two people, is reported with that grade; a DIFFERENT pair is not), and against
`PersonMatcher.candidates` itself over a whole population of people with variant names.
"""

import random

import pytest

from documents.authorities.duplicate_people import possible_duplicates
from documents.authorities.matching import FOLDED, LIKELY, SAME, PersonMatcher
from documents.models import DistinctPeople, Person, PersonName
from tests.authorities.name_pairs import DIFFERENT, PAIRS
from tests.authorities.test_name_pairs import readable

pytestmark = pytest.mark.django_db


def pairs():
    found, complete = possible_duplicates()
    assert complete
    return {pair.ids: pair.grade for pair in found}


@pytest.mark.parametrize(
    ("one", "other", "grade"),
    [
        pytest.param(one, other, grade, id=f"{grade}: {why}: {readable(one)} / {readable(other)}")
        for one, other, grade, why in PAIRS
    ],
)
def test_two_people_named_as_a_pair_of_the_table_are_reported_with_its_grade(one, other, grade):
    a, b = Person.objects.create(name=one), Person.objects.create(name=other)
    assert pairs() == ({} if grade == DIFFERENT else {(a.pk, b.pk): grade})


def test_two_people_of_exactly_the_same_name_are_the_surest_pair():
    a, b = Person.objects.create(name="M. D. Bagirov"), Person.objects.create(name="M. D. Bagirov")
    [pair], _complete = possible_duplicates()
    assert (pair.ids, pair.grade, pair.first_name, pair.second_name) == (
        (a.pk, b.pk),
        SAME,
        "M. D. Bagirov",
        "M. D. Bagirov",
    )


def test_a_variant_name_of_one_person_that_is_anothers_name_makes_a_pair():
    bagirov = Person.objects.create(name="Mir Jafar Bagirov")
    PersonName.objects.create(person=bagirov, name="M. D. Bagriov")
    other = Person.objects.create(name="M.D. Bagriov")
    [pair], _complete = possible_duplicates()
    assert (pair.ids, pair.grade) == ((bagirov.pk, other.pk), FOLDED)


def test_a_pair_a_curator_dismissed_is_not_reported_again():
    a, b = Person.objects.create(name="Ghavam"), Person.objects.create(name="Ahmad Qavam")
    c = Person.objects.create(name="Qavam")
    assert set(pairs()) == {(a.pk, b.pk), (a.pk, c.pk), (b.pk, c.pk)}
    DistinctPeople.objects.create(first=a, second=b)
    assert set(pairs()) == {(a.pk, c.pk), (b.pk, c.pk)}


def test_the_pairs_are_those_the_matcher_finds_for_every_name_of_every_person():
    people = {}
    for n, (one, other, _grade, _why) in enumerate(PAIRS):
        person = Person.objects.create(name=one)
        people[person.pk] = [one]
        if n % 3 == 0:  # some people have the other spelling as a variant name
            PersonName.objects.create(person=person, name=f"{other} Jr")
            people[person.pk].append(f"{other} Jr")
        else:
            other_person = Person.objects.create(name=other)
            people[other_person.pk] = [other]
    expected = set()
    for pid, names in people.items():
        for name in names:
            for other in PersonMatcher().candidates(name) - {pid}:
                expected.add((min(pid, other), max(pid, other)))
    assert set(pairs()) == expected
    assert len(expected) > 40  # the population does hold pairs of every kind
    assert {FOLDED, LIKELY} <= set(pairs().values())


FORENAMES = ["Ivan", "Iosif", "Mir Jafar", "Mirjafar", "Jafar", "Ahmad", "Andrei", "Anatoly"]
SURNAMES = ["Bagirov", "Bagriov", "Gromyko", "Qavam", "Ghavam", "Stalin", "Qavam Saltaneh"]


def random_name(rng):
    forenames = rng.sample(FORENAMES, rng.choice([0, 1, 1, 2]))
    forenames = [f"{f[0]}." if rng.random() < 0.3 else f for f in forenames]
    surname = rng.choice(SURNAMES)
    if forenames and rng.random() < 0.2:
        return f"{surname}, {' '.join(forenames)}"
    return " ".join([*forenames, surname])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_pairs_agree_with_the_matcher_on_a_crowd_of_alike_names(seed):
    rng = random.Random(seed)
    people = {}
    for _n in range(60):
        person = Person.objects.create(name=random_name(rng))
        people[person.pk] = [person.name]
        if rng.random() < 0.4:
            variant = random_name(rng)
            if variant != person.name:
                PersonName.objects.create(person=person, name=variant)
                people[person.pk].append(variant)
    expected = set()
    for pid, names in people.items():
        for name in names:
            for other in PersonMatcher().candidates(name) - {pid}:
                expected.add((min(pid, other), max(pid, other)))
    found, complete = possible_duplicates(limit=100_000)
    assert complete
    assert {pair.ids for pair in found} == expected


def test_finding_the_pairs_takes_a_fixed_number_of_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for start, end in ((0, 150), (150, 450)):
        for n in range(start, end):
            Person.objects.create(name=f"Ivan Petrovich Sidorov{n:03d}")
            PersonName.objects.create(person_id=Person.objects.latest("pk").pk, name=f"I. P. S{n}")
        with CaptureQueriesContext(connection) as queries:
            possible_duplicates()
        counts.append(len(queries))
    # Three times the people, the same queries: the names are read in bulk, never one by one.
    assert counts[0] == counts[1] <= 15, counts


def test_the_pairs_found_stop_at_the_limit_and_say_there_are_more():
    for _n in range(5):
        Person.objects.create(name="I. V. Stalin")
    found, complete = possible_duplicates(limit=4)
    assert (len(found), complete) == (4, False)
    found, complete = possible_duplicates(limit=10)
    assert (len(found), complete) == (10, True)
