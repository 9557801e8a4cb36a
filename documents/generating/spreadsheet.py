"""Write a planned archive as an import spreadsheet, people named as staff would name them."""

from __future__ import annotations

import csv

from documents.generating.plans import iter_document_plans
from documents.models import (
    Person,
    PersonName,
)
from documents.parsing.names import name_key, sound_key
from documents.spreadsheets.columns import COLUMN_NAMES, PEOPLE_COLUMNS

# The import spreadsheet's columns, in order: the declaration's (documents.spreadsheets.columns).
CSV_COLUMNS = COLUMN_NAMES

# Words whose frequency the generator controls, so search benchmarks know what they ask for.
# The common term is in nearly every text; the mid-frequency term in about 2% of documents;


class ResolvedNames:
    """People's cells as staff write them once they have answered the import's questions.

    The import refuses a name that differs from someone else's only by a transliteration
    ("Ahmad Y. Aliev" / "Ahmad I. Aliev") and a name two people share, until staff decide in the
    cell (issue 5). The generated people are distinct, so the first mention of one whose name
    sounds like a person already in the archive or earlier in the file says `[new]`, and a name
    shared by several people in the archive names the one meant with `[#id]`. The cells are
    therefore right for the database the file is generated against.
    """

    def __init__(self):
        self.exact = {}  # name key -> person ids (or "new" for people first named in the file)
        self.sounds = set()
        for model, person in ((Person, "pk"), (PersonName, "person_id")):
            for pid, key, sound in model.objects.values_list(person, "name_key", "sound_key"):
                self.exact.setdefault(key, set()).add(pid)
                self.sounds.add(sound)
        self.cells = {}

    def cell(self, name):
        found = self.cells.get(name)
        if found is None:
            found = self.cells[name] = self._decide(name)
        return found

    def _decide(self, name):
        key, sound = name_key(name), sound_key(name)
        people = self.exact.get(key)
        if people and len(people) > 1:
            return f"{name} [#{min(people)}]"
        if people:
            return name
        self.exact[key] = {"new"}
        likely = sound in self.sounds
        self.sounds.add(sound)
        return f"{name} [new]" if likely else name


def write_csv(plan, path, *, first_record_id):
    """Write the planned documents as an import spreadsheet, one row per document."""
    names = ResolvedNames()
    role_columns = {role: column for column, role in PEOPLE_COLUMNS.items()}
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for d in iter_document_plans(plan, first_record_id=first_record_id):
            by_column = {column: [] for column in role_columns.values()}
            for who, role, written_as in d.people:
                # A spelling the import has never seen for a person new in the same file is,
                # by design, a likely match that staff must decide; the benchmark file names
                # people as the archive does, so it measures import speed, not refusals.
                name = written_as if isinstance(who, tuple) else plan.people[who].name
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
                **{column: ";".join(names) for column, names in by_column.items()},
            }
            # A column the plan has no value for stays empty (for original_uploaded_date: the
            # import stamps the day a record is first published).
            writer.writerow([row.get(column, "") for column in CSV_COLUMNS])
