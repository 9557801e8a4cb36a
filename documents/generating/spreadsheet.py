"""Write a planned archive as an import spreadsheet, people named as staff would name them."""

from __future__ import annotations

import csv
import itertools

from documents.authorities.matching import AMBIGUOUS, LIKELY, SAME, PersonMatcher, write_cell
from documents.generating.plans import iter_document_plans
from documents.generating.words import BATCH_SIZE
from documents.spreadsheets.columns import COLUMN_NAMES, PEOPLE_COLUMNS

# The import spreadsheet's columns, in order: the declaration's (documents.spreadsheets.columns).
CSV_COLUMNS = COLUMN_NAMES


class ResolvedNames:
    """People's cells as staff write them once they have answered the import's questions.

    Decided by the archive's matching policy (`documents.authorities.matching`), as the import
    decides. The import refuses a name that is likely someone else's ("Ahmad Y. Aliev" /
    "Ahmad I. Aliev") and a name several people share, until staff decide in the cell (issue 5).
    The generated people are distinct, so the first mention of one whose name is likely that of
    a person already in the archive or earlier in the file says `[new]`, and a name shared by
    several people in the archive names the one meant with `[#id]` (the lowest). The cells are
    therefore right for the database the file is generated against.
    """

    def __init__(self):
        self.matcher = PersonMatcher()
        self.new_ids = itertools.count(-1, -1)
        self.cells = {}

    def load(self, names):
        """Read what the cells of these names need (a batch at a time, like the import)."""
        self.matcher.load(names)

    def cell(self, name):
        found = self.cells.get(name)
        if found is None:
            found = self.cells[name] = self._decide(name)
        return found

    def _decide(self, name):
        decision = self.matcher.decide(name)
        if decision.kind == SAME:
            return name
        if decision.kind == AMBIGUOUS:
            return write_cell(name, person_id=min(pid for pid in decision.people if pid > 0))
        # The person is new in the file: named so the import creates them, once.
        self.matcher.add(next(self.new_ids), name)
        return write_cell(name, new=decision.kind == LIKELY)


def write_csv(plan, path, *, first_record_id):
    """Write the planned documents as an import spreadsheet, one row per document."""
    names = ResolvedNames()
    role_columns = {role: column for column, role in PEOPLE_COLUMNS.items()}

    def named(d):
        # A spelling the import has never seen for a person new in the same file is, by
        # design, a likely match that staff must decide; the benchmark file names people as
        # the archive does, so it measures import speed, not refusals.
        return [
            (role, written_as if isinstance(who, tuple) else plan.people[who].name)
            for who, role, written_as in d.people
        ]

    documents = iter_document_plans(plan, first_record_id=first_record_id)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        while batch := list(itertools.islice(documents, BATCH_SIZE)):
            names.load({name for d in batch for _role, name in named(d)})
            for d in batch:
                write_row(writer, d, named(d), names, role_columns)


def write_row(writer, d, people, names, role_columns):
    by_column = {column: [] for column in role_columns.values()}
    for role, name in people:
        by_column[role_columns[role]].append(names.cell(name))
    row = {
        "record_id": d.record_id,
        "title": d.title,
        "date": d.date_text,
        "type": d.type_name,
        "summary": d.summary,
        "text": d.text,
        "transcript": d.transcript,
        "languages": ";".join(d.languages),
        "classification": d.classification,
        "repository": d.repository,
        "source": d.reference,
        "collections": ";".join(d.collections),
        "subjects": ";".join(d.subjects),
        "places": ";".join(d.places),
        "funders": ";".join(d.funders),
        "rights": d.rights,
        "status": d.status,
        **{column: ";".join(cells) for column, cells in by_column.items()},
    }
    # A column the plan has no value for stays empty (for original_uploaded_date: the import
    # stamps the day a record is first published).
    writer.writerow([row.get(column, "") for column in CSV_COLUMNS])
