"""The metadata formats harvesters may ask for: `oai_dc` (required by the protocol) and `mods`.

Why MODS 3.7 as the richer format: the aggregators an archive of documents feeds take it (DPLA's
hubs, Europeana's national aggregators through MODS crosswalks, WorldCat Digital Collection
Gateway, Islandora and Samvera repositories), and it holds what Dublin Core flattens: people
with their roles (MARC relator codes: author, addressee, translator), the date as written beside
its EDTF and its w3cdtf bounds with a qualifier (approximate, questionable), the archival
reference (location/shelfLocator) apart from the repository holding the original
(location/physicalLocation), the rights statement with its URI (accessCondition), the
collections (relatedItem type="host"). EAD 3 describes finding aids, a hierarchy of components,
rather than one item at a time as our records are.

Both are built from the record as the citations are (`documents.citing.DocumentCitation`: the
people in their roles, the archival citations and the source phrase, the date's parts), from a
document whose links `documents.oai.records.documents_of` prefetched, so building one makes no
queries.
"""

from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils import timezone
from lxml import etree

from documents.citing import DocumentCitation
from documents.models import Contribution
from documents.oai.protocol import XSI, element

DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
MODS = "http://www.loc.gov/mods/v3"
XLINK = "http://www.w3.org/1999/xlink"

Role = Contribution.Role
# MARC relator codes (https://id.loc.gov/vocabulary/relators): a recipient and a person copied
# are both addressees; "obtained for CWIHP by" credits a contributor.
RELATORS = {
    Role.AUTHOR: "aut",
    Role.RECIPIENT: "rcp",
    Role.COPIED_TO: "rcp",
    Role.TRANSLATOR: "trl",
    Role.CONTRIBUTOR: "ctb",
    Role.OBTAINED_BY: "ctb",
}
# A cable's numbers, as MODS identifiers of these types.
TRANSMISSION_NUMBERS = {
    "outgoing_number": "outgoing number",
    "form_number": "form number",
    "special_numbers": "special number",
}
# EDTF's marks of a date's certainty, as MODS qualifies a date.
QUALIFIERS = {"%": "approximate", "~": "approximate", "?": "questionable"}


@dataclass(frozen=True)
class Record:
    """A published document with what its metadata shows beyond its own fields."""

    document: object
    url: str  # the document's public page
    collection_urls: dict = field(default_factory=dict)  # slug -> the collection's page
    default_rights: object = None

    @property
    def citation(self):
        return DocumentCitation(self.document, url=self.url, accessed=timezone.localdate())

    @property
    def rights(self):
        return self.document.rights or self.default_rights

    # The links documents_of (documents.oai.records) prefetched as lists.
    @property
    def languages(self):
        return self.document.oai_languages

    @property
    def subjects(self):
        return self.document.oai_subjects

    @property
    def places(self):
        return self.document.oai_places

    @property
    def collections(self):
        return self.document.oai_collections


@dataclass(frozen=True)
class Format:
    prefix: str
    schema: str
    namespace: str
    build: object  # (parent element, Record) -> None


def dublin_core(parent, record):
    document, citation = record.document, record.citation
    root = etree.SubElement(
        parent, f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI}
    )
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {FORMATS['oai_dc'].schema}")

    def dc(name, value):
        if value:
            element(root, f"{{{DC}}}{name}", value)

    dc("title", document.title)
    for person in citation.authors:
        dc("creator", person.name)
    for person in [*citation.translators, *further_translators(record)]:
        dc("contributor", person.name)
    for subject in record.subjects:
        dc("subject", subject.name)
    dc("description", document.summary)
    dc("publisher", settings.ARCHIVE_NAME)
    dc("date", document.date_edtf)  # EDTF, the archival profile of ISO 8601 (ISO 8601-2)
    dc("type", "Text")  # the DCMI type
    if document.document_type_id:
        dc("type", document.document_type.name)
    dc("format", "text/html")
    dc("identifier", record.url)
    dc("source", citation.source)
    for language in record.languages:
        dc("language", language.code)
    for place in record.places:
        dc("coverage", place.name)
    for collection in record.collections:
        dc("relation", record.collection_urls[collection.slug])
    rights = record.rights
    if rights:
        dc("rights", rights.text)
        dc("rights", rights.link_uri)


def mods(parent, record):
    document, citation = record.document, record.citation
    root = etree.SubElement(
        parent, f"{{{MODS}}}mods", nsmap={None: MODS, "xlink": XLINK, "xsi": XSI}
    )
    root.set(f"{{{XSI}}}schemaLocation", f"{MODS} {FORMATS['mods'].schema}")
    root.set("version", "3.7")

    def m(parent, name, text=None, **attributes):
        return element(parent, f"{{{MODS}}}{name}", text, **attributes)

    title = m(root, "titleInfo")
    m(title, "title", document.title)

    contributions = list(document.contributions.all())
    for contribution in contributions:
        if contribution.role not in RELATORS:
            continue
        person = contribution.person
        name = m(root, "name", type="personal")
        m(name, "namePart", person.name)
        if contribution.name_as_written and contribution.name_as_written != person.name:
            m(name, "displayForm", contribution.name_as_written)
        role = m(name, "role")
        m(role, "roleTerm", RELATORS[contribution.role], type="code", authority="marcrelator")
        m(role, "roleTerm", _role_label(contribution.role), type="text")
        _identifiers(m, name, person)

    for person in further_translators(record):
        name = m(root, "name", type="personal")
        m(name, "namePart", person.name)
        role = m(name, "role")
        m(role, "roleTerm", RELATORS[Role.TRANSLATOR], type="code", authority="marcrelator")
        m(role, "roleTerm", _role_label(Role.TRANSLATOR), type="text")
        _identifiers(m, name, person)

    m(root, "typeOfResource", "text", manuscript="yes")
    if document.document_type_id:
        m(root, "genre", document.document_type.name)

    origin = m(root, "originInfo", eventType="production")
    if document.date_text:
        m(origin, "dateCreated", document.date_text)
    if document.date_edtf:
        m(origin, "dateCreated", document.date_edtf, encoding="edtf", keyDate="yes")
        _w3cdtf_dates(m, origin, citation, document)
    elif not document.date_text:
        m(origin, "dateCreated", "undated")

    _transmission(m, root, document)

    for language in record.languages:
        term = m(root, "language")
        m(term, "languageTerm", language.code, type="code", authority="rfc5646")
        m(term, "languageTerm", language.name, type="text")

    physical = m(root, "physicalDescription")
    m(physical, "internetMediaType", "text/html")
    m(physical, "digitalOrigin", "reformatted digital")

    if document.summary:
        m(root, "abstract", document.summary)
    if credits := document.credit_line():
        m(root, "note", credits, type="acknowledgment")

    for subject in record.subjects:
        m(m(root, "subject"), "topic", subject.name)
    for place in record.places:
        m(m(root, "subject"), "geographic", place.name)
    for contribution in contributions:
        if contribution.role == Role.MENTIONED:
            name = m(m(root, "subject"), "name", type="personal")
            m(name, "namePart", contribution.person.name)
            _identifiers(m, name, contribution.person)

    for collection in record.collections:
        host = m(root, "relatedItem", type="host")
        m(m(host, "titleInfo"), "title", collection.title)
        m(m(host, "location"), "url", record.collection_urls[collection.slug])

    m(root, "identifier", record.url, type="uri")
    m(root, "identifier", str(document.record_id), type="local")
    for name, kind in TRANSMISSION_NUMBERS.items():
        if value := getattr(document, name):
            m(root, "identifier", value, type=kind)
    location = m(root, "location")
    m(location, "url", record.url, usage="primary display", access="object in context")
    for cited in citation.citations:
        repository = cited.repository
        held = m(root, "location")
        where = ", ".join(part for part in (repository.name, repository.place) if part)
        m(held, "physicalLocation", where or str(repository))
        m(held, "shelfLocator", str(cited).rstrip(". "))

    rights = record.rights
    if rights:
        condition = m(root, "accessCondition", rights.text, type="use and reproduction")
        if rights.link_uri:
            condition.set(f"{{{XLINK}}}href", rights.link_uri)

    info = m(root, "recordInfo")
    m(info, "recordContentSource", settings.ARCHIVE_NAME)
    m(info, "recordIdentifier", str(document.record_id))


def _transmission(m, root, document):
    """A cable's sending and receipt as an originInfo event, the rest of its header as a note.

    MODS has a place for where it was sent from and the times (as written, and as ISO 8601);
    the destination, addressee, copy and duty officers have none but a note. Its numbers are
    identifiers (see TRANSMISSION_NUMBERS); its distribution list is the names in role 'rcp'."""
    times = [
        (kind, written, normalized)
        for kind, written, normalized in (
            ("sent", document.sent_text, document.sent_at),
            ("received", document.received_text, document.received_at),
        )
        if written
    ]
    if document.origin_id or times:
        event = m(root, "originInfo", eventType="transmission")
        if document.origin_id:
            m(m(event, "place"), "placeTerm", document.origin.name, type="text")
        for kind, written, normalized in times:
            m(event, "dateOther", written, type=kind)
            if normalized:
                m(event, "dateOther", normalized, type=kind, encoding="iso8601")
    parts = [
        f"{label} {value}"
        for label, value in (
            ("To where:", document.destination.name if document.destination_id else ""),
            ("To whom:", document.addressee),
            ("Copy Nº", document.copy_number),
            ("Sent by", document.sent_by),
            ("Received by", document.received_by),
        )
        if value
    ]
    if parts:
        m(root, "note", ". ".join(parts) + ".", type="transmission")


def further_translators(record):
    """Who made the document's further translations, each once, beyond those who are credited
    with its main translation (documents.models.texts)."""
    credited = {
        c.person_id for c in record.document.contributions.all() if c.role == Role.TRANSLATOR
    }
    people = {}
    for text in getattr(record.document, "oai_translated_texts", []):
        if text.translator_id not in credited:
            people.setdefault(text.translator_id, text.translator)
    return list(people.values())


@cache
def _role_label(role):
    """The role as the admin names it ("Obtained by"), translated once rather than per name."""
    return str(Role(role).label)


def _identifiers(m, name, person):
    if person.wikidata_id:
        m(name, "nameIdentifier", person.wikidata_id, type="wikidata")
    if person.viaf_id:
        m(name, "nameIdentifier", person.viaf_id, type="viaf")


def _w3cdtf_dates(m, origin, citation, document):
    """The date in w3cdtf: itself when it is one day, month or year; else its first and last day."""
    qualifier = next((QUALIFIERS[mark] for mark in QUALIFIERS if mark in document.date_edtf), None)
    points = citation.points
    extra = {"qualifier": qualifier} if qualifier else {}
    if len(points) == 1 and not points[0].unspecified:
        m(origin, "dateCreated", points[0].iso, encoding="w3cdtf", **extra)
        return
    if document.date_start:
        m(
            origin,
            "dateCreated",
            document.date_start.isoformat(),
            encoding="w3cdtf",
            point="start",
            **extra,
        )
    if document.date_end:
        m(
            origin,
            "dateCreated",
            document.date_end.isoformat(),
            encoding="w3cdtf",
            point="end",
            **extra,
        )


FORMATS = {
    "oai_dc": Format(
        "oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC, dublin_core
    ),
    "mods": Format("mods", "http://www.loc.gov/standards/mods/v3/mods-3-7.xsd", MODS, mods),
}
