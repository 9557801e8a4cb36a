"""The kinds of spreadsheet column that credit: people in a role, whom they acted for, funders.

See documents/spreadsheets/kinds.py for what a kind is; these follow the same interface. May
import the models and the spreadsheet modules `cells`, `kinds` and `links`.
"""

from documents.spreadsheets.cells import join, split_cell
from documents.spreadsheets.kinds import Column, References, display_field, refuse_bidi_controls
from documents.spreadsheets.links import Fundings


class Funders(References):
    """Funders in the order given; whether each is credited is kept from before."""

    ordered = True

    def __init__(self, name, help, example="", *, terms):
        super().__init__(name, help, example, terms=terms, link=Fundings(), relation="fundings")
        self.prefetch_related = ("fundings__organization",)

    def compare(self, raw):
        return tuple([org for org, _credited, _order in raw[self.link.name]])

    def apply(self, raw, value, now):
        credited = {org: c for org, c, _order in raw[self.link.name]}
        raw[self.link.name] = [[org, credited.get(org, True), i] for i, org in enumerate(value)]

    def entries(self, document):
        return [funding.organization for funding in document.fundings.all()]


class People(Column):
    """People in one role, in order; each found by name or variant, or created.

    The cells are read for a whole batch at once (RowCleaner.clean_people); whom a person acts
    for is kept from before."""

    pending = True
    per_row = False
    prefetch_related = ("contributions__person",)

    def __init__(self, name, help, example="", *, role, link):
        super().__init__(name, help, example, multiple=True)
        self.role, self.link = role.value, link
        self.compared_group = self.role
        link.roles.add(self.role)

    def compare(self, raw):
        return self.link.groups(raw[self.link.name]).get(self.role, ())

    def apply(self, raw, value, now):
        role, rows = self.role, raw[self.link.name]
        behalf = {p: b for ro, p, _w, _o, b in rows if ro == role}
        raw[self.link.name] = [c for c in rows if c[0] != role] + [
            [role, pid, written, i, behalf.get(pid)] for i, (pid, written) in enumerate(value)
        ]

    def cells(self, document, context):
        return (
            join(
                context.person_label(c.name_as_written or c.person.name, c.person_id)
                for c in document.contributions.all()
                if c.role == self.role
            ),
        )

    def display(self, value, importer):
        importer.people.load_ids([p for p, _w in value if p > 0])
        return join(w or importer.people.names.get(p, str(p)) for p, w in value)

    def pending_ids(self, value):
        return [pid for pid, _written in value if pid < 0]

    def materialize(self, value, real):
        return tuple((real(pid, pid), written) for pid, written in value)


class OnBehalfOf(Column):
    """For whom the people of one credit role acted ('Obtained for CWIHP by ...'), in order.

    One organization for all of the role's people, one per person in the order of their column
    ('-' for a person credited for no one), or empty for none. Read beside the people column,
    which the file must have. The value is one organization id (or None) per person."""

    pending = True
    NOBODY = "-"

    def __init__(self, name, help, example="", *, people, terms):
        super().__init__(name, help, example, multiple=True)
        self.people, self.terms, self.link = people, terms, people.link
        self.role = people.role
        self.prefetch_related = ("contributions__on_behalf_of",)

    def header_problems(self, names):
        if self.key in names and self.people.key not in names:
            return [f"The column '{self.key}' needs a '{self.people.key}' column beside it."]
        return []

    def clean(self, row, importer):
        cell = row.cells[self.key]
        if refuse_bidi_controls(row, self.key, cell, display_field(self.terms)):
            return
        count = len(split_cell(row.cells.get(self.people.key, "")))
        names = split_cell(cell)
        if names and len(names) not in (1, count):
            row.error(
                self.key,
                cell,
                f"There are {len(names)} organizations for {count} people in "
                f"'{self.people.key}'; give one for all of them, one per person in the same "
                f"order ('{self.NOBODY}' for a person credited for no one), or none.",
            )
            return
        vocabulary, ids = importer.vocab[self.key], []
        for name in names:
            if name == self.NOBODY:
                ids.append(None)
                continue
            pk = vocabulary.read(row, self.key, name, importer, cell=cell)
            if pk is None:
                return
            ids.append(pk)
        row.values[self.key] = tuple(ids * count if len(ids) == 1 else ids or [None] * count)

    def compare(self, raw):
        return tuple([b for ro, _p, _w, _o, b in raw[self.link.name] if ro == self.role])

    def apply(self, raw, value, now):
        # After the people column's apply (declared before this column): by position.
        position = 0
        for contribution in raw[self.link.name]:
            if contribution[0] == self.role and position < len(value):
                contribution[4] = value[position]
                position += 1

    def cells(self, document, context):
        behalf = [c.on_behalf_of for c in document.contributions.all() if c.role == self.role]
        if not any(behalf):
            return ("",)
        names = [getattr(o, self.terms.display) if o else self.NOBODY for o in behalf]
        return (names[0] if len(set(names)) == 1 else join(names),)

    def display(self, value, importer):
        names = importer.vocab[self.key].names
        return join(names.get(v, str(v)) if v else self.NOBODY for v in value)

    def pending_ids(self, value):
        return [pk for pk in value if pk is not None and pk < 0]

    def materialize(self, value, real):
        return tuple(real(pk, pk) if pk is not None else None for pk in value)


class UncreditedFunders(Column):
    """The funders (of those in the funders column) not named in the credit line."""

    pending = True

    def __init__(self, name, help, example="", *, funders):
        super().__init__(name, help, example, multiple=True)
        self.funders, self.terms, self.link = funders, funders.terms, funders.link

    def header_problems(self, names):
        if self.key in names and self.funders.key not in names:
            return [f"The column '{self.key}' needs a '{self.funders.key}' column beside it."]
        return []

    def clean(self, row, importer):
        cell = row.cells[self.key]
        vocabulary, ids = importer.vocab[self.key], []
        listed = row.values.get(self.funders.key, ())
        for name in split_cell(cell):
            pk = vocabulary.read(row, self.key, name, importer, cell=cell)
            if pk is None:
                continue
            if pk not in listed:
                row.error(
                    self.key,
                    cell,
                    f"'{name}' is not among the funders of this row; a funder left out of the "
                    f"credit line must be in '{self.funders.key}' too.",
                )
            elif pk not in ids:
                ids.append(pk)
        row.values[self.key] = tuple(sorted(ids))

    def compare(self, raw):
        return tuple(sorted(org for org, credited, _order in raw[self.link.name] if not credited))

    def apply(self, raw, value, now):
        # After the funders column's apply (declared before this column).
        raw[self.link.name] = [
            [org, org not in value, order] for org, _credited, order in raw[self.link.name]
        ]

    def cells(self, document, context):
        display = self.terms.display
        return (
            join(
                sorted(
                    getattr(f.organization, display)
                    for f in document.fundings.all()
                    if not f.credited
                )
            ),
        )

    def display(self, value, importer):
        names = importer.vocab[self.key].names
        return join(sorted(names.get(v, str(v)) for v in value))

    def pending_ids(self, value):
        return [pk for pk in value if pk < 0]

    def materialize(self, value, real):
        return tuple(sorted(real(pk, pk) for pk in value))
