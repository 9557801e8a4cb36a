"""What Zotero saves from a document page: through its meta tags and through the unAPI server.

Zotero runs its translators inside the browser, so the meta tags are read here by the rules of
its Embedded Metadata translator, written down from the zotero/translators source (file and
function named at each rule below), and the unAPI server is asked exactly what Zotero's unAPI
translator asks, its RIS read by rispy with the tags Zotero's RIS translator maps.
"""

import re
from datetime import date
from html.parser import HTMLParser

import pytest
import rispy
from defusedxml import ElementTree
from django.core.files.base import ContentFile

from documents.models import Scan, Status
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def accessed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2026, 11, 22))


# The rules of Zotero's Embedded Metadata translator --------------------------------------------

# "Embedded Metadata.js" `_prefixes`: the namespaces known without a <link rel="schema.X">.
DEFAULT_PREFIXES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "z": "http://www.zotero.org/namespaces/export#",
    "og": "http://ogp.me/ns#",
    "so": "http://schema.org/",
    "prism": "http://prismstandard.org/namespaces/1.2/basic/",
}
DC, Z = DEFAULT_PREFIXES["dc"], DEFAULT_PREFIXES["z"]
# `init`: the Highwire tags that set the item type outright (hwType).
HIGHWIRE_TYPES = {
    "citation_journal_title": "journalArticle",
    "citation_technical_report_institution": "report",
    "citation_conference_title": "conferencePaper",
    "citation_conference": "conferencePaper",
    "citation_book_title": "bookSection",
    "citation_inbook_title": "bookSection",
    "citation_dissertation_institution": "thesis",
}
# zotero-schema schema.json: each item type's creator types, the primary one first.
CREATOR_TYPES = {
    "letter": ["author", "recipient", "contributor", "translator"],
    "manuscript": ["author", "contributor", "translator"],
    "journalArticle": ["author", "contributor", "editor", "translator", "reviewedAuthor"],
}


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.metas, self.links = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name") and attrs.get("content"):
            self.metas.append((attrs["name"], attrs["content"]))
        if tag == "link":
            self.links.append(attrs)


def clean_author(name, creator_type):
    """ZU.cleanAuthor as the translators call it: split at a comma when there is one."""
    if "," in name:
        last, _, first = name.partition(",")
    else:
        first, _, last = name.rpartition(" ")
    return (last.strip(), first.strip(), creator_type)


def zotero_item(body):
    head = Head()
    head.feed(body)
    prefixes = dict(DEFAULT_PREFIXES)
    # getPrefixes: <link rel="schema.X" href="namespace">.
    for link in head.links:
        match = re.match(r"^schema\.([a-zA-Z]+)", link.get("rel", ""))
        if match:
            prefixes[match[1].lower()] = link["href"]
    statements, highwire = {}, {}
    hw_type = hw_type_guess = None
    for names, value in head.metas:
        for tag in names.split():
            # init: the first part of the name, split at . : or _, picks the namespace.
            parts = re.split(r"[.:_]", tag)
            prefix = parts[0].lower()
            if prefix in prefixes:
                prop = tag[len(parts[0]) + 1 :]
                prop = prop[:1].lower() + prop[1:]
                statements.setdefault(prefixes[prefix] + prop, []).append(value)
                continue
            short = tag[tag.rfind("citation_") :] if "citation_" in tag else tag
            highwire.setdefault(short, []).append(value)
            hw_type = HIGHWIRE_TYPES.get(short, hw_type)
            if short in ("citation_title", "citation_series_title"):
                hw_type_guess = hw_type_guess or "journalArticle"

    def first(uri):
        return statements.get(uri, [None])[0]

    # RDF.js detectType: z:itemType before dc:type before the Highwire guess; a hwType wins.
    item_type = hw_type or first(Z + "itemType") or hw_type_guess
    item = {"itemType": item_type, "attachments": []}
    # RDF.js importItem: creators by type; authors from dc:creator, the others from z:<type>s.
    creators = []
    for creator_type in CREATOR_TYPES[item_type]:
        uris = [DC + "creator", DC + "contributor"] if creator_type == "author" else []
        uris.append(Z + creator_type + "s")
        found = next((statements[uri] for uri in uris if uri in statements), [])
        creators += [clean_author(name, creator_type) for name in found]
    # addHighwireMetadata: Highwire authors, when there are any, replace every creator.
    if highwire.get("citation_author"):
        creators = [clean_author(name, "author") for name in highwire["citation_author"]]
    item["creators"] = creators
    # RDF.js importItem: publicationTitle from dc:source; the type fields from dc:type.
    item["publicationTitle"] = first(DC + "source")
    item["title"] = first(DC + "title")
    item["date"] = first(DC + "date")
    item["archiveLocation"] = first(DC + "coverage")
    for field in ("letterType", "manuscriptType"):
        item[field] = first(DC + "type")
    # RDF.js importItem, "OTHER FIELDS": every z: property is copied to the field of its name.
    for uri, values in statements.items():
        if uri.startswith(Z) and uri[len(Z) :] != "itemType":
            item[uri[len(Z) :]] = values[0]
    # addHighwireMetadata: HIGHWIRE_MAPPINGS (the last date tag of the list found wins).
    for tag, field in (
        ("citation_title", "title"),
        ("citation_publication_date", "date"),
        ("citation_cover_date", "date"),
        ("citation_date", "date"),
        ("citation_journal_title", "publicationTitle"),
        ("citation_publisher", "publisher"),
    ):
        if highwire.get(tag):
            item[field] = highwire[tag][0]
    if highwire.get("citation_pdf_url"):
        item["attachments"].append(("Full Text PDF", highwire["citation_pdf_url"][0]))
    return item


def page(client, document):
    return client.get(document.get_absolute_url()).content.decode()


def test_zotero_saves_a_letter_with_its_archive_location_recipient_and_translator(client, archive):
    item = zotero_item(page(client, archive.stalin_letter))
    assert item["itemType"] == "letter"
    assert item["creators"] == [
        ("Stalin", "I. V.", "author"),
        ("Pishevari", "Ja'far", "recipient"),
        ("Goldberg", "Gary", "translator"),
    ]
    assert item["title"] == "Letter, I. V. Stalin to Cde. Pishevari"
    assert item["date"] == "1946/05/08"
    assert item["archive"] == "Russian State Archive of Socio-Political History"
    assert item["archiveLocation"] == "f. 558, op. 11, d. 317, ll. 0069-0072"
    assert item["letterType"] == "Letter"
    # Not a journal article whose Publication is the shelfmark.
    assert item["publicationTitle"] is None


def test_zotero_saves_a_telegram_to_several_people_as_a_letter_too(client, archive):
    item = zotero_item(page(client, archive.bagirov_letter))
    assert item["itemType"] == "letter"
    assert [c for c in item["creators"] if c[2] == "recipient"] == [
        ("Stalin", "I. V.", "recipient"),
        ("Molotov", "V. M.", "recipient"),
    ]


def test_zotero_saves_a_memorandum_as_a_manuscript_with_its_date_as_written(client, db):
    document = DocumentFactory(document_type=None, date_text="1940s")
    item = zotero_item(page(client, document))
    assert item["itemType"] == "manuscript"
    assert item["date"] == "1940s"


def pdf_scan(document, **fields):
    return Scan.objects.create(
        document=document,
        file=ContentFile(b"%PDF-1.4\n", name="original.pdf"),
        public_file=ContentFile(b"%PDF-1.4\n", name="public.pdf"),
        media_type=Scan.MediaType.PDF,
        sha256="0" * 64,
        **fields,
    )


def test_zotero_attaches_the_public_pdf_scan(client, db):
    document = DocumentFactory()
    scan = pdf_scan(document)
    item = zotero_item(page(client, document))
    assert item["attachments"] == [("Full Text PDF", f"http://testserver{scan.public_file.url}")]
    ris = client.get(f"/documents/{document.record_id}/cite.ris").content.decode()
    assert f"L1  - http://testserver{scan.public_file.url}\r\n" in ris


def test_a_pdf_still_being_processed_is_not_offered_to_zotero(client, db):
    document = DocumentFactory()
    pdf_scan(document, processing=Scan.Processing.PENDING)
    assert zotero_item(page(client, document))["attachments"] == []


# unAPI --------------------------------------------------------------------------------------------

# unAPI.js RECOGNIZABLE_FORMATS: the order in which Zotero prefers the formats a server offers.
ZOTERO_FORMATS = ["rdf_zotero", "rdf_bibliontology", "marc", "mods", "ris", "refer", "bibtex"]


def unapi_link_and_id(body):
    server = re.search(
        r'<link rel="unapi-server" type="application/xml" title="unAPI" href="([^"]+)">', body
    )
    # unAPI.js getUnAPIIDs: abbr elements of class unapi-id with a title.
    ids = re.findall(r'<abbr class="unapi-id" title="([^"]+)"></abbr>', body)
    return server.group(1), ids


def zotero_format(formats_xml):
    """unAPI.js UnAPIFormat: the best format Zotero recognises in a formats list."""
    names = [node.get("name") for node in ElementTree.fromstring(formats_xml).iter("format")]
    found = {"ris" if re.match(r"^ris\b", name.lower()) else name.lower(): name for name in names}
    return next(found[name] for name in ZOTERO_FORMATS if name in found)


def test_zotero_finds_the_unapi_server_and_imports_the_letter_from_its_ris(client, archive):
    server, ids = unapi_link_and_id(page(client, archive.stalin_letter))
    assert server == "http://testserver/unapi"
    assert ids == [f"record-{archive.stalin_letter.record_id}"]
    formats = client.get("/unapi")
    assert formats.status_code == 200
    assert formats["Content-Type"] == "application/xml; charset=utf-8"
    name = zotero_format(formats.content)
    assert name == "ris"
    # unAPI.js getItems: unAPIResolver + "?id=" + id + "&format=" + name.
    response = client.get(f"/unapi?id={ids[0]}&format={name}")
    assert response.status_code == 200
    (entry,) = rispy.loads(response.content.decode())
    assert entry["type_of_reference"] == "PCOMM"  # RIS.js exportTypeMap: letter
    assert entry["authors"] == ["Stalin, I. V."]
    assert entry["secondary_authors"] == ["Pishevari, Ja'far"]  # RIS.js A2: recipient
    assert entry["subsidiary_authors"] == ["Goldberg, Gary"]  # RIS.js A4: translator
    assert entry["name_of_database"] == "Russian State Archive of Socio-Political History"
    assert entry["accession_number"] == "f. 558, op. 11, d. 317, ll. 0069-0072"
    assert entry["date"] == "1946/05/08/"


def test_unapi_lists_a_records_formats_as_multiple_choices(client, archive):
    record = f"record-{archive.baku_telegram.record_id}"
    response = client.get("/unapi", {"id": record})
    assert response.status_code == 300
    root = ElementTree.fromstring(response.content)
    assert root.get("id") == record
    assert [node.get("name") for node in root.iter("format")] == ["ris", "bibtex", "csl"]


def test_unapi_serves_bibtex_and_csl_json_too(client, archive):
    record = f"record-{archive.baku_telegram.record_id}"
    bibtex = client.get("/unapi", {"id": record, "format": "bibtex"})
    assert bibtex["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert bibtex.content.decode().startswith(f"@misc{{record{archive.baku_telegram.record_id},")
    csl = client.get("/unapi", {"id": record, "format": "csl"})
    assert csl.json()[0]["type"] == "personal_communication"


def test_unapi_answers_406_for_a_format_it_does_not_offer(client, archive):
    record = f"record-{archive.baku_telegram.record_id}"
    response = client.get("/unapi", {"id": record, "format": "mods"})
    assert response.status_code == 406
    assert response.content.decode() == (
        "The format 'mods' is not offered: ask for one of ris, bibtex, csl.\n"
    )


def test_unapi_answers_400_for_a_format_without_an_id(client, db):
    response = client.get("/unapi", {"format": "ris"})
    assert response.status_code == 400
    assert "together with an id" in response.content.decode()


@pytest.mark.parametrize("record", ["record-999999", "999", "record-", "record-1x"])
def test_unapi_answers_404_for_an_id_that_names_no_record(client, db, record):
    assert client.get("/unapi", {"id": record}).status_code == 404
    assert client.get("/unapi", {"id": record, "format": "ris"}).status_code == 404


def test_unapi_never_serves_drafts_or_withdrawn_records_even_to_curators(client, archive, curator):
    withdrawn = DocumentFactory(status=Status.WITHDRAWN)
    client.force_login(curator)
    for document in (archive.draft, withdrawn):
        record = f"record-{document.record_id}"
        assert client.get("/unapi", {"id": record}).status_code == 404
        assert client.get("/unapi", {"id": record, "format": "ris"}).status_code == 404
    assert client.get("/unapi").content.decode().count("<format ") == 3
