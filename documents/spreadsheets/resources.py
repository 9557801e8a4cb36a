"""The spreadsheet columns for documents: one definition used by import, export and the template.

`COLUMNS` is the one truth about the columns (name, what goes in, an example); the admin
import, `manage.py import_documents`, `manage.py export_documents`, the template spreadsheet,
the README and the tests all read it. `DocumentResource` is the django-import-export resource
over those columns: it turns a document into a row (export), and the importer in
`documents/importing.py` reads rows back with the same column names.
"""

from dataclasses import dataclass

from import_export import fields, resources

from documents.authorities import matching
from documents.models import Contribution, Document

# Multi-valued cells hold several values separated by this (titles contain commas).
SEPARATOR = ";"

# Spreadsheet programs run a cell as a formula when it starts with one of these. Exported
# cells that do are prefixed with an apostrophe, which the importer removes again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    example: str = ""
    multiple: bool = False
    role: str = ""  # the Contribution role for people columns


COLUMNS = [
    Column(
        "record_id",
        "The archive's stable record number. Filled in: the row updates that record (or creates "
        "it with that number). Empty: a new record with the next free number.",
        "",
    ),
    Column(
        "title",
        "The title exactly as the source gives it. Required for new records.",
        "Letter, I. V. Stalin to Cde. Pishevari",
    ),
    Column(
        "date",
        "The date as written: 'May 8, 1946', '8 May 1946', '1946-05-08', '05/08/1946' (month "
        "first unless the import's date order is day first), 'November 1945', 'circa 1946', "
        "'1945/1946' or 'undated'.",
        "May 8, 1946",
    ),
    Column("type", "The document type, e.g. 'Letter' or 'Telegram'.", "Letter"),
    Column("summary", "The curator's summary.", "In a letter intended to be read to Pishevari..."),
    Column("text", "The English translation; line breaks are kept.", "Cde. Pishevari! ..."),
    Column("transcript", "The text in the original language.", ""),
    Column("languages", "Original languages, by name or ISO code.", "Russian", multiple=True),
    Column("classification", "The original classification marking.", "Top Secret"),
    Column(
        "repository",
        "The archive holding the original, by abbreviation or full name. Leave empty to read it "
        "from the start of `source`.",
        "",
        multiple=True,
    ),
    Column(
        "source",
        "The archival citation as written, repository first: 'GAPPOD, f.1, op.89, d.112'. "
        "Several citations are separated by ';'.",
        "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072",
        multiple=True,
    ),
    Column(
        "authors", "Who wrote it.", "I. V. Stalin", multiple=True, role=Contribution.Role.AUTHOR
    ),
    Column(
        "recipients",
        "Who it was addressed to.",
        "Ja'far Pishevari",
        multiple=True,
        role=Contribution.Role.RECIPIENT,
    ),
    Column(
        "copied_to", "Who received copies.", "", multiple=True, role=Contribution.Role.COPIED_TO
    ),
    Column(
        "mentioned", "People mentioned in it.", "", multiple=True, role=Contribution.Role.MENTIONED
    ),
    Column(
        "translators",
        "Who translated it.",
        "Gary Goldberg",
        multiple=True,
        role=Contribution.Role.TRANSLATOR,
    ),
    Column(
        "contributors",
        "Who contributed it to the archive.",
        "Jamil Hasanli",
        multiple=True,
        role=Contribution.Role.CONTRIBUTOR,
    ),
    Column(
        "collections",
        "Collections it belongs to, by title.",
        "Iran-Soviet Relations",
        multiple=True,
    ),
    Column("subjects", "Subjects discussed.", "Azerbaijan Crisis", multiple=True),
    Column("places", "Associated places.", "Tabriz; Tehran", multiple=True),
    Column(
        "funders",
        "Funders credited, by name or abbreviation.",
        "MacArthur Foundation",
        multiple=True,
    ),
    Column("rights", "The rights statement, by title. Empty: the archive's default.", ""),
    Column(
        "status",
        "draft, published or withdrawn. Empty: draft for new records, unchanged for existing ones.",
        "draft",
    ),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
PEOPLE_COLUMNS = {column.name: column.role for column in COLUMNS if column.role}
# The column the importer adds to a file of bad rows; ignored when that file is imported again.
ERRORS_COLUMN = "import_errors"


def escape_formula(value):
    """Make a cell safe to open in a spreadsheet program; `unescape_formula` reverses it."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(value):
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def person_label(name, person_id, name_owners):
    """The name as written, with '[#id]' added where the name alone would not find this person."""
    return matching.label(name, person_id, name_owners)


class DocumentResource(resources.ModelResource):
    """Documents as spreadsheet rows, in the columns of `COLUMNS`.

    Export with `documents.exporting.export_documents` (streams, prefetches, escapes formulas);
    import with `documents.importing.import_documents` (validates, previews, batches, records).
    """

    record_id = fields.Field(attribute="record_id", column_name="record_id")
    title = fields.Field(attribute="title", column_name="title")
    date = fields.Field(column_name="date")
    type = fields.Field(column_name="type")
    summary = fields.Field(attribute="summary", column_name="summary")
    text = fields.Field(attribute="text", column_name="text")
    transcript = fields.Field(attribute="transcript", column_name="transcript")
    languages = fields.Field(column_name="languages")
    classification = fields.Field(column_name="classification")
    repository = fields.Field(column_name="repository")
    source = fields.Field(column_name="source")
    authors = fields.Field(column_name="authors")
    recipients = fields.Field(column_name="recipients")
    copied_to = fields.Field(column_name="copied_to")
    mentioned = fields.Field(column_name="mentioned")
    translators = fields.Field(column_name="translators")
    contributors = fields.Field(column_name="contributors")
    collections = fields.Field(column_name="collections")
    subjects = fields.Field(column_name="subjects")
    places = fields.Field(column_name="places")
    funders = fields.Field(column_name="funders")
    rights = fields.Field(column_name="rights")
    status = fields.Field(attribute="status", column_name="status")

    class Meta:
        model = Document
        fields = COLUMN_NAMES
        export_order = COLUMN_NAMES
        import_id_fields = ["record_id"]

    def __init__(self, *, name_owners=None, shared_collection_titles=(), **kwargs):
        super().__init__(**kwargs)
        # Collections whose title another collection shares are written by slug instead.
        self.shared_collection_titles = set(shared_collection_titles)
        # name key -> ids of the people with that name or variant (see person_label).
        self.name_owners = name_owners or {}

    @classmethod
    def export_queryset(cls, queryset):
        """The queryset with everything a row needs fetched in a fixed number of queries."""
        return queryset.select_related(
            "document_type", "classification", "rights"
        ).prefetch_related(
            "languages",
            "subjects",
            "places",
            "collections",
            "fundings__organization",
            "contributions__person",
            "citations__repository",
        )

    def export_row(self, document):
        """The row for one document, formulas escaped, in column order."""
        return [
            escape_formula(getattr(self, f"dehydrate_{name}")(document)) for name in COLUMN_NAMES
        ]

    def dehydrate_record_id(self, document):
        return document.record_id

    def dehydrate_title(self, document):
        return document.title

    def dehydrate_date(self, document):
        # A date entered only as EDTF is exported as EDTF, which reads back to the same value.
        return document.date_text or document.date_edtf

    def dehydrate_type(self, document):
        return document.document_type.name if document.document_type else ""

    def dehydrate_summary(self, document):
        return document.summary

    def dehydrate_text(self, document):
        return document.text

    def dehydrate_transcript(self, document):
        return document.transcript

    def dehydrate_languages(self, document):
        return join(sorted(language.name for language in document.languages.all()))

    def dehydrate_classification(self, document):
        return document.classification.name if document.classification else ""

    def dehydrate_repository(self, document):
        return join(citation.repository.abbreviation for citation in document.citations.all())

    def dehydrate_source(self, document):
        return join(str(citation) for citation in document.citations.all())

    def _people(self, document, role):
        return join(
            person_label(c.name_as_written or c.person.name, c.person_id, self.name_owners)
            for c in document.contributions.all()
            if c.role == role
        )

    def dehydrate_authors(self, document):
        return self._people(document, Contribution.Role.AUTHOR)

    def dehydrate_recipients(self, document):
        return self._people(document, Contribution.Role.RECIPIENT)

    def dehydrate_copied_to(self, document):
        return self._people(document, Contribution.Role.COPIED_TO)

    def dehydrate_mentioned(self, document):
        return self._people(document, Contribution.Role.MENTIONED)

    def dehydrate_translators(self, document):
        return self._people(document, Contribution.Role.TRANSLATOR)

    def dehydrate_contributors(self, document):
        return self._people(document, Contribution.Role.CONTRIBUTOR)

    def dehydrate_collections(self, document):
        return join(
            sorted(
                c.slug if c.title.casefold() in self.shared_collection_titles else c.title
                for c in document.collections.all()
            )
        )

    def dehydrate_subjects(self, document):
        return join(sorted(subject.name for subject in document.subjects.all()))

    def dehydrate_places(self, document):
        return join(sorted(place.name for place in document.places.all()))

    def dehydrate_funders(self, document):
        return join(funding.organization.name for funding in document.fundings.all())

    def dehydrate_rights(self, document):
        return document.rights.title if document.rights else ""

    def dehydrate_status(self, document):
        return document.status


class PlainDocumentResource(resources.ModelResource):
    """Stock django-import-export over the same model, for benchmark comparison only."""

    class Meta:
        model = Document
        fields = ["record_id", "title", "date_text", "summary", "text", "transcript", "status"]
        import_id_fields = ["record_id"]


def join(values):
    return f"{SEPARATOR} ".join(values)
