"""How researchers cite a document: a Chicago-style note, RIS, BibTeX, CSL-JSON and page metadata.

Everything is built from the record (people in their roles, the date, the archival citations, the
translator) and the archive's name from settings, never typed by hand. Callers pass a document
whose contributions (with people), citations (with repositories), languages and subjects are
prefetched, so building a citation makes no queries.
"""

import json
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.dateformat import format as format_date

from documents.models import Contribution
from documents.parsing.bidi import marked

_EDTF_POINT = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?([~?%])?$")
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
# biblatex reads EDTF dates; '%' would start a comment, so such dates are left out.
_BIBLATEX_DATE = re.compile(r"^[0-9X./~?-]+$")
# BibTeX treats these as markup.
_BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


@dataclass(frozen=True)
class DateParts:
    """A document date as citation formats want it: [year, month?, day?], maybe a range."""

    start: list[int]
    end: list[int] | None = None
    approximate: bool = False

    @classmethod
    def from_edtf(cls, edtf):
        if not edtf:
            return None
        first, _, last = edtf.partition("/")
        start, end = _edtf_parts(first), _edtf_parts(last) if last else None
        if start is None and end is None:
            return None
        approximate = any(mark in edtf for mark in "~?%") or "X" in edtf
        return cls(start or end, end if start else None, approximate)


def _edtf_parts(point):
    match = _EDTF_POINT.match(point.replace("X", "0"))
    if not match:
        return None
    year, month, day, _qualifier = match.groups()
    parts = [int(year)]
    if month:
        parts.append(int(month))
        if day:
            parts.append(int(day))
    return parts


class DocumentCitation:
    def __init__(self, document, *, url, accessed: date):
        self.document = document
        self.url = url
        self.accessed = accessed
        contributions = list(document.contributions.all())
        self.authors = _people(contributions, Contribution.Role.AUTHOR)
        self.recipients = _people(contributions, Contribution.Role.RECIPIENT)
        self.translators = _people(contributions, Contribution.Role.TRANSLATOR)
        self.citations = list(document.citations.all())
        self.date = DateParts.from_edtf(document.date_edtf)
        self.archive_name = settings.ARCHIVE_NAME

    # Prose -------------------------------------------------------------------------------------

    @property
    def source(self):
        """The archival citations as one phrase: 'RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072'."""
        return "; ".join(str(citation).rstrip(". ") for citation in self.citations)

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
        title = self.document.title.strip().replace('"', "'")
        date_text = value(self.document.date_display) if self.document.date_edtf else "n.d."
        # The title's closing comma goes inside the quotation marks, unless it ends in ? or !.
        parts.append(f"“{value(title)}”" if title.endswith(("?", "!")) else f"“{value(title)},”")
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
        document = self.document
        lines = [("TY", "MANSCPT"), ("TI", _one_line(document.title))]
        lines += [("AU", person.sort_name or person.name) for person in self.authors]
        lines += [("A4", person.sort_name or person.name) for person in self.translators]
        if self.date:
            y, m, d = (self.date.start + [None, None])[:3]
            lines.append(("DA", f"{y:04d}/{_two(m)}/{_two(d)}/"))
            lines.append(("PY", f"{y:04d}"))
        if document.document_type_id:
            lines.append(("M3", document.document_type.name))
        for citation in self.citations:
            lines.append(("DB", citation.repository.name or citation.repository.abbreviation))
            lines.append(("AN", str(citation).rstrip(". ")))
        lines.append(("DP", self.archive_name))
        lines += [("LA", language.name) for language in document.languages.all()]
        if document.summary:
            lines.append(("AB", _one_line(document.summary)))
        lines += [("KW", subject.name) for subject in document.subjects.all()]
        if self.recipients:
            lines.append(("N1", "Recipient: " + join_names(p.name for p in self.recipients)))
        if document.date_display:
            lines.append(("N1", f"Date as written: {document.date_display}"))
        lines.append(("UR", self.url))
        lines.append(("Y2", self.accessed.strftime("%Y/%m/%d/")))
        lines.append(("ER", ""))
        return "".join(f"{tag}  - {value}".rstrip() + "\r\n" for tag, value in lines)

    def bibtex(self):
        document = self.document
        fields = [("title", _bibtex(_one_line(document.title)))]
        if self.authors:
            names = " and ".join(_bibtex(p.sort_name or p.name) for p in self.authors)
            fields.append(("author", names))
        if self.translators:
            names = " and ".join(_bibtex(p.sort_name or p.name) for p in self.translators)
            fields.append(("translator", names))
        if self.date:
            fields.append(("year", str(self.date.start[0])))
            if len(self.date.start) > 1:
                fields.append(("month", _MONTHS[self.date.start[1] - 1]))
            if _BIBLATEX_DATE.match(document.date_edtf):
                fields.append(("date", document.date_edtf))
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

    def csl(self):
        document = self.document
        item = {
            "id": f"record-{document.record_id}",
            "type": "manuscript",
            "title": document.title,
            "URL": self.url,
            "accessed": {
                "date-parts": [[self.accessed.year, self.accessed.month, self.accessed.day]]
            },
            "archive": self.archive_name,
        }
        for key, people in (
            ("author", self.authors),
            ("recipient", self.recipients),
            ("translator", self.translators),
        ):
            if people:
                item[key] = [_csl_name(person) for person in people]
        if self.date:
            parts = [self.date.start] + ([self.date.end] if self.date.end else [])
            item["issued"] = {"date-parts": parts}
            if self.date.approximate:
                item["issued"]["circa"] = True
        elif document.date_display:
            item["issued"] = {"literal": document.date_display}
        if self.citations:
            item["archive_location"] = self.source
            item["archive-place"] = self.citations[0].repository.place
        if document.summary:
            item["abstract"] = document.summary
        if document.document_type_id:
            item["genre"] = document.document_type.name
        languages = [language.code for language in document.languages.all()]
        if languages:
            item["language"] = languages[0]
        item = {key: value for key, value in item.items() if value not in ("", None)}
        return json.dumps([item], ensure_ascii=False, indent=2)

    # Page metadata -----------------------------------------------------------------------------

    def meta_tags(self):
        """(name, content) pairs for Highwire `citation_*` and Dublin Core tags."""
        document = self.document
        tags = [("citation_title", document.title)]
        tags += [("citation_author", person.sort_name or person.name) for person in self.authors]
        if self.date:
            tags.append(("citation_date", "/".join(f"{p:02d}" for p in self.date.start)))
        tags.append(("citation_publisher", self.archive_name))
        for citation in self.citations:
            tags.append(("citation_archive_location", str(citation).rstrip(". ")))
        tags += [("citation_language", language.code) for language in document.languages.all()]
        tags += [("citation_keywords", subject.name) for subject in document.subjects.all()]
        tags.append(("citation_abstract_html_url", self.url))
        tags.append(("citation_fulltext_html_url", self.url))
        tags.append(("DC.title", document.title))
        tags += [("DC.creator", person.name) for person in self.authors]
        tags += [("DC.contributor", person.name) for person in self.translators]
        if document.date_edtf:
            tags.append(("DC.date", document.date_edtf))
        tags.append(("DC.type", "Text"))
        tags.append(("DC.format", "text/html"))
        tags.append(("DC.identifier", self.url))
        tags.append(("DC.publisher", self.archive_name))
        if self.source:
            tags.append(("DC.source", self.source))
        tags += [("DC.language", language.code) for language in document.languages.all()]
        tags += [("DC.subject", subject.name) for subject in document.subjects.all()]
        if document.summary:
            tags.append(("DC.description", document.summary))
            tags.append(("description", _one_line(document.summary)[:300]))
        return tags

    def json_ld(self, *, rights=None, collections=()):
        """schema.org metadata for search engines (render with the `json_ld` template filter)."""
        document = self.document
        data = {
            "@context": "https://schema.org",
            "@type": "ArchiveComponent",
            "name": document.title,
            "url": self.url,
            "identifier": str(document.record_id),
            "publisher": {"@type": "Organization", "name": self.archive_name},
        }
        if document.date_edtf:
            data["dateCreated"] = document.date_edtf
        if self.authors:
            data["author"] = [{"@type": "Person", "name": p.name} for p in self.authors]
        if self.translators:
            data["translator"] = [{"@type": "Person", "name": p.name} for p in self.translators]
        if document.summary:
            data["abstract"] = document.summary
        languages = [language.code for language in document.languages.all()]
        if languages:
            data["inLanguage"] = languages
        subjects = [subject.name for subject in document.subjects.all()]
        if subjects:
            data["about"] = subjects
        places = [place.name for place in document.places.all()]
        if places:
            data["spatialCoverage"] = [{"@type": "Place", "name": name} for name in places]
        if self.citations:
            repository = self.citations[0].repository
            data["holdingArchive"] = {"@type": "ArchiveOrganization", "name": repository.name}
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


def _people(contributions, role):
    return [c.person for c in contributions if c.role == role]


def _two(number):
    return f"{number:02d}" if number else ""


def _one_line(text):
    return " ".join(text.split())


def _bibtex(text):
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES.get(m.group(), "\\" + m.group()), text)


def _csl_name(person):
    family, comma, given = (person.sort_name or "").partition(",")
    if comma and family.strip() and given.strip():
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": person.name}
