"""The public filters of the document lists (/documents/ and each collection page), declared once.

A filter is one entry of `FILTERS`: its query-string name, its kind, the fields it reads and the
vocabulary its values name. Everything else is derived from that entry, never written again:

- `documents.browse.filters.DocumentFilter`: the form field and the SQL that filters by it;
- `documents.browse.index`: the in-memory columns or links, the mask in `find()` and the counts;
- `documents.browse.facets`: the sidebar heading, the options' labels and their order;
- `tests/public/test_facet_index.py`: the values the equivalence test draws and counts by ORM.

`documents.browse.checks` runs at start-up (from the documents app's `ready()`) and refuses a
declaration the index cannot serve, so a filter can never be honoured by the SQL and silently
ignored by the index.

Values in the query string are slugs or codes, never database ids, so that a bookmarked or cited
URL keeps meaning the same thing after an export and re-import.

Imports the models and Django only; the filter set, the index and the facets import this module.
"""

from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from archive_collections.models import Collection
from documents.models import (
    Citation,
    Classification,
    Contribution,
    Document,
    DocumentType,
    Funding,
    Language,
    Organization,
    Person,
    Place,
    Repository,
    Subject,
)


class Declaration:
    """One public filter. Immutable and shared: a FilterSet's per-request deep copy keeps it."""

    name: str

    def __deepcopy__(self, memo):
        return self

    @property
    def names(self):
        """Every query-string name this filter reads."""
        return (self.name,)

    @property
    def facets(self):
        """(facet name, sidebar heading) for each facet this filter shows."""
        return ()

    @property
    def vocabularies(self):
        """(query-string name, Vocabulary) for each name whose values are terms."""
        return ()


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The terms a filter's values name.

    `value` is the field the query string gives (a slug or a code), `label` what the sidebar
    shows and `sort_label` what options of equal count are ordered by. With `published_only`,
    only the model's `published()` terms can be chosen or counted.
    """

    model: type
    value: str = "slug"
    label: str = "name"
    sort_label: str = "name"
    published_only: bool = False

    def terms(self):
        """The terms a visitor may choose."""
        manager = self.model._default_manager
        return manager.published() if self.published_only else manager.all()


class OneVocabulary(Declaration):
    """A filter over one vocabulary: one name, one facet."""

    @property
    def facets(self):
        return ((self.name, self.facet),)

    @property
    def vocabularies(self):
        return ((self.name, self.vocabulary),)


@dataclass(frozen=True, eq=False)
class Column(OneVocabulary):
    """A ForeignKey on Document: one term per document, so several values widen (a *or* b)."""

    name: str
    label: str
    facet: str
    field: str  # the ForeignKey on Document
    vocabulary: Vocabulary


@dataclass(frozen=True, eq=False)
class Link(OneVocabulary):
    """A table linking documents to terms: several values narrow (a *and* b).

    A document counts once per term even where the table can link the two twice (two citations
    of one repository): the index reads whether (document, term) is unique from the model.
    """

    name: str
    label: str
    facet: str
    through: type  # the link table's model
    term: str  # its ForeignKey to the vocabulary
    vocabulary: Vocabulary
    document: str = "document"  # its ForeignKey to Document


@dataclass(frozen=True, eq=False)
class PeopleInRoles(Declaration):
    """People linked in a role: `name` chooses people (each narrows), `role_name` their roles.

    With people chosen, the roles narrow each person's links (Stalin *as author*) and the role
    facet counts those people's roles; alone, a role finds documents with anyone in it.
    """

    name: str
    label: str
    facet: str
    role_name: str
    role_label: str
    role_facet: str
    through: type
    person: str  # the link's ForeignKey to the person
    role: str  # the link's field with the role's choices
    vocabulary: Vocabulary
    document: str = "document"

    @property
    def names(self):
        return (self.name, self.role_name)

    @property
    def facets(self):
        return ((self.name, self.facet), (self.role_name, self.role_facet))

    @property
    def vocabularies(self):
        return ((self.name, self.vocabulary),)

    @property
    def roles(self):
        """[(value, label)] of the roles, in the order the facet numbers them."""
        return list(self.through._meta.get_field(self.role).choices)


@dataclass(frozen=True, eq=False)
class DateRange(Declaration):
    """From and to, each a year, a month or a day; a document matches when its range overlaps."""

    name: str  # the first day asked for
    label: str
    to_name: str  # the last day asked for
    to_label: str
    start: str = "date_start"  # Document's first possible day
    end: str = "date_end"  # and last

    @property
    def names(self):
        return (self.name, self.to_name)


@dataclass(frozen=True, eq=False)
class FullText(Declaration):
    """The words searched for, through `documents.search`."""

    name: str
    label: str


@dataclass(frozen=True, eq=False)
class Sorting(Declaration):
    """The list's order: `orders` maps each value to its ORDER BY; `ranked` needs a search."""

    name: str
    label: str
    orders: dict
    labels: dict
    default: str
    ranked: str


SEARCH = FullText("q", _("Search"))
DATES = DateRange("date_from", _("From"), "date_to", _("To"))
TYPE = Column("type", _("Type"), _("Type"), "document_type", Vocabulary(DocumentType))
LANGUAGE = Link(
    "language",
    _("Original language"),
    _("Original language"),
    Document.languages.through,
    "language",
    Vocabulary(Language, value="code"),
)
PEOPLE = PeopleInRoles(
    "person",
    _("Person"),
    _("People"),
    "role",
    _("Role"),
    _("Role"),
    Contribution,
    "person",
    "role",
    Vocabulary(Person, sort_label="sort_name"),
)
SUBJECT = Link(
    "subject",
    _("Subject"),
    _("Subjects"),
    Document.subjects.through,
    "subject",
    Vocabulary(Subject),
)
PLACE = Link("place", _("Place"), _("Places"), Document.places.through, "place", Vocabulary(Place))
REPOSITORY = Link(
    "repository",
    _("Repository"),
    _("Repository"),
    Citation,
    "repository",
    Vocabulary(Repository, value="abbreviation"),
)
CLASSIFICATION = Column(
    "classification",
    _("Original classification"),
    _("Original classification"),
    "classification",
    Vocabulary(Classification),
)
COLLECTION = Link(
    "collection",
    _("Collection"),
    _("Collections"),
    Collection.documents.through,
    "collection",
    Vocabulary(Collection, label="title", sort_label="title", published_only=True),
)
FUNDER = Link(
    "funder", _("Funder"), _("Funders"), Funding, "organization", Vocabulary(Organization)
)
SORT = Sorting(
    "sort",
    _("Sort by"),
    orders={
        "date": [
            F("date_start").asc(nulls_last=True),
            F("date_end").asc(nulls_last=True),
            "title",
        ],
        "-date": [
            F("date_start").desc(nulls_last=True),
            F("date_end").desc(nulls_last=True),
            "title",
        ],
        "title": ["title", "pk"],
    },
    labels={
        "relevance": _("Relevance"),
        "date": _("Date, oldest first"),
        "-date": _("Date, newest first"),
        "title": _("Title"),
    },
    default="date",
    ranked="relevance",
)

# In the order of the form's fields and of the facets in the sidebar.
FILTERS = [
    SEARCH,
    DATES,
    TYPE,
    LANGUAGE,
    PEOPLE,
    SUBJECT,
    PLACE,
    REPOSITORY,
    CLASSIFICATION,
    COLLECTION,
    FUNDER,
    SORT,
]

# Derived: the vocabulary of each name whose values are terms, and each facet's filter.
VOCABULARIES = {name: vocabulary for d in FILTERS for name, vocabulary in d.vocabularies}
FACETS = {name: d for d in FILTERS for name, _heading in d.facets}
SORTS = SORT.orders
SORT_LABELS = SORT.labels
