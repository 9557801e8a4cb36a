"""The people a spreadsheet names: resolved batch by batch, new ones planned and created.

Which person a name means is decided by the archive's matching policy
(`documents.authorities.matching`); this module turns its decisions into the import's answers:
a person id, a person to create, or the sentence that tells the curator what to write.
"""

from documents.authorities.matching import (
    AMBIGUOUS,
    LIKELY,
    MARK,
    SAME,
    PersonMatcher,
    name_key,
    read_cell,
    sound_key,
    write_cell,
)
from documents.models import Person, Slugs
from documents.models.bulk import insert_objects

# 'Name [#12]' or 'Name [new]': how a curator's decision is written in a cell.
PERSON_MARK = MARK


class People:
    """Finds people by name or variant, batch by batch, and plans the new ones."""

    def __init__(self, new_ids):
        self.new_ids = new_ids
        self.matcher = PersonMatcher()
        self.names = self.matcher.names  # person id -> display name
        self.spellings = self.matcher.spellings  # (person id, name or variant exactly as stored)
        self.pending = {}  # negative id -> name of a person new in this file, to be created
        self.resolved = {}  # written -> result of resolve()
        self.slugs = Slugs(Person)

    def load(self, names):
        self.matcher.load(names)

    def load_ids(self, ids):
        self.matcher.load_ids(ids)

    def resolve(self, written):
        """Return (person id, name as written, error message or None)."""
        found = self.resolved.get(written)
        if found is None:
            found = self.resolved[written] = self._resolve(written)
        return found

    def _resolve(self, written):
        cell = read_cell(written)
        name = cell.name
        if not name_key(name):
            return None, name, f"'{written}' is not a name."
        if cell.person_id is not None:
            pid = cell.person_id
            self.load_ids([pid])
            if pid not in self.names:
                return None, name, f"There is no person number {pid} in the archive ('{written}')."
            return pid, name, None
        # An editor's identification ('Filippov [I. V. Stalin]') is decided; the name is kept.
        decision = self.matcher.decide(cell.meant)
        if decision.kind == SAME:
            return decision.person, name, None
        if decision.kind == AMBIGUOUS:
            options = "; ".join(
                f"'{write_cell(name, person_id=pid)}' for {self.names[pid]}"
                for pid in decision.people
            )
            return (
                None,
                name,
                (
                    f"'{name}' is the name of more than one person. "
                    f"Say which one by writing {options}."
                ),
            )
        if decision.kind == LIKELY and not cell.new:
            return None, name, self._likely_message(name, decision.people)
        return self._new(cell.meant), name, None

    def _likely_message(self, name, people):
        likely = [pid for pid in people if pid > 0]
        who = [f"{self.names[pid]} (#{pid})" for pid in likely]
        who += [f"'{self.names[pid]}', new in this file" for pid in people if pid < 0][::-1]
        first = f"'{write_cell(name, person_id=likely[0])}'" if likely else None
        link = (
            f"write {first} to link that person (this spelling is kept on the document), "
            if first
            else ""
        )
        return (
            f"'{name}' is likely the same person as {' or '.join(who)}, "
            f"but is not one of their names. Decide: {link}write '{write_cell(name, new=True)}' "
            f"to create a separate person, or add '{name}' as a variant name of that "
            "person in the admin."
        )

    def _new(self, name):
        """Plan a person new in this file; the file's later mentions of the name are them."""
        pid = next(self.new_ids)
        self.pending[pid] = name
        self.matcher.add(pid, name)
        return pid

    def materialize(self, ids, created_people):
        """Create the planned people among `ids`; return {planned id: real id}."""
        todo = [(pid, name) for pid, name in self.pending.items() if pid in ids]
        if not todo:
            return {}
        people = [
            Person(name=name, sort_name=name, name_key=name_key(name), sound_key=sound_key(name))
            for _pid, name in todo
        ]
        self.slugs.assign(people, [name for _pid, name in todo])
        insert_objects(Person, people, key="slug")
        self.resolved = {w: r for w, r in self.resolved.items() if r[0] is None or r[0] > 0}
        mapping = {}
        for (pid, name), person in zip(todo, people, strict=True):
            mapping[pid] = person.pk
            del self.pending[pid]
            self.matcher.replace(pid, person.pk)
            created_people.append((person.pk, name))
        return mapping
