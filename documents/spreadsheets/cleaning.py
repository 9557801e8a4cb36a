"""Reading an import's rows: headers, cell values, citations and people, and comparing them.

The methods of `RowCleaner` are mixed into the importer (`documents.spreadsheets.importing`)."""

import difflib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from documents.authorities.matching import read_cell
from documents.authorities.records import Row as DuplicateRow
from documents.authorities.records import side_by_side
from documents.history.diffs import inline_diff, is_long_text
from documents.models import (
    Contribution,
    Person,
)
from documents.parsing.bidi import refused_control
from documents.parsing.dates import parse_edtf
from documents.spreadsheets.cells import ERRORS_COLUMN, split_cell
from documents.spreadsheets.columns import (
    COLUMN_NAMES,
    COLUMNS,
    COLUMNS_BY_KEY,
    ONE_PERSON,
    PEOPLE_COLUMNS,
    REQUIRED,
)
from documents.spreadsheets.files import XLSX_CELL_LIMIT
from documents.spreadsheets.kinds import refuse_bidi_controls
from documents.spreadsheets.people import PERSON_MARK
from documents.spreadsheets.questions import Candidate, Question
from documents.spreadsheets.results import RowError
from documents.spreadsheets.state import state_of

DATE_ORDERS = ("mdy", "dmy")
# The words kept on either side of a change in a long text's word diff (the preview's and the
# record questions' comparisons).
DIFF_CONTEXT = 12
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
# The same characters plus every carriage return: a fast first look before the exact check.
_MAYBE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What may stay of ASCII text: printable characters, tabs and line feeds.
_ASCII_ALLOWED = bytes(range(0x20, 0x7F)) + b"\t\n"


def _may_hold_control(text):
    """Whether `text` may hold a character `_CONTROL` refuses: the fast first look.

    Most rows are ASCII, whose bytes a C loop checks three times faster than the regex."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_ALLOWED))
    return _MAYBE_CONTROL.search(text) is not None


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
        f"{described(values['title'], values['date'][0])}: the record_id may name another "
        "document."
    )


def _same_meaning(key, value, other):
    """Whether a row's value and a record's mean the same: a date by its EDTF value."""
    if key == "date" and value and other:
        return value[1] == other[1]
    return value == other


@dataclass
class _Row:
    number: int
    cells: dict
    record_id: int | None = None
    errors: list = field(default_factory=list)
    values: dict = field(default_factory=dict)  # column key -> comparable new value
    extra: dict = field(default_factory=dict)  # column key -> what else cleaning read (a date)
    doc_id: int | None = None
    action: str = ""
    changed: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    after: dict | None = None  # the record's state once written (see state.after_state)
    moved: list = field(default_factory=list)  # (column, id): answers naming another column

    def error(self, column, value, message, question=""):
        self.errors.append(RowError(self.number, column, value, message, question))


class RowCleaner:
    """Cleans and classifies rows; mixed into the importer, which holds the state."""

    def map_headers(self, headers):
        """Map column positions to column names; report repeated headers, warn of unknown ones.

        A column this archive does not import is left out, with one warning naming every such
        column (a spreadsheet often carries a column of the curator's own notes); a repeated
        header stops the import, since which of the two is meant cannot be known.
        """
        mapping, problems, seen, unknown = {}, [], {}, []
        for index, header in enumerate(headers):
            text = (header or "").strip()
            key = re.sub(r"[\s\-]+", "_", text.lower())
            if not text:
                continue
            if key == ERRORS_COLUMN:
                continue
            if key not in COLUMN_NAMES:
                close = difflib.get_close_matches(key, COLUMN_NAMES, n=1)
                unknown.append(f"'{text}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
                continue
            if key in seen:
                problems.append(
                    f"The column '{key}' appears twice (columns {seen[key]} and "
                    f"{index + 1}); keep one."
                )
                continue
            seen[key] = index + 1
            mapping[index] = key
        for column in COLUMNS:
            problems.extend(column.header_problems(seen))
        if not seen:
            problems.append(
                "The first row holds no column names this archive knows; it must be "
                f"the header row with columns such as {', '.join(COLUMN_NAMES[:4])}."
            )
        if unknown:
            self.header_warnings.append(
                f"Left out {'the column' if len(unknown) == 1 else 'the columns'} "
                f"{', '.join(unknown)}: not {'one' if len(unknown) == 1 else 'ones'} this "
                "archive imports. Nothing in them was read."
            )
        # The columns this file has, in the declaration's order, that clean() reads row by row.
        self.columns_read = [c for c in COLUMNS if c.per_row and c.present(seen)]
        return mapping, problems

    # Cleaning -----------------------------------------------------------------------------

    def clean(self, row):
        cells = row.cells
        joined = "\n".join(cells.values())
        if _may_hold_control(joined) and _CONTROL.search(joined):
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
        for column in self.columns_read:
            column.clean(row, self)
        for key, pk in row.moved:
            # A value the curator's answer put in another column ('Tabriz', the place).
            if key in row.values and pk not in row.values[key]:
                row.values[key] = tuple(sorted((*row.values[key], pk)))

    def clean_people(self, rows):
        # The names to decide: a person given by number is not looked for, and one written
        # as new only by exactly their name (see People._resolve).
        names, new = set(), set()
        for row in rows:
            for column in PEOPLE_COLUMNS:
                if column in row.cells:
                    for written in split_cell(row.cells[column]):
                        if written.isascii() or not refused_control(written):
                            cell = read_cell(written)
                            if cell.person_id is None:
                                (new if cell.new else names).add(cell.meant)
        self.people.load(names, new=new - names)
        cap = Contribution._meta.get_field("name_as_written").max_length
        name_field = Person._meta.get_field("name")
        for row in rows:
            for column in PEOPLE_COLUMNS:
                if column not in row.cells:
                    continue
                people, seen = [], {}
                for written in split_cell(row.cells[column]):
                    if refuse_bidi_controls(row, column, written, name_field):
                        continue  # a direction control: refused, and asked nothing about
                    if len(written) > cap:
                        row.error(
                            column,
                            written,
                            f"The name '{written[:40]}…' is longer than "
                            f"the {cap} characters a name may have.",
                        )
                        continue
                    pid, name, problem, question = self.people.resolve(
                        written, row.number, column, row.cells.get("title", "")
                    )
                    if problem:
                        row.error(column, written, problem, question and question.key)
                        continue
                    if pid in seen:
                        # Two spellings of one person in a cell: one link, and the second
                        # spelling is kept as a variant name.
                        self.people.remember(pid, name)
                        row.notes.append(
                            f"{column}: '{seen[pid]}' and '{name}' are the same person "
                            f"({self.people.display_name(pid)}): linked once, and '{name}' kept "
                            "as a variant name."
                        )
                        continue
                    seen[pid] = name
                    if (
                        pid > 0
                        and (pid, name) not in self.people.spellings
                        and not (PERSON_MARK.match(written))
                        and not self.people.asked(written)
                    ):
                        # The same name once folded (case, accents, script, punctuation):
                        # linked, and said so in the preview, for the curator to check.
                        row.notes.append(
                            f"{column}: please check: '{name}' was read as "
                            f"{self.people.names[pid]} (#{pid}), whose name it is once case, "
                            "accents, letters of other scripts and punctuation are set aside. "
                            f"If that is someone else, write '{name} [new]'."
                        )
                    display = self.people.names.get(pid, name)
                    people.append((pid, "" if name == display else name))
                if column in ONE_PERSON:
                    row.values[column] = ONE_PERSON[column].people_value(row, people)
                else:
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
            if (
                doc_id is not None
                and row.record_id
                and describes_another_record(row.values, state_of(existing, doc_id))
            ):
                answer = self._ask_about_another_record(row, doc_id, existing)
                if answer == "":
                    row.action = "error"
                    continue
                if answer == "skip":
                    row.action = "skipped"
                    continue
                if answer == "new":
                    row.record_id, doc_id = None, None
            if doc_id is None:
                missing = [c.key for c in REQUIRED if c.key not in row.values]
                if missing:
                    for key in missing:
                        row.error(key, "", f"The {key} is empty; a new record needs one.")
                    row.action = "error"
                    continue
                if self.permissions.refuse_new(row):
                    row.action = "error"
                    continue
                row.action = "new"
                continue
            row.doc_id = doc_id
            old = state_of(existing, doc_id)
            # Every comparable value is a str, int, None or tuple, so == is the comparison.
            changed = [key for key, value in row.values.items() if value != old[key]]
            if self.file_format == "xlsx" and self._refuse_cut_texts(row, changed, old):
                row.action = "error"
                continue
            if self.permissions.refuse_change(row, old, changed):
                row.action = "error"
                continue
            row.action = "updated" if changed else "unchanged"
            row.changed = changed

    def _ask_about_another_record(self, row, doc_id, existing):
        """The row's record_id names a record with another title and date: a question.

        Returns the answer ("update:N", "new", "skip"), or "" with the row's error said."""
        old = state_of(existing, doc_id)
        code = f"update:{row.record_id}"
        question = Question(
            key=f"record:{row.number}",
            kind="record",
            written=row.values["title"],
            reason=another_record_message(row.record_id, old, row.values),
            candidates=[Candidate(code, f"record {row.record_id}", f"'{old['title']}'")],
            choices=[
                (code, f"Update record {row.record_id} with this row all the same"),
                ("new", "Create a new record, with the next free number"),
                ("skip", "Leave this row out"),
            ],
            comparison={code: self._beside(row, old)},
        )
        answer = self.questions.ask(question, row.number, "record_id", row.values["title"])
        if not answer:
            row.error(
                "record_id",
                row.cells.get("record_id", str(row.record_id)),
                question.message(),
                question.key,
            )
        return answer

    def _beside(self, row, state):
        """The row beside a record's `state`, column by column, for a record question; a long
        text that differs with its words marked (as the preview's diff)."""
        fields = side_by_side(
            row.values,
            state,
            show=lambda key, value: (
                COLUMNS_BY_KEY[key].display(value, self) if value is not None else ""
            ),
            same=_same_meaning,
        )
        return [
            replace(f, inline=inline_diff(f.record, f.row, context=DIFF_CONTEXT))
            if not f.same
            and isinstance(f.row, str)
            and isinstance(f.record, str)
            and is_long_text(f.row, f.record)
            else f
            for f in fields
        ]

    def _refuse_cut_texts(self, row, changed, old):
        """Refuse the texts an XLSX cell holds cut: the cell is full and the record's text
        begins with it but goes on (Excel and older exports cut at the format's limit)."""
        cut = []
        for key in changed:
            text_of = COLUMNS_BY_KEY[key].long_text
            new, before = text_of(row.values[key]), text_of(old[key])
            if (
                new is not None
                and len(new) == XLSX_CELL_LIMIT
                and before is not None
                and len(before) > XLSX_CELL_LIMIT
                and before.startswith(new)
            ):
                cut.append((key, new, before))
        for key, new, before in cut:
            row.error(
                key,
                new,
                f"The cell holds exactly {XLSX_CELL_LIMIT:,} characters, the most an XLSX cell "
                f"can hold, and the record's {key} begins with them but is {len(before):,} "
                "characters long: the file cut it. Nothing was written for this row; import "
                "the record from a CSV or ODS file, which hold the whole text.",
            )
        return bool(cut)

    def find_duplicates(self, rows):
        """{row number: [Match]}: the records (or earlier rows) the new rows may repeat.

        Rows without a record ID are compared on their normalised date and title by the
        archive's rule (documents.authorities.records); 'allow duplicates' turns it off."""
        if self.allow_duplicates:
            return {}
        candidates = [
            DuplicateRow(
                number=r.number,
                title=r.values["title"],
                start=r.extra["date"].start if "date" in r.extra else None,
                end=r.extra["date"].end if "date" in r.extra else None,
                date=r.values.get("date", ("", ""))[0],
            )
            for r in rows
            if not r.errors and r.record_id is None and "title" in r.values
        ]
        return self.duplicates.find(candidates) if candidates else {}

    def ask_about_duplicates(self, row, matches, existing, by_record):
        """The very record already there is unchanged; any other match is a question."""
        identical = [
            m
            for m in matches
            if m.document_id is not None
            and all(v == state_of(existing, m.document_id)[k] for k, v in row.values.items())
        ]
        if len(identical) == 1:
            # The very record this row describes is already there: nothing to do.
            (match,) = identical
            row.doc_id, row.record_id = match.document_id, match.record_id
            row.notes.append(f"Matches record {match.record_id} (same title, date and values).")
            by_record[row.record_id] = row.doc_id
            row.action = "unchanged"
            return
        question = self._duplicate_question(row, matches, existing)
        answer = self.questions.ask(question, row.number, "title", row.values["title"])
        if not answer:
            row.error("title", row.values["title"], question.message(), question.key)
        elif answer == "skip":
            row.action = "skipped"
            row.notes.append("Left out, as answered: it repeats a record already there.")
        elif answer.startswith("update:"):
            row.record_id = int(answer.removeprefix("update:"))
            match = next(m for m in matches if m.record_id == row.record_id)
            by_record[row.record_id] = match.document_id

    def _duplicate_question(self, row, matches, existing):
        choices, candidates, comparison = [], [], {}
        for match in matches:
            if match.document_id is None:
                label = f"row {match.row} of this file"
                candidates.append(Candidate("", label, f"'{match.title}' ({match.date})"))
                continue
            code = f"update:{match.record_id}"
            candidates.append(
                Candidate(
                    code,
                    f"record {match.record_id}",
                    f"'{match.title}' ({match.date or 'undated'})",
                )
            )
            choices.append((code, f"Update record {match.record_id} with this row"))
            comparison[code] = self._beside(row, state_of(existing, match.document_id))
        choices += [("new", "Create a separate record"), ("skip", "Leave this row out")]
        best = matches[0]
        # The same title once folded, on the same date: the row is that record, written again.
        proposed = (
            f"update:{best.record_id}" if best.document_id is not None and best.score == 100 else ""
        )
        others = len(matches) - 1
        more = (
            f" ({others} other possible match{'es' if others != 1 else ''} below.)"
            if others
            else ""
        )
        return Question(
            key=f"record:{row.number}",
            kind="record",
            written=row.values["title"],
            reason=f"Possible duplicate: {best.reason}{more}",
            candidates=candidates,
            choices=choices,
            proposed=proposed,
            comparison=comparison,
        )

    # Writing ------------------------------------------------------------------------------
