"""The controlled vocabularies a spreadsheet names, preloaded per import, and new entries.

The columns (documents.spreadsheets.columns) say which vocabulary each names (a `Terms`); the
importer loads each once per import. May import the models, the policy for entries
(`documents.authorities.terms`) and `questions`."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify

from archive_collections.models import Collection
from documents.authorities.terms import AMBIGUOUS, NEAR, NEW, SAME, Entry, TermMatcher
from documents.models import vocabularies as terms
from documents.models.base import split_names
from documents.spreadsheets.questions import Candidate, Question


class Moved:
    """An answer that puts a value in another vocabulary's column ('Tabriz' as the place)."""

    def __init__(self, column, pk):
        self.column, self.pk = column, pk


class Vocabulary:
    """One controlled vocabulary, preloaded, decided by the archive's policy for entries.

    `resolve(value, ...)` gives the entry a value names: the one the policy finds
    (documents.authorities.terms), a new one ("create missing values"), or a question when the
    value only nearly names an entry, asked once per value (documents.spreadsheets.questions).
    """

    def __init__(self, terms):
        self.terms = terms
        self.label, self.model, self.display, self.create = (
            terms.label,
            terms.model,
            terms.display,
            terms.create,
        )
        self.names = {}  # id -> name shown
        fields = [*terms.keys, *(["other_names"] if _has_other_names(self.model) else [])]
        entries = []
        for row in self.model.objects.values("pk", *fields):
            self.names[row["pk"]] = row[self.display]
            others = [row[key] for key in terms.keys if key != self.display and row[key]]
            others += split_names(row.get("other_names"))
            entries.append(Entry(row["pk"], row[self.display], tuple(others)))
        self.matcher = TermMatcher(self.label, entries)
        self.pending = {}  # negative id -> name of an entry to create
        self.planned = {}  # name of an entry new in this file -> negative id, then real id
        self.created = {}  # id of an entry this import created -> name
        self.real = {}  # negative id of an entry this import created -> its id
        self.remembered = {}  # entry id -> {value: None} to add to its other names
        self.questions = None  # the import's Questions, set by the importer
        self.elsewhere = {}  # label of another vocabulary -> (it, its column in the file or None)

    def look_also_in(self, vocabulary, column):
        """Decide values as naming `vocabulary`'s entries too (a subject that is a place)."""
        self.matcher.also = (*self.matcher.also, vocabulary.matcher)
        self.elsewhere[vocabulary.label] = (vocabulary, column)

    def read(self, row, column, value, importer, *, cell=None):
        """The entry `value` (in `column` of `row`) names, or None with the row's error said.

        The error names the question when the value waits for one (the preview lists the
        question once), else the whole `cell` the value was read from."""
        pk, problem, check = self._decide(
            value,
            create_missing=importer.create_missing,
            new_ids=importer.new_ids,
            where=(row.number, column),
        )
        if check:
            row.notes.append(
                f"{column}: please check: '{value}' was read as the {self.label} '{check}', "
                "whose name it is once case, accents, letters of other scripts and punctuation "
                "are set aside."
            )
        if problem is None:
            return pk
        question = self.questions.asking(self.label, value)
        row.error(column, value if question or cell is None else cell, problem, question)
        return None

    def resolve(self, value, *, create_missing, new_ids, where=(None, None)):
        """Return (id, error message or None); the id may be a `Moved` (another column).

        `where` is (row number, column) of the cell, for the question's list of rows."""
        return self._decide(value, create_missing=create_missing, new_ids=new_ids, where=where)[:2]

    def _decide(self, value, *, create_missing, new_ids, where):
        """(id, problem, the name to check when linked on folded keys beyond case, or "")."""
        decision = self.matcher.decide(value)
        if decision.kind == SAME:
            check = ""
            if decision.please_check:
                matched = decision.candidates[0].matched
                check = matched if matched.casefold() != value.casefold() else ""
            return self.real.get(decision.id, decision.id), None, check
        if decision.kind == NEW:
            return (*self._new(value, create_missing, new_ids), "")
        question = self._question(value, decision, create_missing)
        answer = self.questions.ask(question, *where)
        if not answer:
            return None, question.message(), ""
        if answer == "new":
            return (*self._new(value, True, new_ids), "")
        if answer.startswith("="):
            pk = self.planned[answer[1:]]
            pk = self.real.get(pk, pk)
        elif answer.startswith("#"):
            pk = int(answer[1:])
        else:
            label, pk = answer.rsplit("#", 1)
            return Moved(self.elsewhere[label][1], int(pk)), None, ""
        self.remembered.setdefault(pk, {})[value] = None
        return pk, None, ""

    def _question(self, value, decision, create_missing):
        """The question a near or shared value asks: its candidates, choices and proposal."""
        choices, candidates = [], []
        for candidate in decision.candidates:
            code = self._code(candidate)
            if code is None:
                continue  # in a vocabulary the file has no column for
            if candidate.vocabulary != self.label:
                column = self.elsewhere[candidate.vocabulary][1]
                label = f"The {candidate.vocabulary} '{candidate.name}': link it in {column}"
            elif code.startswith("="):
                label = f"'{candidate.name}', new in this file: one entry"
            else:
                label = (
                    f"'{candidate.name}' (#{candidate.id}): link, '{value}' kept as its other name"
                )
            candidates.append(Candidate(code, candidate.name, candidate.reason))
            choices.append((code, label))
        can_create = create_missing and self.create is not None
        if can_create:
            choices.append(("new", f"A new {self.label}, '{value}'"))
        proposed = ""
        if decision.kind == NEAR:
            link = decision.proposal
            proposed = self._code(link) if link is not None else ("new" if can_create else "")
        if decision.kind == AMBIGUOUS:
            reason = f"'{value}' names more than one {self.label}."
        else:
            close = "one" if len(candidates) == 1 else f"{len(candidates)} of them"
            reason = f"'{value}' is not a {self.label} in the archive, but is close to {close}."
            if not can_create and self.create is not None:
                reason += " To add it as a new entry, choose 'create missing values'."
        return Question(
            key=f"{self.label}:{value}",
            kind=self.label,
            written=value,
            reason=reason,
            candidates=candidates,
            choices=choices,
            proposed=proposed or "",
        )

    def _code(self, candidate):
        """The answer that links `candidate`; None if the file cannot hold it."""
        if candidate.vocabulary != self.label:
            if self.elsewhere[candidate.vocabulary][1] is None:
                return None
            return f"{candidate.vocabulary}#{candidate.id}"
        if candidate.id < 0:
            return f"={self.planned_name(candidate.id)}"
        return f"#{candidate.id}"

    def planned_name(self, pk):
        """The name of an entry new in this file, by its negative id (created or not yet)."""
        return self.pending.get(pk) or self.created.get(self.real.get(pk), "")

    def _new(self, value, create_missing, new_ids):
        if not create_missing or self.create is None:
            return None, (
                f"'{value}' is not a {self.label} in the archive. Check the spelling, add it in "
                "the admin, or choose 'create missing values'."
            )
        limit_ = self.model._meta.get_field(self.display).max_length
        if limit_ and len(value) > limit_:
            return (
                None,
                f"'{value[:40]}…' is longer than the {limit_} characters a {self.label} may have.",
            )
        pending_id = next(new_ids)
        self.pending[pending_id] = value
        self.planned[value] = pending_id
        self.names[pending_id] = value
        self.matcher.add(Entry(pending_id, value))
        return pending_id, None

    def materialize(self, ids, created):
        """Create the pending entries among `ids`; return {pending id: real id}."""
        mapping = {}
        for pending_id, name in list(self.pending.items()):
            if pending_id in ids:
                obj = self.create(name)
                mapping[pending_id] = obj.pk
                self.names[obj.pk] = name
                self.created[obj.pk] = name
                del self.pending[pending_id]
                self.real[pending_id] = obj.pk  # the matcher keeps the negative id
                created.append((self.model._meta.label, obj.pk, name))
        if mapping:
            self.planned = {n: mapping.get(pk, pk) for n, pk in self.planned.items()}
            for pk in [p for p in self.remembered if p in mapping]:
                self.remembered.setdefault(mapping[pk], {}).update(self.remembered.pop(pk))
        return mapping

    def write_names(self):
        """Add the values the answers linked to the entries' other names; return what was added
        as [model label, id, value]."""
        added = []
        wanted = {pk: values for pk, values in self.remembered.items() if pk > 0}
        if not wanted or not _has_other_names(self.model):
            return added
        for obj in self.model.objects.filter(pk__in=wanted):
            names = split_names(obj.other_names)
            new = [v for v in wanted[obj.pk] if v not in names]
            if new:
                obj.other_names = "\n".join([*names, *new])
                obj.save(update_fields=["other_names"])
                added += [[self.model._meta.label, obj.pk, v] for v in new]
        return added


def _has_other_names(model):
    return any(f.name == "other_names" for f in model._meta.get_fields())


def _create_term(model):
    def create(name):
        obj = model(name=name)
        obj.save()
        return obj

    return create


def _create_language(name):
    base = (slugify(name) or "lang")[:12]
    code, n = base, 1
    while terms.Language.objects.filter(code=code).exists():
        n += 1
        code = f"{base[: 12 - len(str(n)) - 1]}-{n}"
    return terms.Language.objects.create(name=name, code=code)


def _create_collection(name):
    collection = Collection(title=name)
    collection.save()
    return collection


@dataclass(frozen=True)
class Terms:
    """A controlled vocabulary a column names: the texts that find an entry and the one shown.

    `create` makes a missing entry from its name ("create missing values"); None: never.
    """

    label: str
    model: type
    keys: tuple
    display: str
    create: Callable | None = None
    # Vocabularies a value written here may name instead ('Tabriz' as a subject: the place).
    also: tuple = ()

    def load(self):
        """The vocabulary preloaded for one import."""
        return Vocabulary(self)


DOCUMENT_TYPES = Terms(
    "document type", terms.DocumentType, ("name",), "name", create=_create_term(terms.DocumentType)
)
CLASSIFICATIONS = Terms(
    "classification",
    terms.Classification,
    ("name",),
    "name",
    create=_create_term(terms.Classification),
)
LANGUAGES = Terms("language", terms.Language, ("name", "code"), "name", create=_create_language)
PLACES = Terms("place", terms.Place, ("name",), "name", create=_create_term(terms.Place))
SUBJECTS = Terms(
    "subject",
    terms.Subject,
    ("name",),
    "name",
    create=_create_term(terms.Subject),
    also=(PLACES,),
)
COLLECTIONS = Terms("collection", Collection, ("slug", "title"), "title", create=_create_collection)
# Funders, and those credited people act for ("Obtained for CWIHP by ..."): one vocabulary,
# so that an organization new in a file is created once for all its columns.
ORGANIZATIONS = FUNDERS = Terms(
    "funder or other organization",
    terms.Organization,
    ("name", "abbreviation"),
    "name",
    create=lambda name: terms.Organization.objects.create(name=name),
)
REPOSITORIES = Terms(
    "repository",
    terms.Repository,
    ("abbreviation", "name"),
    "abbreviation",
    create=lambda name: terms.Repository.objects.create(abbreviation=name, name=name),
)
# A rights statement needs its notice text, so it is never created from a spreadsheet.
RIGHTS_STATEMENTS = Terms("rights statement", terms.RightsStatement, ("title", "uri"), "title")
