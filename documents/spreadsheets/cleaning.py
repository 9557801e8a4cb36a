"""Reading an import's rows: headers, cell values, citations and people, and comparing them.

The methods of `RowCleaner` are mixed into the importer (`documents.spreadsheets.importing`)."""

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from documents.models import (
    Citation,
    Contribution,
    Document,
    Status,
)
from documents.parsing.dates import DateParseError, parse_date, parse_edtf
from documents.parsing.references import split_source
from documents.spreadsheets.people import PERSON_MARK
from documents.spreadsheets.resources import (
    COLUMN_NAMES,
    COLUMNS_BY_NAME,
    ERRORS_COLUMN,
    PEOPLE_COLUMNS,
    SEPARATOR,
)
from documents.spreadsheets.results import RowError
from documents.spreadsheets.state import M2M_COLUMNS, state_of

DATE_ORDERS = ("mdy", "dmy")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
# The same characters plus every carriage return: a fast first look before the exact check.
_MAYBE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INT = re.compile(r"^\d+(?:\.0+)?$")
_STATUS_NAMES = {**{s.value: s.value for s in Status}, **{s.label.lower(): s.value for s in Status}}

# Text columns and the most characters each may hold (the model field's limit).
_TEXT_LIMITS = {
    "title": Document._meta.get_field("title").max_length,
    "date": Document._meta.get_field("date_text").max_length,
    "summary": None,
    "text": None,
    "transcript": None,
}


@lru_cache(maxsize=10_000)
def _parse_date(text, order):
    return parse_date(text, order=order)


@lru_cache(maxsize=10_000)
def split_cell(value):
    return tuple(part.strip() for part in value.split(SEPARATOR) if part.strip())


def describes_another_record(values, old):
    """Whether a row's title and date both differ from those of the record its record_id names.

    Then the row is about another document (a record_id mistyped, or the number taken since
    the file was made), and updating would overwrite the wrong record. A corrected title alone,
    or a title with a date moved by less than a month, is an edit. Titles differ beyond case,
    punctuation and spacing; dates differ when both are known and more than 31 days apart.
    """
    if "title" not in values or "date" not in values:
        return False
    if _folded_title(values["title"]) == _folded_title(old["title"]):
        return False
    new, before = _parse_edtf(values["date"][1]), _parse_edtf(old["date"][1])
    if None in (new.start, new.end, before.start, before.end):
        return False
    gap = max(new.start - before.end, before.start - new.end)
    return gap.days > 31


@lru_cache(maxsize=1_000)
def _parse_edtf(edtf):
    return parse_edtf(edtf)


def _folded_title(title):
    return " ".join(re.sub(r"[\W_]+", " ", title.casefold()).split())


def another_record_message(record_id, old, values):
    def described(title, date):
        return f"'{title}' ({date or 'undated'})"

    return (
        f"Record {record_id} is {described(old['title'], old['date'][0])}; this row says "
        f"{described(values['title'], values['date'][0])}. Check the record_id: leave it empty "
        "to add this row as a new record, or correct the title and date if the row is meant to "
        "update that record."
    )


@dataclass
class _Row:
    number: int
    cells: dict
    record_id: int | None = None
    errors: list = field(default_factory=list)
    values: dict = field(default_factory=dict)  # column key -> comparable new value
    extra: dict = field(default_factory=dict)  # date_edtf, date_start, date_end
    doc_id: int | None = None
    action: str = ""
    changed: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def error(self, column, value, message):
        self.errors.append(RowError(self.number, column, value, message))


class RowCleaner:
    """Cleans and classifies rows; mixed into the importer, which holds the state."""

    def map_headers(self, headers):
        """Map column positions to column names; report unknown or repeated headers."""
        mapping, problems, seen = {}, [], {}
        for index, header in enumerate(headers):
            text = (header or "").strip()
            key = re.sub(r"[\s\-]+", "_", text.lower())
            if not text:
                continue
            if key == ERRORS_COLUMN:
                continue
            if key not in COLUMNS_BY_NAME:
                import difflib

                close = difflib.get_close_matches(key, COLUMN_NAMES, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                problems.append(
                    f"The column '{text}' is not one this archive imports.{hint} "
                    f"The columns are: {', '.join(COLUMN_NAMES)}."
                )
                continue
            if key in seen:
                problems.append(
                    f"The column '{key}' appears twice (columns {seen[key]} and "
                    f"{index + 1}); keep one."
                )
                continue
            seen[key] = index + 1
            mapping[index] = key
        if "repository" in seen and "source" not in seen:
            problems.append("The column 'repository' needs a 'source' column beside it.")
        if not seen:
            problems.append(
                "The first row holds no column names this archive knows; it must be "
                f"the header row with columns such as {', '.join(COLUMN_NAMES[:4])}."
            )
        return mapping, problems

    # Cleaning -----------------------------------------------------------------------------

    def clean(self, row):
        cells = row.cells
        joined = "\n".join(cells.values())
        if _MAYBE_CONTROL.search(joined) and _CONTROL.search(joined):
            for column, value in cells.items():
                if bad := _CONTROL.search(value):
                    row.error(
                        column,
                        value,
                        (
                            f"The value contains the control character U+{ord(bad.group()):04X}, "
                            "which cannot be stored; only line breaks and tabs are allowed. "
                            "Remove it and import again."
                        ),
                    )
            return
        if "record_id" in cells and cells["record_id"]:
            text = cells["record_id"]
            if not _INT.match(text) or int(float(text)) == 0 or int(float(text)) > 2147483647:
                row.error(
                    "record_id",
                    text,
                    f"'{text}' is not a record number; use a whole "
                    "number such as 1234, or leave it empty for a new record.",
                )
            else:
                row.record_id = int(float(text))
                first = self.record_ids_seen.get(row.record_id)
                if first is not None:
                    row.error(
                        "record_id",
                        text,
                        f"Record {row.record_id} is already on row "
                        f"{first}; each record may appear once in a file.",
                    )
                else:
                    self.record_ids_seen[row.record_id] = row.number
        for column in ("title", "summary", "text", "transcript"):
            if column in cells:
                value = cells[column]
                cap = _TEXT_LIMITS[column]
                if cap and len(value) > cap:
                    row.error(
                        column,
                        value,
                        f"The {column} is {len(value)} characters long; "
                        f"the most it may have is {cap}. Shorten it.",
                    )
                row.values[column] = value
        if "title" in cells and not cells["title"]:
            row.error("title", "", "The title is empty; every record needs one.")
        if "date" in cells:
            value = cells["date"]
            if len(value) > _TEXT_LIMITS["date"]:
                row.error(
                    "date",
                    value,
                    f"The date is {len(value)} characters long; the most "
                    f"it may have is {_TEXT_LIMITS['date']}.",
                )
            else:
                try:
                    parsed = _parse_date(value, self.date_order)
                except DateParseError as error:
                    row.error("date", value, str(error))
                else:
                    row.values["date"] = (value, parsed.edtf)
                    row.extra["date"] = parsed
        if "status" in cells and cells["status"]:
            value = cells["status"]
            status = _STATUS_NAMES.get(value.lower())
            if status is None:
                row.error(
                    "status",
                    value,
                    f"'{value}' is not a status; use draft, published or withdrawn.",
                )
            else:
                row.values["status"] = status
        for column in ("type", "classification", "rights"):
            if column in cells:
                value = cells[column]
                if not value:
                    row.values[column] = None
                    continue
                pk, problem = self.vocab[column].resolve(
                    value, create_missing=self.create_missing, new_ids=self.new_ids
                )
                if problem:
                    row.error(column, value, problem)
                row.values[column] = pk
        for column in (*M2M_COLUMNS, "funders"):
            if column in cells:
                ids = []
                for value in split_cell(cells[column]):
                    pk, problem = self.vocab[column].resolve(
                        value, create_missing=self.create_missing, new_ids=self.new_ids
                    )
                    if problem:
                        row.error(column, cells[column], problem)
                    elif pk not in ids:
                        ids.append(pk)
                row.values[column] = tuple(sorted(ids)) if column != "funders" else tuple(ids)
        if "source" in cells:
            self.clean_citations(row)

    def clean_citations(self, row):
        cells = row.cells
        sources = split_cell(cells["source"])
        repositories = split_cell(cells.get("repository", ""))
        if repositories and len(repositories) not in (1, len(sources)):
            row.error(
                "repository",
                cells["repository"],
                (
                    f"There are {len(repositories)} repositories for {len(sources)} sources; "
                    "give one repository for all sources, one per source in the same order, "
                    "or none."
                ),
            )
            return
        citations = []
        cap = Citation._meta.get_field("reference").max_length
        for index, source in enumerate(sources):
            if repositories:
                repo = repositories[0] if len(repositories) == 1 else repositories[index]
                reference = source
                for prefix in (repo + ",", repo + " "):
                    if source.casefold().startswith(prefix.casefold()):
                        reference = source[len(prefix) :].strip()
                if source.casefold() == repo.casefold():
                    reference = ""
                column = "repository"
            else:
                repo, reference = split_source(source)
                # Keep the reference exactly as written after the repository.
                if repo:
                    reference = source[len(repo) :].lstrip(" ,")
                column = "source"
                if not repo:
                    row.error(
                        "source",
                        source,
                        (
                            f"The source '{source}' does not begin with a repository. Write it as "
                            "'GAPPOD, f.1, op.89, d.112', or fill in the repository column."
                        ),
                    )
                    continue
            if len(reference) > cap:
                row.error(
                    "source",
                    source,
                    f"The reference is {len(reference)} characters long; "
                    f"the most it may have is {cap}.",
                )
                continue
            pk, problem = self.vocab["repository"].resolve(
                repo, create_missing=self.create_missing, new_ids=self.new_ids
            )
            if problem:
                row.error(column, repo, problem)
                continue
            citations.append((pk, reference))
        row.values["citations"] = tuple(citations)

    def clean_people(self, rows):
        names = set()
        for row in rows:
            for column in PEOPLE_COLUMNS:
                if column in row.cells:
                    for written in split_cell(row.cells[column]):
                        mark = PERSON_MARK.match(written)
                        names.add(mark["name"].strip() if mark else written)
        self.people.load(names)
        cap = Contribution._meta.get_field("name_as_written").max_length
        for row in rows:
            for column in PEOPLE_COLUMNS:
                if column not in row.cells:
                    continue
                people, seen = [], {}
                for written in split_cell(row.cells[column]):
                    if len(written) > cap:
                        row.error(
                            column,
                            written,
                            f"The name '{written[:40]}…' is longer than "
                            f"the {cap} characters a name may have.",
                        )
                        continue
                    pid, name, problem = self.people.resolve(written)
                    if problem:
                        row.error(column, written, problem)
                        continue
                    if pid in seen:
                        row.error(
                            column,
                            row.cells[column],
                            (
                                f"'{seen[pid]}' and '{name}' are the same person "
                                f"({self.people.names[pid]}); name them once."
                            ),
                        )
                        continue
                    seen[pid] = name
                    if (
                        pid > 0
                        and (pid, name) not in self.people.spellings
                        and not (PERSON_MARK.match(written))
                    ):
                        # Same name apart from case, diacritics or apostrophes: linked, and
                        # said so in the preview, so the curator decides before confirming.
                        row.notes.append(
                            f"{column}: '{name}' was read as {self.people.names[pid]} "
                            f"(#{pid}), whose name differs only in case, accents or "
                            "apostrophes. If that is someone else, write "
                            f"'{name} [new]'."
                        )
                    display = self.people.names.get(pid, name)
                    people.append((pid, "" if name == display else name))
                row.values[column] = tuple(people)

    # Comparing ----------------------------------------------------------------------------

    def classify(self, rows, existing, by_record):
        for row in rows:
            if row.errors:
                row.action = "error"
                continue
            if row.action:  # already known to be unchanged (see _process)
                continue
            doc_id = by_record.get(row.record_id) if row.record_id else row.doc_id
            if doc_id is None:
                if "title" not in row.values:
                    row.error("title", "", "The title is empty; a new record needs one.")
                    row.action = "error"
                    continue
                if row.values.get("status") == Status.PUBLISHED and not self.can_publish:
                    row.error(
                        "status",
                        "published",
                        "You may import new records only as drafts: "
                        "publishing needs the permission to publish documents.",
                    )
                    row.action = "error"
                    continue
                row.action = "new"
                continue
            row.doc_id = doc_id
            old = state_of(existing, doc_id)
            if row.record_id and describes_another_record(row.values, old):
                row.error(
                    "record_id",
                    row.cells.get("record_id", str(row.record_id)),
                    another_record_message(row.record_id, old, row.values),
                )
                row.action = "error"
                continue
            # Every comparable value is a str, int, None or tuple, so == is the comparison.
            changed = [key for key, value in row.values.items() if value != old[key]]
            if "status" in changed and not self.can_publish:
                row.error(
                    "status",
                    row.cells.get("status", ""),
                    ("Changing a record's status needs the permission to publish documents."),
                )
                row.action = "error"
                continue
            row.action = "updated" if changed else "unchanged"
            row.changed = changed

    def find_duplicates(self, rows):
        """Flag rows without a record ID whose title and date match a record or an earlier row."""
        candidates = [
            r for r in rows if not r.errors and r.record_id is None and "title" in r.values
        ]
        if not candidates:
            return {}
        titles = {r.values["title"] for r in candidates}
        matches = {}
        for pk, record_id, title, date_text, date_edtf in Document.objects.filter(
            title__in=titles
        ).values_list("pk", "record_id", "title", "date_text", "date_edtf"):
            matches.setdefault(title, []).append((pk, record_id, date_text or date_edtf))
        found = {}
        for row in candidates:
            date = row.values.get("date", ("", ""))[0]
            key = hashlib.blake2b(
                f"{row.values['title']}\x00{date}".encode(), digest_size=12
            ).digest()
            same = [m for m in matches.get(row.values["title"], []) if m[2] == date]
            earlier = self.new_keys_seen.get(key)
            if earlier is not None and not self.allow_duplicates:
                row.error(
                    "title",
                    row.values["title"],
                    (
                        f"Possible duplicate: row {earlier} has the same title and date. Give each "
                        "row its own record_id, or choose 'allow duplicates' to create both."
                    ),
                )
                continue
            self.new_keys_seen.setdefault(key, row.number)
            if same and not self.allow_duplicates:
                found[row.number] = same
        return found

    # Writing ------------------------------------------------------------------------------
