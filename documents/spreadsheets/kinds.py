"""The kinds of spreadsheet column: what each does with a value on the way in and out.

`documents.spreadsheets.columns` declares the archive's columns with these kinds, and everything
that reads or writes a spreadsheet goes through that declaration. A kind knows, for its column:
its header(s) and help text, the Document fields or linked rows that hold it, how a cell is read
and checked (`clean`), the value compared and fingerprinted (`compare`), how a value changes a
record's state (`apply`) and reaches the database (`derive`, `replace`), the cells the export
writes (`cells`) and the text the import's preview shows (`display`).

A record's state ("raw") is what the columns describe of one document, in plain values:
`{"record_id": n, "fields": {Document attname: value}, <link name>: [[...], ...]}`. The import
compares rows with it, ImportChange.before keeps it (as JSON) for undo, and state_hash
fingerprints it through each column's `compare`.

The tables other than Document's that hold columns are in documents/spreadsheets/links.py; the
kinds that credit people and organizations are in documents/spreadsheets/credits.py. May import
the models, `documents.parsing` and the spreadsheet helpers `cells` and `links`.
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import get_language

from documents.models import Citation, Contribution, Document, Status, bidi_validator
from documents.parsing.credits import split_credit
from documents.parsing.dates import DateParseError, parse_date
from documents.parsing.names import name_key, natural_order
from documents.parsing.references import cited_as, leading_name, split_source
from documents.parsing.transmission import TransmissionTimeError, parse_transmission_time
from documents.spreadsheets.cells import join, split_cell, written_name
from documents.spreadsheets.vocabularies import Moved


@lru_cache(maxsize=16)
def _credit_verbs(language):
    """{verb as a credit sentence writes it: role} in `language` (once, not once per row)."""
    return {str(verb): role for role, verb in Contribution.CREDIT_VERBS.items()}


_INT = re.compile(r"^\d+(?:\.0+)?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STATUS_NAMES = {**{s.value: s.value for s in Status}, **{s.label.lower(): s.value for s in Status}}


@lru_cache(maxsize=10_000)
def _parse_date(text, order):
    return parse_date(text, order=order)


def _local_day(moment):
    """The day (YYYY-MM-DD) a moment falls on in the archive's time zone (TIME_ZONE)."""
    return moment.astimezone(timezone.get_default_timezone()).date().isoformat()


def refuse_bidi_controls(row, column, value, field):
    """Refuse a cell holding a direction control its model field refuses (NoBidiControls).

    The same validator as the admin's, so the import refuses exactly what a form does; the row
    error adds the row and the column to its sentence. Returns whether the cell was refused."""
    if value.isascii():  # most cells: no control can be there
        return False
    validator = bidi_validator(field)
    problem = validator.problem(value) if validator else None
    if problem:
        row.error(column, value, problem)
    return bool(problem)


def display_field(terms):
    """The model field holding the text a vocabulary's cells name (a new entry's name)."""
    return terms.model._meta.get_field(terms.display)


@dataclass(frozen=True)
class Header:
    """One spreadsheet column as curators see it: the template, the README and the admin."""

    name: str
    help: str
    example: str = ""
    multiple: bool = False


class Column:
    """One spreadsheet column (or, for citations, two read together)."""

    fields = ()  # Document attnames holding the column, kept in the state's "fields"
    derived = ()  # Document attnames computed from those: written, never compared or kept
    link = None  # the linked table holding the column, if not Document itself
    terms = None  # the vocabulary the column names (a documents.spreadsheets.vocabularies.Terms)
    hashed = True  # part of a record's state: compared, fingerprinted, restored by undo
    required = False  # a new record needs a value
    pending = False  # may name entries the import has still to create (negative ids)
    per_row = True  # cleaned row by row (People: for a whole batch, see RowCleaner.clean_people)
    select_related = ()  # what the export fetches with each document
    prefetch_related = ()
    # The Document field whose value `compare` returns as it is, if that is all it does: the
    # import compares every row, so state._compare_state reads these without a call.
    compared_field = None
    # The group of its link's rows whose value `compare` returns (People: their role), if that
    # is all it does: state._compare_state groups a record's rows once for all such columns.
    compared_group = None

    def __init__(self, name, help, example="", *, multiple=False):
        self.key = name
        self.headers = (Header(name, help, example, multiple),)

    def __repr__(self):
        return f"<{type(self).__name__} {self.key}>"

    def present(self, names):
        """Whether a file with these headers has the column."""
        return self.key in names

    def header_problems(self, names):
        return []

    def clean(self, row, importer):
        """Read the row's cell: set `row.values[key]` to the comparable value, or an error."""
        raise NotImplementedError

    def compare(self, raw):
        """The value of the column in a record's state, comparable with `==` and `repr`."""
        if self.compared_field is None:
            raise NotImplementedError
        return raw["fields"][self.compared_field]

    def apply(self, raw, value, now):
        """Put a cleaned value into a copy of a record's state (a written row's new state)."""
        raise NotImplementedError

    def derive(self, document, row):
        """Set the derived fields of a document about to be written from `row` (None: from the
        document's own fields, as undo restores it); return their names."""
        return ()

    def cells(self, document, context):
        """The export's cells for one document, one per header."""
        raise NotImplementedError

    def display(self, value, importer):
        """A comparable value as the curator wrote it, for the preview's diff."""
        return value

    def long_text(self, value):
        """The text a comparable value holds that a spreadsheet program may cut, if any."""
        return value if isinstance(value, str) else None

    def pending_ids(self, value):
        return ()

    def materialize(self, value, real):
        """The value with entries created meanwhile given their ids (`real(pending, pending)`)."""
        return value


class RecordId(Column):
    """The record number: which record a row updates, or the number a new one gets."""

    hashed = False

    def clean(self, row, importer):
        text = row.cells[self.key]
        if not text:
            return
        if not _INT.match(text) or int(float(text)) == 0 or int(float(text)) > 2147483647:
            row.error(
                self.key,
                text,
                f"'{text}' is not a record number; use a whole "
                "number such as 1234, or leave it empty for a new record.",
            )
            return
        row.record_id = int(float(text))
        first = importer.record_ids_seen.get(row.record_id)
        if first is not None:
            row.error(
                self.key,
                text,
                f"Record {row.record_id} is already on row {first}; each record may appear "
                "once in a file.",
            )
        else:
            importer.record_ids_seen[row.record_id] = row.number

    def cells(self, document, context):
        return (document.record_id,)


class Text(Column):
    """Text kept exactly as written, up to the model field's limit."""

    def __init__(self, name, help, example="", *, field=None, required=False):
        super().__init__(name, help, example)
        self.field = self.compared_field = field or name
        self.fields = (self.field,)
        self.required = required
        self.model_field = Document._meta.get_field(self.field)
        self.limit = self.model_field.max_length

    def clean(self, row, importer):
        value = row.cells[self.key]
        refuse_bidi_controls(row, self.key, value, self.model_field)
        if self.limit and len(value) > self.limit:
            row.error(
                self.key,
                value,
                f"The {self.key} is {len(value)} characters long; "
                f"the most it may have is {self.limit}. Shorten it.",
            )
        row.values[self.key] = value
        if self.required and not value:
            row.error(self.key, "", f"The {self.key} is empty; every record needs one.")

    def apply(self, raw, value, now):
        raw["fields"][self.field] = value

    def cells(self, document, context):
        return (getattr(document, self.field),)


class Date(Column):
    """The document's date as written, with its EDTF value and the range derived from it."""

    fields = ("date_text", "date_edtf")
    derived = ("date_start", "date_end")

    def __init__(self, name, help, example=""):
        super().__init__(name, help, example)
        self.model_field = Document._meta.get_field("date_text")
        self.limit = self.model_field.max_length

    def clean(self, row, importer):
        value = row.cells[self.key]
        if refuse_bidi_controls(row, self.key, value, self.model_field):
            return
        if len(value) > self.limit:
            row.error(
                self.key,
                value,
                f"The date is {len(value)} characters long; the most it may have is {self.limit}.",
            )
            return
        try:
            parsed = _parse_date(value, importer.date_order)
        except DateParseError as error:
            row.error(self.key, value, str(error))
        else:
            row.values[self.key] = (value, parsed.edtf)
            row.extra[self.key] = parsed

    def compare(self, raw):
        fields = raw["fields"]
        return (fields["date_text"] or fields["date_edtf"], fields["date_edtf"])

    def apply(self, raw, value, now):
        raw["fields"]["date_text"], raw["fields"]["date_edtf"] = value

    def derive(self, document, row):
        if row is None:
            document.normalize_date()
            return self.derived
        parsed = row.extra.get(self.key)
        document.date_start = parsed.start if parsed else None
        document.date_end = parsed.end if parsed else None
        return self.derived

    def cells(self, document, context):
        # A date entered only as EDTF is exported as EDTF, which reads back to the same value.
        return (document.date_text or document.date_edtf,)

    def display(self, value, importer):
        return value[0]


class TransmissionTime(Column):
    """A cable's time of sending or receipt as written, with its ISO 8601 value derived from it
    (documents.parsing.transmission); a text that cannot be read is the row's error."""

    def __init__(self, name, help, example="", *, field):
        super().__init__(name, help, example)
        self.field = self.compared_field = field
        self.fields = (field,)
        self.normalized = Document.TRANSMISSION_TIMES[field]
        self.derived = (self.normalized,)
        self.model_field = Document._meta.get_field(field)
        self.limit = self.model_field.max_length

    def clean(self, row, importer):
        value = row.cells[self.key]
        if refuse_bidi_controls(row, self.key, value, self.model_field):
            return
        if len(value) > self.limit:
            row.error(
                self.key,
                value,
                f"The {self.key} time is {len(value)} characters long; "
                f"the most it may have is {self.limit}.",
            )
            return
        try:
            parse_transmission_time(value)
        except TransmissionTimeError as error:
            row.error(self.key, value, str(error))
        else:
            row.values[self.key] = value

    def apply(self, raw, value, now):
        raw["fields"][self.field] = value

    def derive(self, document, row):
        # From the document's own text, written or restored: the same for a row and for undo.
        try:
            value = parse_transmission_time(getattr(document, self.field))
        except TransmissionTimeError:
            value = ""
        setattr(document, self.normalized, value)
        return self.derived

    def cells(self, document, context):
        return (getattr(document, self.field),)


class StatusColumn(Column):
    """draft, published or withdrawn; publishing stamps the first-publication field if empty.

    An empty cell leaves the status alone (draft for a new record)."""

    def __init__(self, name, help, example="", *, stamps):
        super().__init__(name, help, example)
        self.stamps = stamps
        self.fields = ("status", stamps)
        self.compared_field = "status"

    def clean(self, row, importer):
        value = row.cells[self.key]
        if not value:
            return
        status = _STATUS_NAMES.get(value.lower())
        if status is None:
            row.error(
                self.key, value, f"'{value}' is not a status; use draft, published or withdrawn."
            )
        else:
            row.values[self.key] = status

    def apply(self, raw, value, now):
        fields = raw["fields"]
        # Only publishing stamps (the rule of Document.becomes_published): a row that leaves a
        # published record published never invents its date.
        publishes = value == Status.PUBLISHED and fields["status"] != Status.PUBLISHED
        fields["status"] = value
        if publishes and fields[self.stamps] is None:
            fields[self.stamps] = now

    def cells(self, document, context):
        return (document.status,)


class Day(Column):
    """A moment kept by the model, read and written as the day it falls on in TIME_ZONE.

    A day the record already has keeps its time; another day is stored as its midnight. An
    empty cell leaves the field alone."""

    def __init__(self, name, help, example="", *, field):
        super().__init__(name, help, example)
        self.field = field
        self.fields = (field,)

    def clean(self, row, importer):
        value = row.cells[self.key]
        if not value:
            return
        try:
            parsed = _parse_date(value, importer.date_order)
        except DateParseError as error:
            row.error(self.key, value, str(error))
            return
        if not _DAY.match(parsed.edtf):
            row.error(
                self.key,
                value,
                f"'{value}' is not a single day; write a day such as 2024-03-05, "
                "or leave the cell empty to keep the record's date.",
            )
            return
        row.values[self.key] = parsed.edtf

    def compare(self, raw):
        moment = raw["fields"][self.field]
        return _local_day(moment) if moment else None

    def apply(self, raw, value, now):
        if self.compare(raw) != value:
            raw["fields"][self.field] = datetime.datetime.combine(
                datetime.date.fromisoformat(value),
                datetime.time(),
                tzinfo=timezone.get_default_timezone(),
            )

    def cells(self, document, context):
        moment = getattr(document, self.field)
        return (_local_day(moment) if moment else "",)


class Reference(Column):
    """One entry of a controlled vocabulary (a foreign key); an empty cell clears it."""

    pending = True

    def __init__(self, name, help, example="", *, field, terms):
        super().__init__(name, help, example)
        self.relation, self.terms = field, terms
        self.attname = self.compared_field = Document._meta.get_field(field).attname
        self.fields = (self.attname,)
        self.select_related = (field,)

    def clean(self, row, importer):
        value = row.cells[self.key]
        if not value:
            row.values[self.key] = None
            return
        if refuse_bidi_controls(row, self.key, value, display_field(self.terms)):
            return
        row.values[self.key] = importer.vocab[self.key].read(row, self.key, value, importer)

    def apply(self, raw, value, now):
        raw["fields"][self.attname] = value

    def cells(self, document, context):
        entry = getattr(document, self.relation)
        return (getattr(entry, self.terms.display) if entry else "",)

    def display(self, value, importer):
        return importer.vocab[self.key].names.get(value, "") if value else ""

    def pending_ids(self, value):
        return (value,) if value is not None and value < 0 else ()

    def materialize(self, value, real):
        return real(value, value) if value is not None else None


class References(Column):
    """Several entries of a controlled vocabulary, kept in a many-to-many table (a set).

    `ambiguous_by` names the field the export writes instead of the shown text when two entries
    share that text (collections of the same title are written by slug)."""

    pending = True
    ordered = False

    def __init__(self, name, help, example="", *, terms, link, relation=None, ambiguous_by=None):
        super().__init__(name, help, example, multiple=True)
        self.terms, self.link = terms, link
        self.relation = relation or name
        self.ambiguous_by = ambiguous_by
        self.prefetch_related = (self.relation,)

    def clean(self, row, importer):
        cell = row.cells[self.key]
        vocabulary, ids = importer.vocab[self.key], []
        if refuse_bidi_controls(row, self.key, cell, display_field(self.terms)):
            return
        for value in split_cell(cell):
            pk = vocabulary.read(row, self.key, value, importer, cell=cell)
            if pk is None:
                continue
            if isinstance(pk, Moved):
                row.moved.append((pk.column, pk.pk))  # the curator's answer: another column
            elif pk not in ids:
                ids.append(pk)
        row.values[self.key] = tuple(ids) if self.ordered else tuple(sorted(ids))

    def compare(self, raw):
        return tuple(sorted(raw[self.link.name]))

    def apply(self, raw, value, now):
        raw[self.link.name] = list(value)

    def entries(self, document):
        return getattr(document, self.relation).all()

    def cells(self, document, context):
        display = self.terms.display
        shared = context.shared_texts(self.terms) if self.ambiguous_by else ()
        texts = [
            getattr(entry, self.ambiguous_by)
            if getattr(entry, display).casefold() in shared
            else getattr(entry, display)
            for entry in self.entries(document)
        ]
        return (join(texts if self.ordered else sorted(texts)),)

    def display(self, value, importer):
        names = [importer.vocab[self.key].names.get(v, str(v)) for v in value]
        return join(names if self.ordered else sorted(names))

    def pending_ids(self, value):
        return [pk for pk in value if pk < 0]

    def materialize(self, value, real):
        ids = tuple(real(pk, pk) for pk in value)
        return ids if self.ordered else tuple(sorted(ids))


class RelatedRecords(Column):
    """Related documents, by record ID; a relation holds both ways.

    A record ID must be in the archive or on a row of the same file (checked once the file is
    read, see _Importer.check_related)."""

    def __init__(self, name, help, example="", *, link):
        super().__init__(name, help, example, multiple=True)
        self.link = link
        self.prefetch_related = ("related",)

    def clean(self, row, importer):
        cell = row.cells[self.key]
        ids = set()
        for text in split_cell(cell):
            if not _INT.match(text) or not 0 < int(float(text)) <= 2147483647:
                row.error(
                    self.key,
                    cell,
                    f"'{text}' is not a record number; list the related records' numbers, "
                    "such as 1234; 5678.",
                )
                return
            ids.add(int(float(text)))
        if row.record_id in ids:
            row.error(self.key, cell, "A record cannot be related to itself.")
            return
        row.values[self.key] = tuple(sorted(ids))
        for record_id in ids:
            importer.related_named.setdefault(record_id, (row.number, cell))

    def compare(self, raw):
        return tuple(sorted(raw[self.link.name]))

    def apply(self, raw, value, now):
        raw[self.link.name] = list(value)

    def cells(self, document, context):
        return (join(str(r) for r in sorted(d.record_id for d in document.related.all())),)

    def display(self, value, importer):
        return join(str(v) for v in value)


def _one_id(decision):
    """The entry a vocabulary matcher's `same` decision names, if it names exactly one."""
    if decision is None or len(decision.candidates) != 1:
        return None
    return decision.candidates[0].id


class CitationsColumn(Column):
    """Archival citations, kept exactly as written in `source`, each with its repository.

    The repository is the `repository` column's (one for all sources or one per source), else
    the known repository the source begins with ('REPO AzR, f. 1' cites REPO when the archive
    has REPO and no 'REPO AzR'), else the text before the first comma. The source is stored as
    written either way; how it is shown is `documents.parsing.references.cited_as`. A
    repository named with no source is a citation whose reference is still to come: kept.

    A source that ends with the credit sentence the page prints from the people ('... ll. 1-3.
    Translated by Gary Goldberg.') is taken without it when the credit columns (`credited`, set
    in documents.spreadsheets.columns) credit the same people; otherwise it is an error.
    """

    pending = True
    prefetch_related = ("citations__repository",)

    def __init__(self, name, *, repository, source, terms, link):
        self.key, self.terms, self.link = name, terms, link
        self.headers = (repository, source)
        self.repository, self.source = repository.name, source.name
        # {role: (People column, OnBehalfOf column)}: where a credit in a source must be named.
        self.credited = {}

    def present(self, names):
        return self.source in names

    def header_problems(self, names):
        if self.repository in names and self.source not in names:
            return [f"The column '{self.repository}' needs a '{self.source}' column beside it."]
        return []

    def clean(self, row, importer):
        cells = row.cells
        refused = [
            refuse_bidi_controls(row, key, cells[key], field)
            for key, field in [
                (self.repository, display_field(self.terms)),
                (self.source, Citation._meta.get_field("reference")),
            ]
            if key in cells
        ]
        if any(refused):
            return
        sources = split_cell(cells[self.source])
        repositories = split_cell(cells.get(self.repository, ""))
        if repositories and sources and len(repositories) not in (1, len(sources)):
            row.error(
                self.repository,
                cells[self.repository],
                (
                    f"There are {len(repositories)} repositories for {len(sources)} sources; "
                    "give one repository for all sources, one per source in the same order, "
                    "or none."
                ),
            )
            return
        vocab = importer.vocab[self.key]
        known = vocab.matcher  # the repositories by abbreviation, name and other names
        if not sources:
            # A repository with no reference yet, as is usual while cataloguing: kept.
            sources = ("",) * len(repositories)
        citations = []
        cap = Citation._meta.get_field("reference").max_length
        for index, written in enumerate(sources):
            source = self._without_credit(row, written, importer)
            if source is None:
                continue
            if repositories:
                repo = repositories[0] if len(repositories) == 1 else repositories[index]
                column = self.repository
            else:
                repo = (
                    leading_name(source, lambda start: known.same(start))
                    or (split_source(source)[0])
                )
                column = self.source
                if not repo:
                    row.error(
                        self.source,
                        written,
                        (
                            f"The source '{written}' does not begin with a repository. Write it "
                            "as 'GAPPOD, f.1, op.89, d.112', or fill in the repository column."
                        ),
                    )
                    continue
            # The repository alone is a citation with no reference yet, however it is written.
            reference = "" if source.casefold() == repo.casefold() else source
            if len(reference) > cap:
                row.error(
                    self.source,
                    written,
                    f"The reference is {len(reference)} characters long; "
                    f"the most it may have is {cap}.",
                )
                continue
            pk = vocab.read(row, column, repo, importer)
            if pk is None:
                continue
            named = leading_name(reference, lambda start: known.same(start)) if repositories else ""
            if named and _one_id(known.same(named)) not in (pk, None):
                row.error(
                    self.source,
                    written,
                    (
                        f"The source '{written}' begins with the repository '{named}', but the "
                        f"column '{self.repository}' names '{repo}'. Correct one of them."
                    ),
                )
                continue
            citations.append((pk, reference))
        row.values[self.key] = tuple(citations)

    def _without_credit(self, row, source, importer):
        """The source without a credit sentence the row's credit columns also give, or None
        (with the row's error) when they do not: the page prints credits from the people."""
        verbs = _credit_verbs(get_language())
        citation, credits = split_credit(source, verbs)
        if not credits:
            return source
        credit = source[len(citation) :].strip()
        for phrase in credits:
            people, behalf = self.credited[verbs[phrase.verb]]
            written = {
                name_key(natural_order(written_name(name)))
                for name in split_cell(row.cells.get(people.key, ""))
            }
            missing = [name for name in phrase.names if name_key(name) not in written]
            if missing:
                problem = f"the column '{people.key}' does not name {' or '.join(missing)}"
            elif phrase.for_whom and not self._names(
                importer, behalf, phrase.for_whom, split_cell(row.cells.get(behalf.key, ""))
            ):
                problem = f"the column '{behalf.key}' does not name {phrase.for_whom}"
            else:
                continue
            row.error(
                self.source,
                source,
                (
                    f"The source ends with a credit, '{credit}', which the page prints from the "
                    f"people in the credit columns, and {problem}. Name them there and end the "
                    "source before the credit."
                ),
            )
            return None
        row.notes.append(
            f"{self.source}: the credit '{credit}' after the citation is the one the page prints "
            "from the credit columns, so the citation is kept without it."
        )
        return citation

    @staticmethod
    def _names(importer, column, name, cells):
        """Whether one of `cells` names the organization `name` names (by name or abbreviation)."""
        known = importer.vocab[column.key].matcher
        meant = _one_id(known.same(name))
        return any(
            cell.casefold() == name.casefold() or (meant and _one_id(known.same(cell)) == meant)
            for cell in cells
        )

    def compare(self, raw):
        return tuple([(repo, ref) for repo, ref, _order in raw[self.link.name]])

    def apply(self, raw, value, now):
        raw[self.link.name] = [[repo, ref, i] for i, (repo, ref) in enumerate(value)]

    def cells(self, document, context):
        # The reference as written, or for one still to come the repository, so that the two
        # columns pair up; either imports back as it was (see clean).
        citations = document.citations.all()
        repositories = [getattr(c.repository, self.terms.display) for c in citations]
        return (
            join(repositories),
            join(c.reference or repo for c, repo in zip(citations, repositories, strict=True)),
        )

    def display(self, value, importer):
        vocab = importer.vocab[self.key]
        entries = vocab.matcher.entries
        return join(
            cited_as(
                ref, str(vocab.names.get(r, r)), entries[r].all_names() if r in entries else ()
            )
            for r, ref in value
        )

    def pending_ids(self, value):
        return [repo for repo, _reference in value if repo < 0]

    def materialize(self, value, real):
        return tuple((real(repo, repo), reference) for repo, reference in value)
