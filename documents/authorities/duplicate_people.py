"""Possible duplicate people: the pairs of people already in the archive that the policy joins.

Owns finding, among existing `Person` records, every pair that the one matching policy
(`documents.authorities.matching`) would not keep apart: a pair is reported when one person's
display or variant name, written in a spreadsheet or the admin, would be decided as the other
person (grade SAME or FOLDED: the same name key) or as likely the other (grade LIKELY: the same
sound key, or the policy's whole-word and surname rules). No rule of its own: the keys are
the ones stored by the policy, and the other likely people are `PersonMatcher`'s candidates.
tests/authorities/test_duplicate_people.py checks the pairs against `PersonMatcher` itself.

Cost: the name keys and sound keys that several people share are grouped by the database (two
GROUP BY queries, which return only the shared rows); the other rules read every display
and variant name once into the matcher, then decide every name in memory. Pairs a
curator has dismissed (`DistinctPeople`) are left out, and the work stops at `LIMIT` pairs.

May import `documents.models`, `documents.parsing` and `documents.authorities.matching`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from django.db import connection

from documents.authorities.matching import FOLDED, LIKELY, SAME, PersonMatcher
from documents.models import DistinctPeople, Person, PersonName

# The order the report shows them in: the surest first.
GRADE_ORDER = {SAME: 0, FOLDED: 1, LIKELY: 2}
CHUNK = 5_000
# The most pairs one report finds (see `possible_duplicates`).
LIMIT = 2_000


@dataclass(frozen=True)
class Pair:
    """Two people the policy may take for one: ids (`first` the lower), the grade, and the two
    names that met (`first_name` one of the first person's names, `second_name` the other's)."""

    first: int
    second: int
    grade: str
    first_name: str
    second_name: str

    @property
    def ids(self):
        return (self.first, self.second)


def possible_duplicates(*, limit=LIMIT, by_words=True):
    """The pairs the policy finds among existing people, less dismissed ones: (pairs, complete).

    Surest first: the people sharing a name key, then a sound key, then related by whole words;
    each pair once, under its best grade. At most `limit` pairs are found (`complete` is False
    when there are more): the work stops there, so a large archive full of likely pairs costs
    what that many pairs cost, and the pairs a curator merges or dismisses make room for the
    next ones.

    With `by_words` False, only the pairs sharing a name key or a sound key: three queries,
    answered from the keys' indexes, however many people there are (the curators' dashboard
    counts these); the whole-word rules read every name.
    """
    dismissed = set(DistinctPeople.objects.values_list("first_id", "second_id"))
    found = {}
    complete = True
    stages = [_shared("name_key"), _shared("sound_key")]
    if by_words:
        stages.append(_related_by_words())
    for pair in chain(*stages):
        if pair.ids in dismissed:
            continue
        best = found.get(pair.ids)
        if best is None and len(found) == limit:
            complete = False
            break
        if best is None or GRADE_ORDER[pair.grade] < GRADE_ORDER[best.grade]:
            found[pair.ids] = pair
    pairs = sorted(found.values(), key=lambda p: (GRADE_ORDER[p.grade], p.first_name, p.ids))
    return pairs, complete


def _pair(a, a_name, b, b_name, grade):
    if a > b:
        a, a_name, b, b_name = b, b_name, a, a_name
    return Pair(a, b, grade, a_name, b_name)


def _names_sql(key):
    person, name = Person._meta.db_table, PersonName._meta.db_table
    return (
        f"SELECT {key} AS k, id AS pid, name FROM {person} "
        f"UNION ALL SELECT {key}, person_id, name FROM {name}"
    )


def _shared(key):
    """Pairs of people who share a name key (SAME or FOLDED) or a sound key (LIKELY)."""
    names = _names_sql(key)
    sql = (
        f"SELECT k, pid, name FROM ({names}) AS names WHERE k <> '' AND k IN ("
        f"SELECT k FROM ({names}) AS shared GROUP BY k HAVING COUNT(DISTINCT pid) > 1"
        ") ORDER BY k, pid"
    )
    groups = {}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for k, pid, name in cursor.fetchall():
            groups.setdefault(k, {}).setdefault(pid, []).append(name)
    for people in groups.values():
        ids = sorted(people)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                exact = set(people[a]) & set(people[b])
                if key == "sound_key":
                    grade = LIKELY
                else:
                    grade = SAME if exact else FOLDED
                a_name = min(exact) if exact else people[a][0]
                b_name = min(exact) if exact else people[b][0]
                yield _pair(a, a_name, b, b_name, grade)


def _related_by_words():
    """Pairs where one person's name is likely another person by the policy's other rules.

    Asked of `PersonMatcher` itself, so the report cannot drift from what an import decides:
    every display and variant name is read once (the matcher's read-every-name path), then
    each name's candidates are found in memory, as an import would find them."""
    names = list(
        Person.objects.exclude(sound_key="").order_by("pk").values_list("pk", "name")
    ) + list(PersonName.objects.exclude(sound_key="").values_list("person_id", "name"))
    display = dict(Person.objects.values_list("pk", "name"))
    matcher = PersonMatcher()
    matcher.load_all([name for _pid, name in names], chunk=CHUNK)
    for pid, name in names:
        for other in sorted(matcher.candidates(name)):
            if other != pid:
                yield _pair(pid, name, other, display[other], LIKELY)
