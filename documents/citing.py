"""How researchers cite a document: a Chicago-style note, RIS, BibTeX, CSL-JSON and page metadata.

Everything is built from the record (people in their roles, the date, the archival citations, the
translator) and the archive's name from settings, never typed by hand. Callers pass a document
whose contributions (with people), citations (with repositories), languages and subjects are
prefetched, so building a citation makes no queries.

Each format is written for the programs that read it, checked against their own code or with the
programs themselves (tests/public/test_citation_clients.py):

- the type: a letter, telegram or cable is a letter (RIS `PCOMM`, CSL `personal_communication`,
  Zotero `letter`, which keeps recipients); anything else a manuscript;
- the repository is the archive (Zotero's Archive, CSL `archive`, RIS `DB`), the reference within
  it the location in the archive (Zotero's Loc. in Archive, CSL `archive_location`, RIS `AN`),
  the repository's city `archive-place`; this website is where the record was found (RIS `DP`);
- dates are written as a historian writes them, by the one rule in
  `documents.parsing.dates.format_edtf_for_citation`, and in parts wherever a format has parts.
"""

import json
import re
from datetime import date

from django.conf import settings
from django.utils.dateformat import format as format_date

from documents.models import Contribution
from documents.models.base import split_names
from documents.parsing.bidi import marked
from documents.parsing.dates import edtf_points, format_edtf_for_citation
from documents.parsing.references import within_repository

# Document types cited as letters (by name, any case): each has a sender and recipients.
LETTER_TYPES = frozenset({"letter", "telegram", "cable"})

_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
# BibTeX treats these as markup.
_BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
# A straight double quote opens a quotation at the start or after a space or an opening bracket.
_OPENING_QUOTE = re.compile(r'(^|[\s(\[{‘—–-])"')

# A record's key in citation files and the unAPI server: 'record-1234'.
RECORD_KEY_PREFIX = "record-"


def record_key(document):
    return f"{RECORD_KEY_PREFIX}{document.record_id}"


class DocumentCitation:
    def __init__(self, document, *, url, accessed: date, pdf_url=""):
        self.document = document
        self.url = url
        self.accessed = accessed
        self.pdf_url = pdf_url
        contributions = list(document.contributions.all())
        self.authors = _people(contributions, Contribution.Role.AUTHOR)
        self.recipients = _people(contributions, Contribution.Role.RECIPIENT)
        self.translators = _people(contributions, Contribution.Role.TRANSLATOR)
        self.citations = list(document.citations.all())
        self.points = edtf_points(document.date_edtf)
        self.archive_name = settings.ARCHIVE_NAME
        kind = document.document_type.name if document.document_type_id else ""
        self.kind = kind
        self.is_letter = kind.casefold() in LETTER_TYPES

    # Shared facts ------------------------------------------------------------------------------

    @property
    def source(self):
        """The archival citations as one phrase: 'RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072'."""
        return "; ".join(str(citation).rstrip(". ") for citation in self.citations)

    @property
    def date_written(self):
        """The date as a historian writes it: 'May 8, 1946', 'ca. 1946', '1940s', 'n.d.'."""
        return format_edtf_for_citation(self.document.date_edtf)

    @property
    def exact_date(self):
        """The date in ISO 8601 when it is one exact year, month or day; else ''."""
        if len(self.points) == 1 and self.points[0].is_exact:
            return self.points[0].iso
        return ""

    @property
    def repository(self):
        return self.citations[0].repository if self.citations else None

    @property
    def location_in_archive(self):
        """The first citation's reference within its repository: 'f. 558, op. 11, d. 317'."""
        if not self.citations:
            return ""
        citation = self.citations[0]
        repository = citation.repository
        names = (repository.name, *split_names(repository.other_names))
        return within_repository(citation.reference, str(repository), names).rstrip(". ")

    @property
    def other_sources(self):
        """Citations after the first, which formats with one archive field keep as a note."""
        return "; ".join(str(citation).rstrip(". ") for citation in self.citations[1:])

    # Prose -------------------------------------------------------------------------------------

    def chicago_note(self, *, value=str):
        """A Chicago-style note (17th ed., manuscript collections) for this document.

        `value` wraps each name, the title and the date quoted: the page passes
        documents.parsing.bidi.marked, to show each in its own direction."""
        parts = []
        if self.authors:
            who = join_names(value(p.name) for p in self.authors)
            if self.recipients:
                who += " to " + join_names(value(p.name) for p in self.recipients)
            parts.append(who)
        title = quoted_within_quotes(self.document.title.strip())
        written = format_edtf_for_citation(self.document.date_edtf, written=self.document.date_text)
        date_text = value(written) if self.points else written
        # The title's closing comma goes inside the quotation marks, unless it ends in ? or !;
        # inside a closing single quotation mark too ('… ‘Operation Tabriz,’”').
        if title.endswith(("?", "!", "?’", "!’")):
            parts.append(f"“{value(title)}”")
        elif title.endswith("’") and "‘" in title:
            parts.append(f"“{value(title[:-1])},’”")
        else:
            parts.append(f"“{value(title)},”")
        rest = [date_text]
        if self.source:
            rest.append(self.source)
        if self.translators:
            rest.append("trans. " + join_names(value(p.name) for p in self.translators))
        rest.append(self.archive_name)
        rest.append(f"{self.url} (accessed {format_date(self.accessed, 'F j, Y')})")
        lead = ", ".join(parts[:-1])
        return (f"{lead}, " if lead else "") + parts[-1] + " " + ", ".join(rest) + "."

    def chicago_note_marked(self):
        """The note with its values marked, for the page (the |isolated filter shows it)."""
        return self.chicago_note(value=marked)

    # Files -------------------------------------------------------------------------------------

    def ris(self):
        """RIS as Zotero's RIS translator reads it (zotero/translators RIS.js: exportTypeMap,
        fieldMap): TY PCOMM is a letter, MANSCPT a manuscript; A2 the recipients of a letter, A4
        the translators; DB the archive, AN the location in it, DP where it was found."""
        document = self.document
        lines = [
            ("TY", "PCOMM" if self.is_letter else "MANSCPT"),
            ("TI", _one_line(document.title)),
        ]
        lines += [("AU", _sorted_name(person)) for person in self.authors]
        if self.is_letter:
            lines += [("A2", _sorted_name(person)) for person in self.recipients]
        lines += [("A4", _sorted_name(person)) for person in self.translators]
        if self.points:
            lines += self._ris_dates()
        if self.kind:
            lines.append(("M3", self.kind))
        if self.repository:
            lines.append(("DB", self.repository.name or self.repository.abbreviation))
            if self.location_in_archive:
                lines.append(("AN", self.location_in_archive))
        lines.append(("DP", self.archive_name))
        lines += [("LA", language.name) for language in document.languages.all()]
        if document.summary:
            lines.append(("AB", _one_line(document.summary)))
        lines += [("KW", subject.name) for subject in document.subjects.all()]
        if self.recipients and not self.is_letter:
            # A Zotero manuscript has no recipient field.
            lines.append(("N1", "Recipient: " + join_names(p.name for p in self.recipients)))
        if self.other_sources:
            lines.append(("N1", f"Also held: {self.other_sources}"))
        if document.date_as_written:
            lines.append(("N1", f"Date as written: {document.date_as_written}"))
        lines.append(("UR", self.url))
        if self.pdf_url:
            lines.append(("L1", self.pdf_url))
        lines.append(("Y2", self.accessed.strftime("%Y/%m/%d/")))
        lines.append(("ER", ""))
        return "".join(f"{tag}  - {value}".rstrip() + "\r\n" for tag, value in lines)

    def _ris_dates(self):
        """DA and PY. RIS.js reads DA 'YYYY/MM/DD/' in parts, and keeps any other DA as written
        (dateRIStoZotero), so a date that is not one exact day, month or year goes in DA as a
        historian writes it ('1945–1946', 'ca. 1946'); PY is a year alone (the first one)."""
        first = next(point for point in self.points if point is not None)
        year = f"{first.year:04d}"
        if self.exact_date:
            point = self.points[0]
            parts = [year, _two(point.month), _two(point.day)]
            return [("DA", "/".join(parts) + "/"), ("PY", year)]
        return [("DA", self.date_written), ("PY", year)]

    def bibtex(self):
        """BibTeX that BibTeX itself, biber and pybtex read alike.

        Names written without a comma ('Mao Zedong') are braced so that BibTeX does not take the
        last word for the family name; `date` (biblatex) only where it is plain ISO 8601, since
        BibTeX reads EDTF's '~' as a space and '%' as a comment; `year` as a historian writes it
        otherwise ('ca. 1946', '1940s', '1945--1946')."""
        document = self.document
        fields = [("title", _bibtex(_one_line(document.title)))]
        if self.authors:
            fields.append(("author", " and ".join(_bibtex_name(p) for p in self.authors)))
        if self.translators:
            fields.append(("translator", " and ".join(_bibtex_name(p) for p in self.translators)))
        fields += self._bibtex_dates()
        notes = []
        if self.recipients:
            notes.append("To " + join_names(p.name for p in self.recipients))
        if self.source:
            notes.append(self.source)
        if notes:
            fields.append(("note", _bibtex(". ".join(notes))))
        fields.append(("howpublished", _bibtex(self.archive_name)))
        fields.append(("url", self.url))
        fields.append(("urldate", self.accessed.isoformat()))
        body = ",\n".join(
            f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
            for name, value in fields
        )
        return f"@misc{{record{document.record_id},\n{body}\n}}\n"

    def _bibtex_dates(self):
        points = self.points
        if not points:
            return []
        if self.exact_date:
            point = points[0]
            fields = [("year", f"{point.year:04d}")]
            if point.month:
                fields.append(("month", _MONTHS[point.month - 1]))
            return [*fields, ("date", point.iso)]
        fields = [("year", _bibtex(self.date_written).replace("–", "--"))]
        if len(points) == 2 and all(point is not None and point.is_exact for point in points):
            fields.append(("date", f"{points[0].iso}/{points[1].iso}"))
        return fields

    def csl(self):
        """CSL-JSON for citeproc-js and citeproc-py (and so Zotero's and Pandoc's styles)."""
        document = self.document
        item = {
            "id": record_key(document),
            # The CSL type that prints recipients ("Letter to …") is personal_communication.
            "type": "personal_communication" if self.is_letter else "manuscript",
            "title": document.title,
            "URL": self.url,
            "accessed": {
                "date-parts": [[self.accessed.year, self.accessed.month, self.accessed.day]]
            },
        }
        for key, people in (
            ("author", self.authors),
            ("recipient", self.recipients),
            ("translator", self.translators),
        ):
            if people:
                item[key] = [_csl_name(person) for person in people]
        issued = self._csl_issued()
        if issued:
            item["issued"] = issued
        if self.repository:
            item["archive"] = self.repository.name or self.repository.abbreviation
            item["archive_location"] = self.location_in_archive
            item["archive-place"] = self.repository.place
        if self.other_sources:
            item["note"] = f"Also held: {self.other_sources}"
        if document.summary:
            item["abstract"] = document.summary
        if self.kind:
            item["genre"] = self.kind
        languages = [language.code for language in document.languages.all()]
        if languages:
            item["language"] = languages[0]
        item = {key: value for key, value in item.items() if value not in ("", None)}
        return json.dumps([item], ensure_ascii=False, indent=2)

    def _csl_issued(self):
        """Date parts wherever CSL prints them as a historian writes them: a day, a month, a
        year, a range as two parts. CSL has no parts for a decade, a century or an open range,
        and the Chicago style prints a `circa` year as a conjecture ('[1946?]', in citeproc-js and
        citeproc-py alike), so those are written out as `literal` ('1940s', 'ca. 1946')."""
        points = self.points
        if not points:
            return None
        if any(
            point is None or point.unspecified or point.approximate or point.uncertain
            for point in points
        ):
            return {"literal": self.date_written}
        return {"date-parts": [_csl_parts(point) for point in points]}

    # Page metadata -----------------------------------------------------------------------------

    def meta_tags(self):
        """(name, content) pairs for Highwire `citation_*`, Dublin Core and Zotero's `z.` tags.

        Written for Zotero's Embedded Metadata translator (zotero/translators,
        "Embedded Metadata.js" and the RDF.js it hands DC and z. tags to):
        - no `citation_author`: addHighwireMetadata replaces every creator read from the other
          tags with the Highwire authors, which would drop the recipients and translators; the
          authors come from DC.creator (RDF.js importItem reads dc:creator for authors);
        - `z.itemType` letter or manuscript (RDF.js detectType: z:itemType wins over the
          `citation_title` journalArticle guess and over DC.type);
        - `z.recipients`, `z.translators` (RDF.js importItem: `n.z + creatorType + "s"`);
        - `z.archive`, `z.archiveLocation` (the "OTHER FIELDS" loop copies any z: field);
        - DC.type first the document's type (RDF.js copies dc:type to letterType and
          manuscriptType), then the DCMI type Text;
        - no DC.source, which RDF.js reads as the Publication;
        - `citation_publication_date` (HIGHWIRE_MAPPINGS), `citation_pdf_url` for a public PDF.
        """
        document = self.document
        tags = [("citation_title", document.title)]
        if self.points:
            exact = self.exact_date
            tags.append(("citation_publication_date", exact.replace("-", "/") or self.date_written))
        if self.pdf_url:
            tags.append(("citation_pdf_url", self.pdf_url))
        tags.append(("citation_publisher", self.archive_name))
        for citation in self.citations:
            tags.append(("citation_archive_location", str(citation).rstrip(". ")))
        tags += [("citation_language", language.code) for language in document.languages.all()]
        tags += [("citation_keywords", subject.name) for subject in document.subjects.all()]
        tags.append(("citation_abstract_html_url", self.url))
        tags.append(("citation_fulltext_html_url", self.url))
        tags.append(("DC.title", document.title))
        tags += [("DC.creator", _sorted_name(person)) for person in self.authors]
        tags += [("DC.contributor", person.name) for person in self.translators]
        if document.date_edtf:
            tags.append(("DC.date", self.exact_date or document.date_edtf))
        if self.kind:
            tags.append(("DC.type", self.kind))
        tags.append(("DC.type", "Text"))
        tags.append(("DC.format", "text/html"))
        tags.append(("DC.identifier", self.url))
        tags.append(("DC.publisher", self.archive_name))
        tags += [("DC.language", language.code) for language in document.languages.all()]
        tags += [("DC.subject", subject.name) for subject in document.subjects.all()]
        if document.summary:
            tags.append(("DC.description", document.summary))
            tags.append(("description", _one_line(document.summary)[:300]))
        tags.append(("z.itemType", "letter" if self.is_letter else "manuscript"))
        if self.is_letter:
            tags += [("z.recipients", _sorted_name(person)) for person in self.recipients]
        tags += [("z.translators", _sorted_name(person)) for person in self.translators]
        if self.repository:
            tags.append(("z.archive", self.repository.name or self.repository.abbreviation))
            if self.location_in_archive:
                tags.append(("z.archiveLocation", self.location_in_archive))
        return tags

    def json_ld(self, *, rights=None, collections=()):
        """schema.org metadata for search engines (render with the `json_ld` template filter).

        `dateCreated` (a schema.org Date: ISO 8601) only for an exact year, month or day;
        any other date as `temporalCoverage`, an ISO 8601 interval ('1945/1946', '1940/1949',
        '../1950'). A letter is also a Message, the type whose `recipient` schema.org defines."""
        document = self.document
        data = {
            "@context": "https://schema.org",
            "@type": ["ArchiveComponent", "Message"] if self.is_letter else "ArchiveComponent",
            "name": document.title,
            "url": self.url,
            "identifier": str(document.record_id),
            "publisher": {"@type": "Organization", "name": self.archive_name},
        }
        if self.exact_date:
            data["dateCreated"] = self.exact_date
        elif self.points:
            data["temporalCoverage"] = _iso_interval(self.points)
        if self.authors:
            data["author"] = [{"@type": "Person", "name": p.name} for p in self.authors]
        if self.is_letter and self.recipients:
            data["recipient"] = [{"@type": "Person", "name": p.name} for p in self.recipients]
        if self.translators:
            data["translator"] = [{"@type": "Person", "name": p.name} for p in self.translators]
        if document.summary:
            data["abstract"] = document.summary
        languages = [language.code for language in document.languages.all()]
        if languages:
            data["inLanguage"] = languages
        subjects = [subject.name for subject in document.subjects.all()]
        if subjects:
            data["about"] = [{"@type": "Thing", "name": name} for name in subjects]
        places = [place.name for place in document.places.all()]
        if places:
            data["spatialCoverage"] = [{"@type": "Place", "name": name} for name in places]
        if self.repository:
            data["holdingArchive"] = {"@type": "ArchiveOrganization", "name": self.repository.name}
            data["itemLocation"] = self.source
        if rights and rights.link_uri:
            data["license"] = rights.link_uri
        if collections:
            data["isPartOf"] = [{"@type": "Collection", "name": c.title} for c in collections]
        return data


def join_names(names):
    """Join names as Chicago does, with a serial comma: 'A', 'A and B', 'A, B, and C'."""
    names = [str(name) for name in names]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def quoted_within_quotes(text):
    """Double quotation marks inside a quoted title become single ones (Chicago 6.11):
    'Notes on "Operation" Tabriz' -> 'Notes on ‘Operation’ Tabriz', and “ ” -> ‘ ’."""
    text = text.replace("“", "‘").replace("”", "’")
    text = _OPENING_QUOTE.sub(lambda m: m.group(1) + "‘", text)
    return text.replace('"', "’")


def _people(contributions, role):
    return [c.person for c in contributions if c.role == role]


def _sorted_name(person):
    """'Family, Given' where the sort name says which is which; otherwise the name as written,
    which RIS readers and Zotero keep as one field ('Mao Zedong')."""
    family, comma, given = (person.sort_name or "").partition(",")
    if comma and family.strip() and given.strip():
        return f"{family.strip()}, {given.strip()}"
    return person.name


def _two(number):
    return f"{number:02d}" if number else ""


def _one_line(text):
    return " ".join(text.split())


def _bibtex(text):
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES.get(m.group(), "\\" + m.group()), text)


def _bibtex_name(person):
    """A BibTeX name: 'Family, Given', or the whole name in braces, which BibTeX keeps as one
    family name in its order ('{Mao Zedong}', never 'Zedong, Mao')."""
    sorted_name = _sorted_name(person)
    if "," in sorted_name:
        return _bibtex(sorted_name)
    return "{" + _bibtex(sorted_name) + "}"


def _csl_name(person):
    family, comma, given = (person.sort_name or "").partition(",")
    if comma and family.strip() and given.strip():
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": person.name}


def _csl_parts(point):
    parts = [point.year]
    if point.month:
        parts.append(point.month)
        if point.day:
            parts.append(point.day)
    return parts


def _iso_interval(points):
    """The period the date stands for, as an ISO 8601 interval at its own precision."""
    if len(points) == 1:
        return f"{points[0].iso}/{points[0].last_iso}"
    start, end = points
    return f"{start.iso if start else '..'}/{end.last_iso if end else '..'}"
