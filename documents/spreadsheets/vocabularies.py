"""The controlled vocabularies a spreadsheet names, preloaded per import, and new entries.

The columns (documents.spreadsheets.columns) say which vocabulary each names (a `Terms`); the
importer loads each once per import. May import the models only."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify

from archive_collections.models import Collection
from documents.models import vocabularies as terms


class Vocabulary:
    """One controlled vocabulary, preloaded: folded name -> id, plus entries to create."""

    def __init__(self, label, model, keys, *, display, create=None):
        self.label, self.model, self.display, self.create = label, model, display, create
        self.by_key, self.names = {}, {}
        for row in model.objects.values("pk", *keys):
            self.names[row["pk"]] = row[display]
            for key in keys:
                if row[key]:
                    folded = row[key].strip().casefold()
                    existing = self.by_key.get(folded)
                    # The same text naming two entries is ambiguous; None marks that.
                    if folded in self.by_key and existing != row["pk"]:
                        self.by_key[folded] = None  # the same text names two entries
                    else:
                        self.by_key[folded] = row["pk"]
        self.pending = {}  # folded -> (negative id, name)

    def resolve(self, value, *, create_missing, new_ids):
        """Return (id, error message or None)."""
        folded = value.casefold()
        if folded in self.by_key:
            found = self.by_key[folded]
            if found is None:
                return None, (
                    f"'{value}' names more than one {self.label}; rename one of them in the admin "
                    "so the name is unique."
                )
            return found, None
        if folded in self.pending:
            return self.pending[folded][0], None
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
        self.pending[folded] = (pending_id, value)
        self.names[pending_id] = value
        return pending_id, None

    def materialize(self, ids, created):
        """Create the pending entries among `ids`; return {pending id: real id}."""
        mapping = {}
        for folded, (pending_id, name) in list(self.pending.items()):
            if pending_id in ids:
                obj = self.create(name)
                mapping[pending_id] = obj.pk
                self.by_key[folded] = obj.pk
                self.names[obj.pk] = name
                del self.pending[folded]
                created.append((self.model._meta.label, obj.pk, name))
        return mapping


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

    def load(self):
        """The vocabulary preloaded for one import."""
        return Vocabulary(
            self.label, self.model, self.keys, display=self.display, create=self.create
        )


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
SUBJECTS = Terms("subject", terms.Subject, ("name",), "name", create=_create_term(terms.Subject))
PLACES = Terms("place", terms.Place, ("name",), "name", create=_create_term(terms.Place))
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
