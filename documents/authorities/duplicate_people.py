"""Possible duplicate people: the pairs of people already in the archive that the policy joins.

Owns finding, among existing `Person` records, every pair that the one matching policy
(`documents.authorities.matching`) would not keep apart: a pair is reported when one person's
display or variant name, written in a spreadsheet or the admin, would be decided as the other
person (grade SAME or FOLDED: the same name key) or as likely the other (grade LIKELY: the same
sound key, or the policy's whole-word relation to the other's display name). No rule of its
own: the keys are the ones stored by the policy, and the whole-word relation is its
`likely_same`, looked up the way `PersonMatcher` looks it up (by the words of display names).
tests/authorities/test_duplicate_people.py checks the pairs against `PersonMatcher` itself.

Cost: the name keys and sound keys that several people share are grouped by the database (two
GROUP BY queries, which return only the shared rows); the whole-word relation reads every
display name's sound key once into indexes by word and surname, then every name once. Pairs a
curator has dismissed (`DistinctPeople`) are left out, and the work stops at `LIMIT` pairs.

May import `documents.models`, `documents.parsing` and `documents.authorities.matching`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from django.db import connection

from documents.authorities.matching import FOLDED, LIKELY, SAME, likely_same
from documents.models import DistinctPeople, Person, PersonName
from documents.parsing.names import parts

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


def possible_duplicates(*, limit=LIMIT):
    """The pairs the policy finds among existing people, less dismissed ones: (pairs, complete).

    Surest first: the people sharing a name key, then a sound key, then related by whole words;
    each pair once, under its best grade. At most `limit` pairs are found (`complete` is False
    when there are more): the work stops there, so a large archive full of likely pairs costs
    what that many pairs cost, and the pairs a curator merges or dismisses make room for the
    next ones.
    """
    dismissed = set(DistinctPeople.objects.values_list("first_id", "second_id"))
    found = {}
    complete = True
    for pair in chain(_shared("name_key"), _shared("sound_key"), _related_by_words()):
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
    """Pairs where one person's name is related by whole words to another's display name.

    The names `likely_same` may relate to a name's sound key are looked up as `PersonMatcher`
    looks them up, by words, here from indexes of every display name built in one pass:

    - display names that are a run of the name's words (`display`, by each run);
    - display names that hold the name: for a name of one word, those with that word
      (`holding`); for more, those with its first two words side by side (`bigrams`);
    - display names with the same surname whose forenames may agree: one's first forename
      begins with a letter that begins one of the other's forenames (`by_letter`,
      `by_first_letter`, each keyed by surname and letter).

    Every candidate is then put to `likely_same`; the indexes only keep the comparisons to
    those that can pass, so a common surname costs its matches, not its square.
    """
    display = {}  # sound key -> ids of the people with that display name
    names = {}  # id -> display name
    holding, bigrams, by_letter, by_first_letter = {}, {}, {}, {}
    people = (
        Person.objects.exclude(sound_key="").order_by("pk").values_list("pk", "sound_key", "name")
    )
    for pid, sound, name in people.iterator(chunk_size=CHUNK):
        display.setdefault(sound, []).append(pid)
        names[pid] = name
        words = sound.split()
        if len(words) < 2:
            continue
        entry = (pid, sound)
        for word in set(words):
            holding.setdefault(word, []).append(entry)
        for pair in set(zip(words, words[1:], strict=False)):
            bigrams.setdefault(pair, []).append(entry)
        *forenames, surname = words
        for letter in {f[0] for f in forenames}:
            by_letter.setdefault((surname, letter), []).append(entry)
        by_first_letter.setdefault((surname, forenames[0][0]), []).append(entry)

    variants = PersonName.objects.exclude(sound_key="").values_list(
        "person_id", "sound_key", "name"
    )
    # Every name, as if written where the other person is: display names, then variant names.
    for rows in (people.iterator(chunk_size=CHUNK), variants.iterator(chunk_size=CHUNK)):
        for pid, sound, name in rows:
            for part in parts(sound) - {sound}:  # the same sound key is `_shared`'s
                for other in display.get(part, ()):
                    if other != pid:
                        yield _pair(pid, name, other, names[other], LIKELY)
            words = sound.split()
            if len(words) == 1:
                candidates = holding.get(sound, ())
            else:
                *forenames, surname = words
                candidates = [
                    *bigrams.get((words[0], words[1]), ()),
                    *by_letter.get((surname, forenames[0][0]), ()),
                    *(
                        entry
                        for letter in {f[0] for f in forenames}
                        for entry in by_first_letter.get((surname, letter), ())
                    ),
                ]
            for other, key in candidates:
                if other != pid and key != sound and likely_same(sound, key):
                    yield _pair(pid, name, other, names[other], LIKELY)
