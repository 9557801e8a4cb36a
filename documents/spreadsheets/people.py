"""The people a spreadsheet names: found by name or variant, batch by batch, new ones planned."""

import re
from functools import lru_cache

from documents.models import (
    Person,
    PersonName,
)
from documents.models.bulk import assign_slugs
from documents.parsing.names import name_key as _name_key
from documents.parsing.names import sound_key as _sound_key

name_key = lru_cache(maxsize=20_000)(_name_key)
sound_key = lru_cache(maxsize=20_000)(_sound_key)

PERSON_MARK = re.compile(r"^(?P<name>.*?)\s*\[\s*(?:#\s*(?P<id>\d+)|(?P<new>new))\s*\]$", re.I)


class People:
    """Finds people by name or variant, batch by batch, and plans the new ones."""

    def __init__(self, new_ids):
        self.new_ids = new_ids
        self.exact = {}  # name key -> set of person ids
        self.sound = {}  # sound key -> set of person ids
        self.names = {}  # person id -> display name
        self.pending = {}  # name key -> (negative id, name)
        self.pending_sound = {}  # sound key -> negative id
        self.resolved = {}  # written -> result of resolve()
        self.loaded = set()
        self.spellings = set()  # (person id, name or variant exactly as stored)

    def load(self, names):
        names = [n for n in names if n not in self.loaded]
        self.loaded.update(names)
        keys = {name_key(n) for n in names} - self.exact.keys()
        keys.discard("")
        if keys:
            for key in keys:
                self.exact[key] = set()
            for pid, key, name in Person.objects.filter(name_key__in=keys).values_list(
                "pk", "name_key", "name"
            ):
                self.exact[key].add(pid)
                self.names[pid] = name
                self.spellings.add((pid, name))
            for pid, key, name, variant in PersonName.objects.filter(name_key__in=keys).values_list(
                "person_id", "name_key", "person__name", "name"
            ):
                self.exact[key].add(pid)
                self.names[pid] = name
                self.spellings.add((pid, variant))
        sounds = {sound_key(n) for n in names} - self.sound.keys()
        sounds.discard("")
        if sounds:
            for key in sounds:
                self.sound[key] = set()
            for pid, key, name in Person.objects.filter(sound_key__in=sounds).values_list(
                "pk", "sound_key", "name"
            ):
                self.sound[key].add(pid)
                self.names[pid] = name
            for pid, key, name in PersonName.objects.filter(sound_key__in=sounds).values_list(
                "person_id", "sound_key", "person__name"
            ):
                self.sound[key].add(pid)
                self.names[pid] = name

    def load_ids(self, ids):
        missing = [i for i in ids if i not in self.names]
        if missing:
            self.names.update(Person.objects.filter(pk__in=missing).values_list("pk", "name"))

    def resolve(self, written):
        """Return (person id, name as written, error message or None)."""
        found = self.resolved.get(written)
        if found is None:
            found = self.resolved[written] = self._resolve(written)
        return found

    def _resolve(self, written):
        mark = PERSON_MARK.match(written)
        name = mark["name"].strip() if mark else written
        if not name_key(name):
            return None, name, f"'{written}' is not a name."
        if mark and mark["id"]:
            pid = int(mark["id"])
            self.load_ids([pid])
            if pid not in self.names:
                return None, name, f"There is no person number {pid} in the archive ('{written}')."
            return pid, name, None
        key = name_key(name)
        found = self.exact.get(key, set())
        if len(found) == 1:
            return next(iter(found)), name, None
        if len(found) > 1:
            options = "; ".join(f"'{name} [#{pid}]' for {self.names[pid]}" for pid in sorted(found))
            return (
                None,
                name,
                (
                    f"'{name}' is the name of more than one person. "
                    f"Say which one by writing {options}."
                ),
            )
        if key in self.pending:
            return self.pending[key][0], name, None
        if not (mark and mark["new"]):
            likely = set(self.sound.get(sound_key(name), set()))
            pending_like = self.pending_sound.get(sound_key(name))
            if likely or pending_like:
                who = [f"{self.names[pid]} (#{pid})" for pid in sorted(likely)]
                if pending_like:
                    who.append(f"'{self.names[pending_like]}', new in this file")
                first = f"'{name} [#{min(likely)}]'" if likely else None
                link = (
                    f"write {first} to link that person (this spelling is kept on the document), "
                    if first
                    else ""
                )
                return (
                    None,
                    name,
                    (
                        f"'{name}' is likely the same person as {' or '.join(who)}, "
                        f"but is not one of their names. Decide: {link}write '{name} [new]' "
                        f"to create a separate person, or add '{name}' as a variant name of that "
                        "person in the admin."
                    ),
                )
        pending_id = next(self.new_ids)
        self.pending[key] = (pending_id, name)
        self.pending_sound.setdefault(sound_key(name), pending_id)
        self.names[pending_id] = name
        return pending_id, name, None

    def materialize(self, ids, created_people):
        todo = [(key, pid, name) for key, (pid, name) in self.pending.items() if pid in ids]
        if not todo:
            return {}
        people = []
        for _key, _pid, name in todo:
            person = Person(
                name=name, sort_name=name, name_key=name_key(name), sound_key=sound_key(name)
            )
            people.append(person)
        assign_slugs(Person, people, [name for _k, _p, name in todo], 200)
        Person.objects.bulk_create(people)
        self.resolved = {w: r for w, r in self.resolved.items() if r[0] is None or r[0] > 0}
        mapping = {}
        for (key, pid, name), person in zip(todo, people, strict=True):
            mapping[pid] = person.pk
            del self.pending[key]
            self.exact[key] = {person.pk}
            self.sound.setdefault(sound_key(name), set()).add(person.pk)
            if self.pending_sound.get(sound_key(name)) == pid:
                del self.pending_sound[sound_key(name)]
            self.names[person.pk] = name
            created_people.append((person.pk, name))
        return mapping
