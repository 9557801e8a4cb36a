"""The tables other than Document's that hold spreadsheet columns, read and written in bulk.

Each link reads its rows for a batch of documents into their states (`load`, see
documents/spreadsheets/kinds.py for the state) and replaces them from states (`replace`): the
import writes what a row leaves, undo writes back what a record held. Plain SQL through
documents.models.bulk, since an import does this for every batch. May import the models,
`documents.parsing` and `documents.models.bulk`.
"""

from functools import lru_cache

from django.db.models import Q

from documents.models import Citation, Contribution, Document, DocumentText, Funding
from documents.models.bulk import insert_rows, select_rows
from documents.parsing.references import parse_reference

_parse_reference = lru_cache(maxsize=5_000)(parse_reference)


class Through:
    """A many-to-many table; the state holds the ids of the linked entries."""

    def __init__(self, name, through, column):
        self.name, self.through, self.column = name, through, column

    def load(self, raw, document_ids):
        # In the table's order: the column sorts them where it compares (see kinds.References).
        for doc_id, value in select_rows(self.through, ["document_id", self.column], document_ids):
            raw[doc_id][self.name].append(value)

    def replace(self, cleared, states):
        """Delete the rows of the `cleared` documents; insert the rows the `states` hold."""
        if cleared:
            self.through.objects.filter(document_id__in=cleared).delete()
        insert_rows(
            self.through,
            ["document_id", self.column],
            ((doc_id, pk) for doc_id, state in states for pk in state[self.name]),
        )


class Fundings:
    """Funders in their order; the state holds [organization, credited, order] rows."""

    name = "fundings"

    def load(self, raw, document_ids):
        for doc_id, org, credited, order in select_rows(
            Funding, ["document_id", "organization_id", "credited", "order"], document_ids
        ):
            raw[doc_id][self.name].append([org, bool(credited), order])

    def replace(self, cleared, states):
        if cleared:
            Funding.objects.filter(document_id__in=cleared).delete()
        insert_rows(
            Funding,
            ["document_id", "organization_id", "order", "credited"],
            (
                (doc_id, org, order, credited)
                for doc_id, state in states
                for org, credited, order in state[self.name]
            ),
        )


class Contributions:
    """People in roles; the state holds [role, person, name as written, order, on behalf of].

    Only the roles that have a column are read (`roles`, filled in by the People columns)."""

    name = "contributions"

    def __init__(self):
        self.roles = set()
        self._grouped = (None, {})  # the rows last grouped, and their groups

    def groups(self, rows):
        """A state's rows by role: {role: ((person, name as written), ...)}.

        Each role's column asks in turn for the same state's rows: grouped once for all of
        them (a state's rows are replaced by a new list, never changed in place, where the
        people change)."""
        last, grouped = self._grouped
        if last is rows:
            return grouped
        found = {}
        for role, person, written, _order, _behalf in rows:
            found.setdefault(role, []).append((person, written))
        grouped = {role: tuple(pairs) for role, pairs in found.items()}
        self._grouped = (rows, grouped)
        return grouped

    def load(self, raw, document_ids):
        for doc_id, role, person, written, order, behalf in select_rows(
            Contribution,
            ["document_id", "role", "person_id", "name_as_written", "order", "on_behalf_of_id"],
            document_ids,
        ):
            if role in self.roles:
                raw[doc_id][self.name].append([role, person, written, order, behalf])

    def replace(self, cleared, states):
        """The rows of every role that has a column (a state holds those, see `load`)."""
        if cleared:
            Contribution.objects.filter(document_id__in=cleared, role__in=self.roles).delete()
        insert_rows(
            Contribution,
            ["document_id", "person_id", "role", "name_as_written", "order", "on_behalf_of_id"],
            (
                (doc_id, person, role, written, order, behalf)
                for doc_id, state in states
                for role, person, written, order, behalf in state[self.name]
            ),
        )


class Citations:
    """Archival citations in their order; the state holds [repository, reference, order]."""

    name = "citations"

    def load(self, raw, document_ids):
        for doc_id, repo, reference, order in select_rows(
            Citation, ["document_id", "repository_id", "reference", "order"], document_ids
        ):
            raw[doc_id][self.name].append([repo, reference, order])

    def replace(self, cleared, states):
        if cleared:
            Citation.objects.filter(document_id__in=cleared).delete()
        rows = []
        for doc_id, state in states:
            for repo, reference, order in state[self.name]:
                rows.append(Citation.row(doc_id, repo, reference, order, parse=_parse_reference))
        insert_rows(Citation, Citation.ROW, rows)


class Texts:
    """Further translations and transcripts; the state holds [kind, slot, language, text,
    translator, note] rows, the slots numbered 2, 3, ... in each kind's order (position, id),
    as the columns `translation_2`, `translation_3`, ... name them.

    The columns of every slot share this link, and each writes all of a document's rows again
    (`replace` is the same whichever column calls it, so calling it twice changes nothing)."""

    name = "texts"
    COLUMNS = ["document_id", "kind", "position", "language_id", "text", "translator_id", "note"]

    def load(self, raw, document_ids):
        rows = sorted(
            select_rows(DocumentText, [*self.COLUMNS, "id"], document_ids),
            key=lambda r: (r[0], r[1], r[2], r[-1]),
        )
        slots = {}
        for doc_id, kind, _position, language, text, translator, note, _pk in rows:
            slot = slots[doc_id, kind] = slots.get((doc_id, kind), 1) + 1
            raw[doc_id][self.name].append([kind, slot, language, text, translator, note])

    def replace(self, cleared, states):
        documents = set(cleared) | {doc_id for doc_id, _state in states}
        if documents:
            DocumentText.objects.filter(document_id__in=documents).delete()
        insert_rows(
            DocumentText,
            self.COLUMNS,
            (
                (doc_id, kind, slot, language, text, translator, note)
                for doc_id, state in states
                for kind, slot, language, text, translator, note in state[self.name]
            ),
        )


class Related:
    """Related documents (a symmetrical link: each pair is kept in both directions).

    The state holds the record IDs of the related documents, which a spreadsheet names and
    which stay the same in another archive. `replace` returns the (document id, record ID)
    pairs whose record does not exist yet (a row later in the file creates it); the import
    writes them with `add_later` once every row is written."""

    name = "related"
    through = Document.related.through

    def load(self, raw, document_ids):
        rows = self.through.objects.filter(from_document_id__in=document_ids).values_list(
            "from_document_id", "to_document__record_id"
        )
        for doc_id, record_id in rows:
            raw[doc_id][self.name].append(record_id)

    def replace(self, cleared, states):
        if cleared:
            self.through.objects.filter(
                Q(from_document_id__in=cleared) | Q(to_document_id__in=cleared)
            ).delete()
        return self.add_later(
            [(doc_id, record_id) for doc_id, state in states for record_id in state[self.name]]
        )

    def add_later(self, wanted):
        """Link each (document id, record ID) pair whose record exists; return the others."""
        if not wanted:
            return []
        found = dict(
            Document.objects.filter(record_id__in={r for _d, r in wanted}).values_list(
                "record_id", "pk"
            )
        )
        pairs = {(doc_id, found[r]) for doc_id, r in wanted if r in found}
        pairs |= {(b, a) for a, b in pairs}
        if pairs:
            present = set(
                self.through.objects.filter(
                    from_document_id__in={a for a, _b in pairs},
                    to_document_id__in={b for _a, b in pairs},
                ).values_list("from_document_id", "to_document_id")
            )
            self.through.objects.bulk_create(
                [
                    self.through(from_document_id=a, to_document_id=b)
                    for a, b in sorted(pairs - present)
                ]
            )
        return [(doc_id, r) for doc_id, r in wanted if r not in found]
