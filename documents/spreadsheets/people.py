"""The people a spreadsheet names: resolved batch by batch, new ones planned and created.

Which person a name means is decided by the archive's matching policy
(`documents.authorities.matching`); this module turns its decisions into the import's answers:
a person id, a person to create, or, where the policy leaves it to a curator (a likely or a
shared name), a question (`documents.spreadsheets.questions`), asked once per written name and
applied once answered. The spellings linked by an answer, a `[#id]` or on folded keys are
remembered as the person's variant names when the import is written (`RecordWriter.write_names`).
"""

from django.db.models import Count

from documents.authorities.matching import (
    AMBIGUOUS,
    LIKELY,
    MARK,
    SAME,
    PersonMatcher,
    contradicts,
    name_key,
    read_cell,
    sound_key,
)
from documents.models import Person, PersonName, Slugs
from documents.models.bulk import insert_objects
from documents.spreadsheets.questions import Candidate, Question

# 'Name [#12]' or 'Name [new]': how a curator's decision is written in a cell.
PERSON_MARK = MARK


class People:
    """Finds people by name or variant, batch by batch, and plans the new ones."""

    def __init__(self, new_ids, questions):
        self.new_ids = new_ids
        self.matcher = PersonMatcher()
        self.names = self.matcher.names  # person id -> display name
        self.spellings = self.matcher.spellings  # (person id, name or variant exactly as stored)
        self.pending = {}  # negative id -> name of a person new in this file, to be created
        self.planned = {}  # name of a person new in this file -> their negative id
        self.resolved = {}  # written -> (id, name, problem, question)
        self.remembered = {}  # person id -> {spelling: None} to add as their variant names
        self.details = {}  # person id -> what tells them apart, for questions
        self.variants = {}  # person id -> their variant names, read for questions
        self.questions = questions
        self.created = {}  # id of a person this import created -> name
        self.slugs = Slugs(Person)

    def load(self, names, *, new=()):
        self.matcher.load(names, new=new)

    def load_ids(self, ids):
        self.matcher.load_ids(ids)

    def resolve(self, written, row, column, title=""):
        """Return (person id, name as written, error message or None, question or None).

        A name the policy cannot decide is a question (see `questions`), asked once per name:
        answered, it is decided so; open, the message says so.
        """
        found = self.resolved.get(written)
        if found is None:
            found = self.resolved[written] = self._resolve(written)
        pid, name, problem, question = found
        if question is not None:
            question = self.questions.by_key[question.key]
            self.questions.ask(question, row, column, title)
        return pid, name, problem, question

    def _resolve(self, written):
        cell = read_cell(written)
        name = cell.name
        if not name_key(name):
            return None, name, f"'{written}' is not a name.", None
        if cell.person_id is not None:
            pid = cell.person_id
            self.load_ids([pid])
            if pid not in self.names:
                return (
                    None,
                    name,
                    f"There is no person number {pid} in the archive ('{written}').",
                    None,
                )
            self.remember(pid, name)
            return pid, name, None, None
        # An editor's identification ('Filippov [I. V. Stalin]') is decided; the name is kept.
        # A person written as new is someone else only by exactly their name: no one is
        # compared with it (the likely ones would be passed over all the same, below).
        decision = self.matcher.decide(cell.meant, likely=not cell.new)
        if decision.kind == SAME:
            if decision.please_check:
                self.remember(decision.person, cell.meant)
            return decision.person, name, None, None
        if decision.kind == LIKELY and cell.new:
            return self._new(cell.meant), name, None, None
        if decision.kind not in (AMBIGUOUS, LIKELY):
            return self._new(cell.meant), name, None, None
        question = self._question(cell.meant, decision)
        answer = self.questions.ask(question)
        if not answer:
            return None, name, question.message(), question
        if answer == "new":
            return self._new(cell.meant), name, None, question
        if answer.startswith("="):
            pid = self.planned.get(answer[1:])
            if pid is None:
                missing = f"There is no person new in this file named '{answer[1:]}'."
                return None, name, missing, question
        else:
            pid = int(answer[1:])
        self.remember(pid, cell.meant)
        return pid, name, None, question

    def _question(self, meant, decision):
        """The question a likely or shared name asks, with its candidates and proposal."""
        # People this file creates are named, not numbered: they have no number in a dry run.
        people = [pid for pid in decision.people if pid > 0 and pid not in self.created]
        new_here = [pid for pid in decision.people if pid < 0][::-1]
        new_here += [pid for pid in decision.people if pid in self.created]
        described = self.describe(people)
        candidates = [
            Candidate(f"#{pid}", f"{self.names[pid]} (#{pid})", described.get(pid, ""))
            for pid in people
        ] + [
            Candidate(f"={self.planned_name(pid)}", self.planned_name(pid), "new in this file")
            for pid in new_here
        ]
        choices = [
            (c.answer, f"{c.label}: link, and keep '{meant}' as a variant name")
            if c.answer.startswith("#")
            else (c.answer, f"One new person, written '{c.label}' and '{meant}'")
            for c in candidates
        ]
        choices.append(("new", f"A new person, '{meant}'"))
        if decision.kind == AMBIGUOUS:
            reason = (
                f"'{meant}' is the name of more than one person: "
                f"{' and '.join(c.label for c in candidates)}."
            )
            proposed = ""
        else:
            who = " or ".join(
                c.label + (", new in this file" if c.answer[0] == "=" else "") for c in candidates
            )
            reason = f"'{meant}' is likely the same person as {who}, but is not one of their names."
            proposed = self._proposal(meant, decision.people)
        return Question(
            key=f"person:{meant}",
            kind="person",
            written=meant,
            reason=reason,
            candidates=candidates,
            choices=choices,
            proposed=proposed,
        )

    def _proposal(self, meant, people):
        """The answer proposed for a likely name, or "" for none (a curator then chooses).

        The rule is the policy's (LIKELY in `documents.authorities.matching`): never a
        candidate one of whose names gives other forenames; else the one left, the one whose
        names hold every written word, or the one transliteration.
        """
        sound = sound_key(meant)
        people = [
            pid
            for pid in people
            if not any(contradicts(sound, sound_key(n)) for n in self.names_of(pid))
        ]
        if len(people) > 1:
            words = set(name_key(meant).split())
            holding = [
                pid
                for pid in people
                if words <= {w for n in self.names_of(pid) for w in name_key(n).split()}
            ]
            alike = [pid for pid in people if pid in self.matcher.sound.get(sound, ())]
            people = holding if holding else alike
        if len(people) != 1:
            return ""
        (pid,) = people
        if pid < 0 or pid in self.created:
            return f"={self.planned_name(pid)}"
        return f"#{pid}"

    def names_of(self, pid):
        """Every name of a candidate: display, variants, and the spellings linked in this file."""
        if pid < 0 or pid in self.created:
            names = [self.planned_name(pid)]
        else:
            self.describe([pid])
            names = [self.names.get(pid, ""), *self.variants[pid]]
        return names + list(self.remembered.get(pid, ()))

    def planned_name(self, pid):
        """The name of a person new in this file, planned (negative id) or created."""
        return self.pending.get(pid) or self.created[pid]

    def describe(self, ids):
        """id -> 'life dates; also: variants; N documents' of these people (two queries)."""
        missing = [pid for pid in ids if pid not in self.details]
        if missing:
            found = {
                pid: (birth, death, count)
                for pid, birth, death, count in Person.objects.filter(pk__in=missing)
                .annotate(document_total=Count("contributions__document", distinct=True))
                .values_list("pk", "birth_year", "death_year", "document_total")
            }
            variants = self.variants
            for pid in missing:
                variants[pid] = []
            for pid, variant in PersonName.objects.filter(person__in=missing).values_list(
                "person_id", "name"
            ):
                variants[pid].append(variant)
            for pid in missing:
                birth, death, count = found.get(pid, (None, None, 0))
                parts = []
                if birth or death:
                    parts.append(f"{birth or '?'}–{death or ''}")
                if variants.get(pid):
                    parts.append("also " + ", ".join(variants[pid][:6]))
                parts.append(f"{count} document{'s' if count != 1 else ''}")
                self.details[pid] = "; ".join(parts)
        return {pid: self.details[pid] for pid in ids}

    def asked(self, written):
        """Whether the name in this cell was a question (answered: it is no 'please check')."""
        found = self.resolved.get(written)
        return found is not None and found[3] is not None

    def display_name(self, pid):
        return self.names.get(pid) or self.pending.get(pid, "")

    def remember(self, pid, spelling):
        """Keep `spelling` as a variant name of `pid` once the import is written, unless it is
        one of their names already (apart from case and spacing)."""
        folded = " ".join(spelling.casefold().split())
        if pid > 0:
            self.load_ids([pid])
            names = {n for p, n in self.spellings if p == pid} | {self.names.get(pid, "")}
        else:
            names = {self.pending.get(pid, "")}
        if folded in {" ".join(n.casefold().split()) for n in names}:
            return
        self.remembered.setdefault(pid, {})[spelling] = None

    def _new(self, name):
        """Plan a person new in this file; the file's later mentions of the name are them."""
        pid = next(self.new_ids)
        self.pending[pid] = name
        self.planned.setdefault(name, pid)
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
            self.created[person.pk] = name
            self.matcher.replace(pid, person.pk)
            created_people.append((person.pk, name))
        self.planned = {name: mapping.get(pid, pid) for name, pid in self.planned.items()}
        for pid in [p for p in self.remembered if p in mapping]:
            self.remembered.setdefault(mapping[pid], {}).update(self.remembered.pop(pid))
        return mapping
