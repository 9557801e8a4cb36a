"""Which person a written name means: the archive's one policy, and how a decision is written.

Owns deciding which authority record (a `Person`) a name written in a spreadsheet cell, an
admin form or a generated file means. The importer (`documents.spreadsheets.people`), the admin's
"a person like this already exists" warning (`documents.admin.forms`), the export's labels
(`documents.spreadsheets.cells.person_label`) and the benchmark generator
(`documents.generating.spreadsheet`) all ask here, so they agree.

Names are folded by the text rules of `documents.parsing.names`: `name_key` ignores case,
diacritics, apostrophes, punctuation and spacing; `sound_key` also common transliterations.
Against the people in the archive (and those new in the file being read), a written name is

- the SAME person when its name key is the name key of one person's display name or of one of
  their variant names ('jafar PISHEVARI' is Ja'far Pishevari; 'M.D. Bagriov', a variant, is
  M. D. Bagirov);
- AMBIGUOUS when that name key is several people's: the cell must say which one;
- LIKELY the same person when nobody has its name key but its sound key is the sound key of a
  person's display or variant name ('Ghavam' and Qavam, 'Jafar Pishavari' and Ja'far Pishevari)
  or whole words of the sound key of a display name (a surname alone: 'Pishavari'): a curator
  decides, never the archive;
- NEW otherwise.

A decision is written in the cell after the name: 'Ghavam [#12]' is person number 12 (the
spelling is kept on the document), whatever the name; 'Ghavam [new]' answers LIKELY with a
person new in the file, separate from the likely ones (the file's other cells naming 'Ghavam'
then mean that new person). '[new]' never splits the SAME person in two, so importing a file
again changes nothing, and a shared name needs '[#id]'. The admin warns about every name that
is not NEW; its "Create anyway" is the curator's '[new]' (there it may also add a second person
of the same name, whom files then tell apart with '[#id]').

May import `documents.models` and `documents.parsing`.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Q

from documents.models import Person, PersonName
from documents.parsing import names as text_rules

# Folding is pure and the same names come back row after row.
name_key = lru_cache(maxsize=20_000)(text_rules.name_key)
sound_key = lru_cache(maxsize=20_000)(text_rules.sound_key)

SAME = "same"
AMBIGUOUS = "ambiguous"
LIKELY = "likely"
NEW = "new"

# 'Name [#12]' or 'Name [new]' (any case, any spacing inside the brackets).
MARK = re.compile(r"^(?P<name>.*?)\s*\[\s*(?:#\s*(?P<id>\d+)|(?P<new>new))\s*\]$", re.I | re.S)


@dataclass(frozen=True)
class Cell:
    """A person as a cell names them: the name, and the decision written after it, if any."""

    name: str
    person_id: int | None = None
    new: bool = False


def read_cell(text):
    mark = MARK.match(text)
    if mark is None:
        return Cell(text)
    person_id = int(mark["id"]) if mark["id"] else None
    return Cell(mark["name"].strip(), person_id=person_id, new=bool(mark["new"]))


def write_cell(name, *, person_id=None, new=False):
    """The cell for `name` with a decision: 'Name [#12]', 'Name [new]', or the name alone."""
    if person_id is not None:
        return f"{name} [#{person_id}]"
    return f"{name} [new]" if new else name


@dataclass(frozen=True)
class Decision:
    """What a written name means: `kind` (SAME, AMBIGUOUS, LIKELY or NEW) and whom, by id.

    `people` is the one person (SAME), the people who share the name (AMBIGUOUS) or the people
    it is likely to mean (LIKELY), in id order; people new in a file have negative ids.
    """

    kind: str
    people: tuple = ()

    @property
    def person(self):
        return self.people[0] if self.kind == SAME else None


def _by_name_key(ids):
    """The decision the people with a name key make on their own; None when there are none."""
    if not ids:
        return None
    if len(ids) == 1:
        return Decision(SAME, tuple(ids))
    return Decision(AMBIGUOUS, tuple(sorted(ids)))


def label(name, person_id, owners):
    """`name` as a cell that finds `person_id` again: alone where it is that person, else '[#id]'.

    `owners` maps name keys to the ids of the people who have them (see `name_owners`).
    """
    decision = _by_name_key(owners.get(name_key(name)))
    if decision is not None and decision.person == person_id:
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
    name has the name key or the sound key of one of `names`, and those whose display name
    holds one as whole words: by SQL for a few names, or, for more, from every display name read
    once (a full scan per name would cost more). `decide(name)` then asks nothing more of the
    database (it loads a name first if `load` was not told of it). `add(pid, name)` counts a
    person who is not in the database (yet) among those later names may mean.
    """

    # Whole-word look-ups done by SQL, at most, before every display name is read instead.
    SQL_LOOKUPS = 10

    def __init__(self):
        self.exact = {}  # name key -> person ids
        self.sound = {}  # sound key -> person ids
        self.names = {}  # person id -> display name
        self.spellings = set()  # (person id, one of their names exactly as stored)
        self._loaded = set()  # written names loaded
        self._keys = set()  # name keys read from the database
        self._sounds = set()  # sound keys read from the database
        self._contained = {}  # sound key -> ids of display names holding it (read by SQL)
        self._words = None  # word -> [(id, sound key)] of every display name, once read
        self._added = {}  # id -> name of the people added
        self._added_words = {}  # word -> [(id, sound key)] of the people added

    # Reading -------------------------------------------------------------------------------

    def load(self, names):
        """Read what deciding `names` needs."""
        names = {n for n in names if n not in self._loaded}
        self._loaded |= names
        keys = {name_key(n) for n in names} - self._keys - {""}
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
        self._load_containing(unknown)
        self.load_ids({pid for sound in unknown for pid in self._likely(sound)})

    def load_ids(self, ids):
        """Read the display names of these people, where not known."""
        missing = [i for i in ids if i not in self.names]
        if missing:
            self.names.update(Person.objects.filter(pk__in=missing).values_list("pk", "name"))

    def _load_sounds(self, sounds):
        sounds = set(sounds) - self._sounds - {""}
        if not sounds:
            return
        self._sounds |= sounds
        for model, person in ((Person, "pk"), (PersonName, "person_id")):
            rows = model.objects.filter(sound_key__in=sounds).values_list(person, "sound_key")
            for pid, key in rows:
                self.sound.setdefault(key, set()).add(pid)

    def _load_containing(self, sounds):
        if self._words is not None:
            return
        sounds = {s for s in sounds if s and s not in self._contained}
        if not sounds:
            return
        if len(sounds) > self.SQL_LOOKUPS:
            self._words = {}
            for pid, key in Person.objects.filter(sound_key__contains=" ").values_list(
                "pk", "sound_key"
            ):
                _index(self._words, pid, key)
            return
        query = Q()
        for sound in sounds:
            query |= (
                Q(sound_key__startswith=f"{sound} ")
                | Q(sound_key__endswith=f" {sound}")
                | Q(sound_key__contains=f" {sound} ")
            )
        rows = list(Person.objects.filter(query).values_list("pk", "sound_key"))
        for sound in sounds:
            self._contained[sound] = {pid for pid, key in rows if _holds_words(key, sound)}

    # Deciding ------------------------------------------------------------------------------

    def decide(self, name):
        """The `Decision` for `name` (NEW for a name with no letters or digits at all)."""
        key = name_key(name)
        if not key:
            return Decision(NEW)
        if name not in self._loaded:
            self.load([name])
        decided = _by_name_key(self.exact.get(key))
        if decided is not None:
            return decided
        likely = self._likely(sound_key(name))
        return Decision(LIKELY, tuple(sorted(likely))) if likely else Decision(NEW)

    def candidates(self, name):
        """Everyone `name` may mean: the people with its name key and the likely ones."""
        key = name_key(name)
        if not key:
            return set()
        if name not in self._loaded:
            self.load([name])
        sound = sound_key(name)
        self._load_sounds([sound])
        return set(self.exact.get(key, ())) | self._likely(sound)

    def _likely(self, sound):
        if not sound:
            return set()
        found = set(self.sound.get(sound, ()))
        if self._words is not None:
            found |= _search(self._words, sound)
        else:
            if sound not in self._contained:
                self._load_containing([sound])
            found |= self._contained.get(sound, set())
        return found | _search(self._added_words, sound)

    # People not in the database ------------------------------------------------------------

    def add(self, pid, name):
        """Count person `pid`, named `name` and not read from the database, from now on."""
        self._added[pid] = name
        self.names[pid] = name
        self.spellings.add((pid, name))
        self.exact.setdefault(name_key(name), set()).add(pid)
        self.sound.setdefault(sound_key(name), set()).add(pid)
        _index(self._added_words, pid, sound_key(name))

    def replace(self, old, new):
        """Person `old` (added) is now `new`, for instance once created in the database."""
        name = self._added.pop(old)
        self.exact[name_key(name)].discard(old)
        self.sound[sound_key(name)].discard(old)
        for word in set(sound_key(name).split()):
            entries = self._added_words.get(word, [])
            entries[:] = [entry for entry in entries if entry[0] != old]
        self.add(new, name)


def _holds_words(key, sound):
    """Whether `sound` is whole words of the longer sound key `key`."""
    return key != sound and f" {sound} " in f" {key} "


def _index(index, pid, key):
    """Index a sound key of several words by each of its words (one word holds no other)."""
    if " " in key:
        for word in set(key.split()):
            index.setdefault(word, []).append((pid, key))


def _search(index, sound):
    """The ids of the indexed keys that hold `sound` as whole words."""
    lists = [index.get(word, ()) for word in sound.split()]
    return {pid for pid, key in min(lists, key=len) if _holds_words(key, sound)}
