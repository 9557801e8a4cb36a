"""The spreadsheet columns for documents, declared once.

`COLUMNS` is the one truth about the columns: their headers, help texts and examples, the model
fields or linked rows that hold them, and (through their kind, see
documents/spreadsheets/kinds.py) how each is read, compared, written, exported and shown in
the import's preview. The import (`importing`, `cleaning`, `state`, `writing`, `undo`), the
export, the template spreadsheet and the README's column table (both written by
`template/make_template.py`, and checked by the tests), the admin's import page and
`generate_archive --csv` all read it.

Adding a column touches the model, its migration and this list; nothing else. Imports done
before keep their undo: each import records which columns its fingerprints cover
(ImportJob.hashed_columns), and undo compares only those.

May import the models and the spreadsheet modules `kinds`, `credits`, `texts`, `links` and
`vocabularies`.
"""

from archive_collections.models import Collection
from documents.models import Contribution, Document, DocumentText
from documents.spreadsheets import vocabularies as terms
from documents.spreadsheets.credits import Funders, OnBehalfOf, People, UncreditedFunders
from documents.spreadsheets.kinds import (
    CitationsColumn,
    Date,
    Day,
    Header,
    RecordId,
    Reference,
    References,
    RelatedRecords,
    StatusColumn,
    Text,
    TransmissionTime,
)
from documents.spreadsheets.links import Citations, Contributions, Related, Texts, Through
from documents.spreadsheets.texts import FurtherText, TextNote, TextTranslator

_people = Contributions()
_texts = Texts()
Role = Contribution.Role


def further_texts(kind):
    """The columns of a document's further texts of one kind: `translation_2`, its language,
    translator (translations only) and note, then `translation_3` ... (DocumentText.PER_KIND)."""
    columns = []
    for slot in range(2, 2 + DocumentText.PER_KIND):
        text = FurtherText(
            kind,
            slot,
            terms=terms.LANGUAGES,
            link=_texts,
            example="Genosse Pischewari! ..." if (kind, slot) == ("translation", 2) else "",
        )
        columns.append(text)
        if kind == DocumentText.Kind.TRANSLATION:
            columns.append(
                TextTranslator(
                    f"{text.key}_translator",
                    f"Who made the translation in `{text.key}`: one person.",
                    "Hannelore Brandt" if slot == 2 else "",
                    text=text,
                )
            )
        columns.append(
            TextNote(
                f"{text.key}_note",
                f"A note shown with `{text.key}`, e.g. "
                + (
                    "what it was translated from."
                    if kind == DocumentText.Kind.TRANSLATION
                    else "which copy it was transcribed from."
                ),
                text=text,
            )
        )
    return columns


COLUMNS = [
    RecordId(
        "record_id",
        "The archive's stable record number. Filled in: the row updates that record (or creates "
        "it with that number). Empty: a new record with the next free number.",
    ),
    Text(
        "title",
        "The title exactly as the source gives it. Required for new records.",
        "Letter, I. V. Stalin to Cde. Pishevari",
        required=True,
    ),
    Date(
        "date",
        "The date as written: 'May 8, 1946', '8 May 1946', '1946-05-08', '05/08/1946' (month "
        "first unless the import's date order is day first), 'November 1945', 'circa 1946', "
        "'1945/1946' or 'undated'.",
        "May 8, 1946",
    ),
    Reference(
        "type",
        "The document type, e.g. 'Letter' or 'Telegram'.",
        "Letter",
        field="document_type",
        terms=terms.DOCUMENT_TYPES,
    ),
    Text("summary", "The curator's summary.", "In a letter intended to be read to Pishevari..."),
    Text("text", "The English translation; line breaks are kept.", "Cde. Pishevari! ..."),
    Text("transcript", "The text in the original language."),
    # Further translations and transcripts (documents.models.texts), each with its language.
    *further_texts(DocumentText.Kind.TRANSLATION),
    *further_texts(DocumentText.Kind.TRANSCRIPT),
    References(
        "languages",
        "Original languages, by name or ISO code.",
        "Russian",
        terms=terms.LANGUAGES,
        link=Through("languages", Document.languages.through, "language_id"),
    ),
    Reference(
        "classification",
        "The original classification marking.",
        "Top Secret",
        field="classification",
        terms=terms.CLASSIFICATIONS,
    ),
    citations := CitationsColumn(
        "citations",
        repository=Header(
            "repository",
            "The archive holding the original, by abbreviation or full name. Leave empty to read "
            "it from the start of `source`.",
            multiple=True,
        ),
        source=Header(
            "source",
            "The archival citation as written, repository first: 'GAPPOD, f.1, op.89, d.112'. "
            "Kept and shown exactly as written; a reference written without its repository "
            "('f.1, op.89') is shown after the one in `repository`. Credits ('Translated by "
            "...') belong in the credit columns.",
            "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072",
            multiple=True,
        ),
        terms=terms.REPOSITORIES,
        link=Citations(),
    ),
    People("authors", "Who wrote it.", "I. V. Stalin", role=Role.AUTHOR, link=_people),
    People(
        "recipients",
        "Who it was addressed to.",
        "Ja'far Pishevari",
        role=Role.RECIPIENT,
        link=_people,
    ),
    People(
        "copied_to",
        "Who received copies: a cable's distribution list ('Copies [to]: ...').",
        "A. Ya. Vyshinsky; V. G. Dekanozov",
        role=Role.COPIED_TO,
        link=_people,
    ),
    People("mentioned", "People mentioned in it.", role=Role.MENTIONED, link=_people),
    obtained_by := People(
        "obtained_by", "Who obtained it for the archive.", role=Role.OBTAINED_BY, link=_people
    ),
    obtained_for := OnBehalfOf(
        "obtained_for",
        "For whom they obtained it, for the credit line ('Obtained for CWIHP by ...'): one "
        "organization for all of them, or one per person in the same order ('-' for none).",
        "CWIHP",
        people=obtained_by,
        terms=terms.ORGANIZATIONS,
    ),
    translators := People(
        "translators", "Who translated it.", "Gary Goldberg", role=Role.TRANSLATOR, link=_people
    ),
    translated_for := OnBehalfOf(
        "translated_for",
        "For whom they translated it: one organization for all of them, or one per person "
        "in the same order ('-' for none).",
        people=translators,
        terms=terms.ORGANIZATIONS,
    ),
    contributors := People(
        "contributors",
        "Who contributed it to the archive.",
        "Jamil Hasanli",
        role=Role.CONTRIBUTOR,
        link=_people,
    ),
    contributed_for := OnBehalfOf(
        "contributed_for",
        "For whom they contributed it: one organization for all of them, or one per person "
        "in the same order ('-' for none).",
        people=contributors,
        terms=terms.ORGANIZATIONS,
    ),
    References(
        "collections",
        "Collections it belongs to, by title.",
        "Iran-Soviet Relations",
        terms=terms.COLLECTIONS,
        link=Through("collections", Collection.documents.through, "collection_id"),
        ambiguous_by="slug",
    ),
    References(
        "subjects",
        "Subjects discussed.",
        "Azerbaijan Crisis",
        terms=terms.SUBJECTS,
        link=Through("subjects", Document.subjects.through, "subject_id"),
    ),
    References(
        "places",
        "Associated places.",
        "Tabriz; Tehran",
        terms=terms.PLACES,
        link=Through("places", Document.places.through, "place_id"),
    ),
    funders := Funders(
        "funders",
        "Funders, by name or abbreviation, in the order the credit line names them.",
        "MacArthur Foundation",
        terms=terms.FUNDERS,
    ),
    UncreditedFunders(
        "uncredited_funders",
        "Those of the funders not named in the credit line ('made possible with support "
        "from ...'). Empty: every funder is named.",
        funders=funders,
    ),
    RelatedRecords(
        "related",
        "Related documents, by record ID (the relation holds both ways). A record named must "
        "be in the archive or on a row of the same file.",
        "7002; 7003",
        link=Related(),
    ),
    # A cable's transmission details (Document.TRANSMISSION_FIELDS); all may stay empty.
    Text("outgoing_number", "A cable's outgoing number as written.", "8924"),
    Text("form_number", "The number of the cable form.", "18"),
    Text("special_numbers", "The special (spets.) numbers as written.", "484-487"),
    TransmissionTime(
        "sent",
        "When the cable was sent: the time (four figures) and the day, as written.",
        "0850, 8 May 1946",
        field="sent_text",
    ),
    TransmissionTime(
        "received",
        "When it was received: the time and the day, as written.",
        "0450, 8 May 1946",
        field="received_text",
    ),
    Reference(
        "origin", "Where it was sent from, a place.", "Moscow", field="origin", terms=terms.PLACES
    ),
    Reference(
        "destination",
        "Where it was sent to (the header's 'to where'), a place.",
        "Tehran",
        field="destination",
        terms=terms.PLACES,
    ),
    Text(
        "addressee",
        "The header's 'to whom' as written; name the person in `recipients` too.",
        "TO SADCHIKOV",
    ),
    Text("copy_number", "Which copy this is.", "1"),
    Text(
        "sent_by",
        "The duty officer who sent it, as written.",
        "OPS Duty Officer Kupryazhina",
    ),
    Text("received_by", "The duty officer who received it, as written.", "Korshunova"),
    Reference(
        "rights",
        "The rights statement, by title. Empty: the archive's default.",
        field="rights",
        terms=terms.RIGHTS_STATEMENTS,
    ),
    StatusColumn(
        "status",
        "draft, published or withdrawn. Empty: draft for new records, unchanged for existing ones.",
        "draft",
        stamps="first_published_at",
    ),
    Day(
        "original_uploaded_date",
        "The day the record was first published (its 'Original Uploaded Date'), e.g. for "
        "records moved from an earlier site. Empty: set when the record is first published, "
        "unchanged for existing ones.",
        "2019-03-12",
        field="first_published_at",
    ),
]

# A credit sentence at the end of a source must name the people these columns credit, since
# the page prints credits from them (CitationsColumn.clean): a credit printed once.
citations.credited = {
    column.people.role: (column.people, column)
    for column in (obtained_for, translated_for, contributed_for)
}

# Derived from COLUMNS: nothing below names a column.
HEADERS = [header for column in COLUMNS for header in column.headers]
COLUMN_NAMES = [header.name for header in HEADERS]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
# The columns a record's state holds: compared, fingerprinted and restored by undo.
COMPARED = [column for column in COLUMNS if column.hashed]
COMPARED_KEYS = [column.key for column in COMPARED]
# Document fields the columns hold (kept in a state and restored by undo), and those derived.
DOCUMENT_FIELDS = list(dict.fromkeys(name for column in COLUMNS for name in column.fields))
DERIVED_FIELDS = list(dict.fromkeys(name for column in COLUMNS for name in column.derived))
DERIVING = [column for column in COLUMNS if column.derived]
# Columns kept in other tables than Document's, and those tables (people share one).
_BY_LINK = {}
for _column in COLUMNS:
    if _column.link is not None:
        _BY_LINK.setdefault(id(_column.link), (_column.link, set()))[1].add(_column.key)
LINKS = [link for link, _keys in _BY_LINK.values()]
# Each table with the keys of the columns it holds: a row that writes any of them writes the
# table's rows of its record once, whichever and however many of its columns the file has.
LINK_KEYS = [(link, frozenset(keys)) for link, keys in _BY_LINK.values()]
PENDING = [column for column in COLUMNS if column.pending]
REQUIRED = [column for column in COLUMNS if column.required]
# The columns naming people, read for a whole batch (RowCleaner.clean_people); the one-person
# columns (a further translation's translator) say how their value is taken from the names.
PEOPLE_COLUMNS = {
    column.key: column.role for column in COLUMNS if isinstance(column, People | TextTranslator)
}
ONE_PERSON = {column.key: column for column in COLUMNS if isinstance(column, TextTranslator)}
VOCABULARIES = {column.key: column.terms for column in COLUMNS if column.terms is not None}
