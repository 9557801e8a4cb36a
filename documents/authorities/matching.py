"""Which person a written name means: the archive's one policy, and how a decision is written.

Owns deciding which authority record (a `Person`) a name written in a spreadsheet cell, an
admin form or a generated file means. The importer (`documents.spreadsheets.people`), the admin's
"a person like this already exists" warning (`documents.admin.forms`), the export's labels
(`documents.spreadsheets.cells.person_label`) and the benchmark generator
(`documents.generating.spreadsheet`) all ask here, so they agree. This docstring is the one
description of the rules; `documents.parsing.names` holds their text part, and
tests/authorities/name_pairs.py the table of real name pairs they are held to.

Keys. Every name has two, kept in indexed columns of `Person` and `PersonName`:

- the *name key* folds what does not change a name: case, spacing, punctuation, hyphens,
  apostrophes and ayin/hamza marks, diacritics, Azerbaijani and Turkish Latin letters (a word
  holding ə, ğ, ı, ş or ç is read as such: Bağırov is Bagirov, Cəfər Pişəvəri is Jafar
  Pishavari), and other scripts, written in Latin letters by anyascii (Молотов is Molotov);
- the *sound key* also folds what transliterations of Russian, Persian, Azerbaijani and Arabic
  names disagree on: the name is put in natural order ('Stalin, I. V.' is read 'I. V. Stalin'),
  the joining words of Persian and Arabic names are left out (-os-, -es-, -ol-, al-, od-, ...:
  Qavam-os-Saltaneh is Qavam al-Saltaneh), a few forenames are read in their Russian form
  (Joseph is Iosif), and q/k/g/gh, kh/h/x, ch/tch/tsch, sh/sch/shch, dzh/dj/j/c (Cefer is
  Jafar), w/v, y/i/ii/iy, word-initial ye/e/i (Yezhov / Ezhov, Ebrahim / Ibrahim), a final -h
  after a vowel (Saltaneh / Saltana), the Persian silent h written -eh- inside a word before a
  consonant (Pishehvari / Pishevari; Ahmad keeps its h), doubled letters and every vowel but a
  word's first (Pishevari / Pishavari, Bagirov / Bagriov) are folded.

Decisions. Against the people in the archive (and those new in the file being read), a written
name is

- the SAME person when its name key is the name key of one person's display name or of one of
  their variant names. Its *grade* says how: `SAME` when it is, character for character, one of
  that person's names ('M.D. Bagriov', a variant of M. D. Bagirov); `FOLDED` when only the keys
  agree ('jafar PISHEVARI', 'Bağırov', 'Молотов'): linked all the same, and listed for a
  curator to check (`Decision.please_check`);
- AMBIGUOUS when that name key is several people's: the cell must say which one;
- LIKELY the same person (grade `LIKELY`) when nobody has its name key but its sound key is
  the sound key of a person's display or variant name (a transliteration: 'Ghavam' and Qavam;
  an inversion: 'Stalin, Joseph' and Joseph Stalin), or is related to the sound key of a
  person's display or variant name by whole words: one holds the other ('Pishavari', a surname
  alone, and Ja'far Pishevari; 'Jafar Bagirov' and Mir Jafar Bagirov; 'Princess Ashraf' and
  Ashraf Pahlavi, also Princess Ashraf Pahlavi), or both end in the same surname and the
  forenames agree: titles and ranks before a name are no forenames (General, Generalissimo,
  Marshal, Colonel, Prince, Princess, Comrade, Cde.: 'Ali Akbar Derakhshani' and General
  Derakhshani); those of the one with fewer are, in order, among the other's, an initial
  standing for any forename it begins ('I. O. Surname', 'Ivan Osipovich Surname' and
  'Surname, Ivan'), J. also for one in I or Ya (Iosif, Iakov, Yakov: 'J. V. Stalin' and
  I. V. Stalin) and D. also for one in J (Dzhafar: M. D. and Mir Jafar Bagirov), or they are
  the same letters split otherwise (Mirjafar / Mir Jafar). A variant does not make likely by
  whole words or surname a person whose display name ends in the same surname with forenames
  that disagree: 'Mohammad Biriya' is not L. P. Beria, also written 'Beria'.
  A curator decides, never the archive: the import asks a question once per written name
  (documents.spreadsheets.questions) and proposes an answer only where one candidate stands
  out (`People._proposal`): never one of whose names ends in the same surname with forenames
  that disagree ('Anatoly Gromyko' and A. A. Gromyko, also Andrei Andreyevich Gromyko); of
  the others, the one left; else the one whose names together hold every word of the name as
  written ('Biriya': Mohammad Biriya, not L. P. Beria by sound; 'Mohammad Reza Shah Pahlavi':
  the Shah, also Mohammad Reza Shah, not Reza Shah Pahlavi); else, nobody holding them, the
  one that is a transliteration (same sound key). A shared name (AMBIGUOUS) proposes nobody;
- NEW otherwise. Two people who share a surname but not a forename both give are two people:
  Andrei and Anatoly Gromyko, I. V. and V. I. Stalin, Ashraf and Mohammad Reza Pahlavi. A
  forename one of them leaves out is a question, not an answer: Reza Pahlavi may be the Shah's
  father, Mir Jafar Bagirov's 'Jafar Bagirov' may be another Bagirov.

Every rule is symmetric: if A written finds B in the archive, B written finds A.

A decision may also be written in the cell after the name: 'Ghavam [#12]' is person number 12 (the
spelling is kept on the document), whatever the name; 'Ghavam [new]' answers LIKELY with a
person new in the file, separate from the likely ones (the file's other cells naming 'Ghavam'
then mean that new person). '[new]' never splits the SAME person in two, so importing a file
again changes nothing, and a shared name needs '[#id]'. Any other bracket after a name is an
editor's identification: 'Filippov [I. V. Stalin]' is decided as 'I. V. Stalin' (the person
identified is linked, or created if new) and 'Filippov' is kept as the name written. The admin
warns about every name that is not NEW; its "Create anyway" is the curator's '[new]' (there it
may also add a second person of the same name, whom files then tell apart with '[#id]').

May import `documents.models` and `documents.parsing`.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from django.db.models import Q

from documents.models import Person, PersonName
from documents.parsing import names as text_rules

# Folding is pure and the same names come back row after row.
name_key = lru_cache(maxsize=20_000)(text_rules.name_key)
sound_key = lru_cache(maxsize=20_000)(text_rules.sound_key)
likely_same = text_rules.likely_same
contradicts = text_rules.contradicts

# Decisions.
SAME = "same"
AMBIGUOUS = "ambiguous"
LIKELY = "likely"
NEW = "new"
# Grades of a match: SAME and LIKELY, and this one.
FOLDED = "folded"

# 'Name [#12]', 'Name [new]' (any case, any spacing inside the brackets), or an editor's
# identification of the person meant: 'Name [Identification]'.
MARK = re.compile(
    r"^(?P<name>.*?)\s*\[\s*(?:#\s*(?P<id>\d+)|(?P<new>new)|(?P<identified>[^\[\]#]*\w[^\[\]]*?))"
    r"\s*\]$",
    re.I | re.S,
)


@dataclass(frozen=True)
class Cell:
    """A person as a cell names them: the name, and the decision written after it, if any.

    `identified` is an editor's identification of the person meant ('Filippov [I. V. Stalin]').
    """

    name: str
    person_id: int | None = None
    new: bool = False
    identified: str = ""

    @property
    def meant(self):
        """The name to decide: the identification where there is one, else the name."""
        return self.identified or self.name


def read_cell(text):
    mark = MARK.match(text)
    if mark is None or not mark["name"].strip():
        return Cell(text)
    person_id = int(mark["id"]) if mark["id"] else None
    return Cell(
        mark["name"].strip(),
        person_id=person_id,
        new=bool(mark["new"]),
        identified=(mark["identified"] or "").strip(),
    )


def write_cell(name, *, person_id=None, new=False, identified=""):
    """The cell for `name` with a decision: 'Name [#12]', 'Name [new]', 'Name [Who]', or alone."""
    if person_id is not None:
        return f"{name} [#{person_id}]"
    if identified:
        return f"{name} [{identified}]"
    return f"{name} [new]" if new else name


@dataclass(frozen=True)
class Decision:
    """What a written name means: `kind` (SAME, AMBIGUOUS, LIKELY or NEW), whom, and how surely.

    `people` is the one person (SAME), the people who share the name (AMBIGUOUS) or the people
    it is likely to mean (LIKELY), in id order; people new in a file have negative ids.
    `grade` is SAME or FOLDED for a name key match, LIKELY for a likely one, "" for NEW.
    """

    kind: str
    people: tuple = ()
    grade: str = ""

    @property
    def person(self):
        return self.people[0] if self.kind == SAME else None

    @property
    def please_check(self):
        """Whether the name was linked on folded keys alone, for a curator to look at."""
        return self.kind == SAME and self.grade == FOLDED


def _by_name_key(ids):
    """The decision the people with a name key make on their own; None when there are none."""
    if not ids:
        return None
    if len(ids) == 1:
        return Decision(SAME, tuple(ids), FOLDED)
    return Decision(AMBIGUOUS, tuple(sorted(ids)), FOLDED)


def label(name, person_id, owners):
    """`name` as a cell that finds `person_id` again: alone where it is that person, else '[#id]'.

    `owners` maps name keys to the ids of the people who have them (see `name_owners`).
    """
    decision = _by_name_key(owners.get(name_key(name)))
    if decision is not None and decision.person == person_id and not MARK.match(name):
        return name
    return write_cell(name, person_id=person_id)


def name_owners():
    """name key -> ids of the people with that display or variant name, for every person."""
    owners = {}
    for pid, key in Person.objects.values_list("pk", "name_key"):
        owners.setdefault(key, set()).add(pid)
    for pid, key in PersonName.objects.values_list("person_id", "name_key"):
        owners.setdefault(key, set()).add(pid)
    return owners


class PersonMatcher:
    """Decides which people written names mean, reading what it needs batch by batch.

    `load(names)` reads, in a few queries for all of them, the people whose display or variant
    name has the name key or the sound key of one of `names`, the display and variant names
    that are whole words of one, and those related to one by whole words or surname (see
    LIKELY): by SQL for a few names, or, for more, from every display and variant name read
    once (a full scan per name would cost more). `decide(name)` then asks nothing more of the
    database (it loads a name first if `load` was not told of it). `add(pid, name)` counts a
    person who is not in the database (yet) among those later names may mean.
    """

    # Whole-word look-ups done by SQL, at most, before every name is read instead.
    SQL_LOOKUPS = 10
    # Values in one `IN (...)` of whole-word look-ups (SQLite allows 32,766 parameters).
    IN_CHUNK = 5_000
    # Searches kept for the names decided next (a batch's names are loaded, then decided):
    # enough for a few batches, so the memory an import holds does not grow with the file.
    SEARCHES_KEPT = 20_000

    def __init__(self):
        self.exact = {}  # name key -> person ids
        self.sound = {}  # sound key -> person ids (display and variant names)
        self.wholes = {}  # sound key -> person ids, read as whole words of written names
        self.names = {}  # person id -> display name
        self.spellings = set()  # (person id, one of their names exactly as stored)
        self._loaded = set()  # written names loaded
        self._keys = set()  # name keys read from the database
        self._sounds = set()  # sound keys read from the database
        self._parts = set()  # sound keys read from the database as whole words
        self._related = {}  # sound key -> ids of the names related to it (read by SQL)
        self._words = None  # word -> [(id, sound key)] of every display and variant name
        # sound key -> the ids `_search` found for it in `_words` (which, once read, stays as
        # it is): a file names the same people row after row, and a common surname is shared
        # by thousands of names, each compared.
        self._searched = {}
        self._added = {}  # id -> name of the people added
        # word -> [(id, sound key)] of the people added, only ever appended to: each name
        # searched keeps how far it compared each list (`_added_found`), so a file that adds
        # thousands of people of a few surnames compares each name with each added one once,
        # not once for every name of every row. An added person given another id later
        # (`replace`) stays listed under the first, read through `_renamed`.
        self._added_words = {}
        self._added_found = {}  # sound key -> (ids found, {word: entries compared})
        self._renamed = {}  # id of a person added -> the id they have now

    # Reading -------------------------------------------------------------------------------

    def load(self, names, *, new=()):
        """Read what deciding `names` needs, and who has exactly one of the names `new` (written
        as people new to the archive, which `decide(name, likely=False)` decides)."""
        names = {n for n in names if n not in self._loaded}
        self._loaded |= names
        keys = {name_key(n) for n in [*names, *new]} - self._keys - {""}
        if keys:
            self._keys |= keys
            rows = Person.objects.filter(name_key__in=keys).values_list("pk", "name_key", "name")
            for pid, key, name in rows:
                self.exact.setdefault(key, set()).add(pid)
                self.names[pid] = name
                self.spellings.add((pid, name))
            rows = PersonName.objects.filter(name_key__in=keys).values_list(
                "person_id", "name_key", "person__name", "name"
            )
            for pid, key, name, variant in rows:
                self.exact.setdefault(key, set()).add(pid)
                self.names[pid] = name
                self.spellings.add((pid, variant))
        # Only names that are nobody's need the likely people.
        unknown = {sound_key(n) for n in names if name_key(n) and not self.exact.get(name_key(n))}
        self._load_sounds(unknown)
        self._load_related(unknown)
        self.load_ids({pid for sound in unknown for pid in self._likely(sound)})

    def load_all(self, names, *, chunk=5_000):
        """Read what finding the candidates of every one of `names` needs, `chunk` at a time:
        their keys, their sound keys (also of names that are someone's, which `load` leaves
        out) and every display and variant name once (the possible-duplicates report)."""
        self.SQL_LOOKUPS = 0
        names = sorted(set(names))
        for start in range(0, len(names), chunk):
            part = names[start : start + chunk]
            self.load(part)
            self._load_sounds({sound_key(n) for n in part})
        self._load_related({sound_key(n) for n in names[:1]})

    def load_ids(self, ids):
        """Read the display names of these people, where not known."""
        missing = [i for i in ids if i not in self.names]
        if missing:
            self.names.update(Person.objects.filter(pk__in=missing).values_list("pk", "name"))

    def _load_sounds(self, sounds):
        """Read who has these sound keys, and whose display or variant name is whole words of
        one."""
        sounds = set(sounds) - self._sounds - {""}
        parts = {part for sound in sounds for part in text_rules.parts(sound)} - self._parts
        self._sounds |= sounds
        self._parts |= parts
        parts = sorted(parts)
        for start in range(0, len(parts), self.IN_CHUNK):
            chunk = parts[start : start + self.IN_CHUNK]
            for pid, key in _names(Q(sound_key__in=chunk)):
                self.wholes.setdefault(key, set()).add(pid)
                if key in sounds:
                    self.sound.setdefault(key, set()).add(pid)

    def _load_related(self, sounds):
        """Read the display and variant names that hold one of `sounds` or end in its surname."""
        if self._words is not None:
            return
        sounds = {s for s in sounds if s and s not in self._related}
        if not sounds:
            return
        if len(sounds) > self.SQL_LOOKUPS:
            self._words = {}
            for pid, key in _names(Q(sound_key__contains=" ")):
                _index(self._words, pid, key)
            return
        query = Q()
        for sound in sounds:
            query |= (
                Q(sound_key__startswith=f"{sound} ")
                | Q(sound_key__endswith=f" {sound}")
                | Q(sound_key__contains=f" {sound} ")
                | Q(sound_key__endswith=f" {sound.split()[-1]}")
            )
        rows = list(_names(query))
        for sound in sounds:
            self._related[sound] = {pid for pid, key in rows if likely_same(sound, key)}

    # Deciding ------------------------------------------------------------------------------

    def decide(self, name, *, likely=True):
        """The `Decision` for `name` (NEW for a name with no letters or digits at all).

        Without `likely`, a name nobody has is NEW, whoever it may be (the cell says the
        person is new): no one is compared with it."""
        key = name_key(name)
        if not key:
            return Decision(NEW)
        if likely and name not in self._loaded:
            self.load([name])
        elif not likely and key not in self._keys:
            self.load((), new=[name])
        decided = _by_name_key(self.exact.get(key))
        if decided is not None:
            if any((pid, name) in self.spellings for pid in decided.people):
                return Decision(decided.kind, decided.people, SAME)
            return decided
        if not likely:
            return Decision(NEW)
        likely = self._likely(sound_key(name))
        return Decision(LIKELY, tuple(sorted(likely)), LIKELY) if likely else Decision(NEW)

    def candidates(self, name):
        """Everyone `name` may mean: the people with its name key and the likely ones."""
        key = name_key(name)
        if not key:
            return set()
        if name not in self._loaded:
            self.load([name])
        sound = sound_key(name)
        self._load_sounds([sound])
        self._load_related([sound])
        self.load_ids(self._likely(sound))
        return set(self.exact.get(key, ())) | self._likely(sound)

    def _likely(self, sound):
        if not sound:
            return set()
        related = set()
        for part in text_rules.parts(sound):
            related |= self.wholes.get(part, set())
        if self._words is not None:
            found = self._searched.get(sound)
            if found is None:
                if len(self._searched) >= self.SEARCHES_KEPT:
                    self._searched.clear()
                found = self._searched[sound] = _search(self._words, sound)
            related |= found
        else:
            if sound not in self._related:
                self._load_related([sound])
            related |= self._related.get(sound, set())
        related |= self._search_added(sound)
        # By a variant, not someone whose display name gives other forenames (see LIKELY);
        # until their display name is read, they are counted (and so read).
        return set(self.sound.get(sound, ())) | {
            pid
            for pid in related
            if pid not in self.names
            or not text_rules.contradicts(sound, sound_key(self.names[pid]))
        }

    # People not in the database ------------------------------------------------------------

    def add(self, pid, name, *, indexed=False):
        """Count person `pid`, named `name` and not read from the database, from now on."""
        self._added[pid] = name
        self.names[pid] = name
        self.spellings.add((pid, name))
        self.exact.setdefault(name_key(name), set()).add(pid)
        self.sound.setdefault(sound_key(name), set()).add(pid)
        self.wholes.setdefault(sound_key(name), set()).add(pid)
        if not indexed:
            _index(self._added_words, pid, sound_key(name))

    def replace(self, old, new):
        """Person `old` (added) is now `new`, for instance once created in the database."""
        name = self._added.pop(old)
        self.exact[name_key(name)].discard(old)
        self.sound[sound_key(name)].discard(old)
        self.wholes[sound_key(name)].discard(old)
        self._renamed[old] = new
        self.add(new, name, indexed=True)  # the word index keeps `old`, read as `new`

    def _search_added(self, sound):
        """`_search` of the people added, comparing only those added since the last time."""
        words = sound.split()
        if not words:
            return set()
        if sound not in self._added_found and len(self._added_found) >= self.SEARCHES_KEPT:
            self._added_found.clear()  # searched again from the start, if ever
        found, compared = self._added_found.setdefault(sound, (set(), {}))
        index = self._added_words
        rarest = min(words, key=lambda word: len(index.get(word, ())))
        for word in {rarest, words[-1]}:
            entries = index.get(word, ())
            for pid, key in islice(entries, compared.get(word, 0), None):
                if likely_same(sound, key):
                    found.add(pid)
            compared[word] = len(entries)
        renamed = self._renamed
        return {renamed.get(pid, pid) for pid in found}


def _names(query):
    """(person id, sound key) of the display and variant names `query` selects, in one query."""
    variants = PersonName.objects.filter(query).order_by().values_list("person_id", "sound_key")
    people = Person.objects.filter(query).order_by().values_list("pk", "sound_key")
    return people.union(variants)


def _index(index, pid, key):
    """Index a sound key of several words by each of its words (one word holds no other)."""
    if " " in key:
        for word in set(key.split()):
            index.setdefault(word, []).append((pid, key))


def _search(index, sound):
    """The ids of the indexed keys related to `sound` by whole words or surname (see LIKELY).

    A key holding `sound` is among those of `sound`'s rarest word; one sharing its surname,
    among those of its last word. Keys that `sound` holds are found by `PersonMatcher.wholes`.
    """
    words = sound.split()
    rarest = min(words, key=lambda word: len(index.get(word, ())))
    entries = list(index.get(rarest, ()))
    if rarest != words[-1]:  # the surname's list is the rarest one often: compared once
        entries += index.get(words[-1], ())
    return {pid for pid, key in entries if likely_same(sound, key)}
