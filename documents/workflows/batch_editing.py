"""Batch edits: set, add or remove one field's values on many documents at once, and undo them.

A batch edit names one field (subjects, places, collections, type, languages, classification,
rights statement, funders or status), an action (set, add or remove) and the values. `preview`
says how many of the selected documents it changes and shows the first of them before and
after; `create` records it (`BatchEdit`), `run` makes it, in one transaction and one revision of
the history; `undo` puts back what each record held, unless the field was changed since.

The fields are the spreadsheet columns of the same names (documents/spreadsheets/columns.py):
a record's state is read, changed (each column's `apply`), fingerprinted and written back the
way an import and its undo do it (documents/spreadsheets/state.py), so a batch edit holds and
restores exactly what an import would. The writes are bulk writes: they are recorded with
`documents.changes.record`, which refreshes the search entries, the public index and the page
cache. Who may make a batch edit is who may change the field in the document form: every field
needs `documents.change_document`, the status `documents.publish_document` too, and the
collections `collections.change_collection`.

Large batch edits run in the worker (documents/tasks/batch_edits.py, which decides).
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from documents import changes
from documents.history.bulk import write_baselines, write_revision
from documents.models import BatchEdit, BatchEditChange, Document, Status
from documents.models.bulk import with_ids
from documents.spreadsheets.columns import COLUMNS_BY_KEY
from documents.spreadsheets.state import (
    after_state,
    document_state_hashes,
    load_states,
    snapshot,
    state_hash,
    write_states,
)

SET, ADD, REMOVE = "set", "add", "remove"
ACTION_LABELS = {SET: "Set to", ADD: "Add", REMOVE: "Remove"}
SAMPLE = 10
_CHUNK = 500


@dataclass(frozen=True)
class BatchField:
    """A field a batch edit may change: its spreadsheet column and who may change it."""

    key: str  # the spreadsheet column
    label: str
    plural: str
    multiple: bool
    permission: str = ""  # needed beyond documents.change_document
    permission_text: str = ""
    # Columns besides `key` whose fingerprint covers what writing the field changes (a
    # funder's credit, the first publication date a status stamps).
    also_hashed: tuple = ()

    @property
    def column(self):
        return COLUMNS_BY_KEY[self.key]

    @property
    def model(self):
        """The vocabulary whose entries are the values; None for the status."""
        return self.column.terms.model if self.column.terms else None

    @property
    def hashed(self):
        return (self.key, *self.also_hashed)

    def actions(self):
        if self.key == "status":
            return (SET,)
        return (SET, ADD, REMOVE) if self.multiple else (SET, REMOVE)


FIELDS = {
    f.key: f
    for f in [
        BatchField("subjects", "subject", "subjects", True),
        BatchField("places", "place", "places", True),
        BatchField(
            "collections",
            "collection",
            "collections",
            True,
            permission="collections.change_collection",
            permission_text="change collections",
        ),
        BatchField("type", "document type", "document types", False),
        BatchField("languages", "language", "languages", True),
        BatchField("classification", "classification", "classifications", False),
        BatchField("rights", "rights statement", "rights statements", False),
        BatchField("funders", "funder", "funders", True, also_hashed=("uncredited_funders",)),
        BatchField(
            "status",
            "status",
            "statuses",
            False,
            permission="documents.publish_document",
            permission_text="publish, unpublish and withdraw documents",
            also_hashed=("original_uploaded_date",),
        ),
    ]
}


class BatchEditError(ValueError):
    """A batch edit that cannot be made or undone; the message says why, for the curator."""


class BatchEditRefused(PermissionDenied):
    """The user may not change the field a batch edit touches."""


@dataclass(frozen=True)
class Operation:
    """What a batch edit does: `action` the `field` with `values` (entry ids, or a status)."""

    field: str
    action: str
    values: tuple = ()

    @classmethod
    def from_json(cls, data):
        return cls(data["field"], data["action"], tuple(data.get("values", ())))

    def as_json(self):
        return {"field": self.field, "action": self.action, "values": list(self.values)}

    @property
    def batch_field(self):
        return FIELDS[self.field]

    def new_value(self, current):
        """The column's value (as the column compares it) once the operation is applied."""
        batch_field = self.batch_field
        if not batch_field.multiple:
            if self.action == SET:
                return self.values[0]
            return None if current in self.values else current
        ordered = batch_field.column.ordered
        if self.action == SET:
            values = list(dict.fromkeys(self.values))
        elif self.action == ADD:
            values = [*current, *(v for v in self.values if v not in current)]
        else:
            values = [v for v in current if v not in self.values]
        return tuple(values) if ordered else tuple(sorted(values))


def validate(operation):
    """Raise BatchEditError, naming the field, unless the operation can be made."""
    batch_field = FIELDS.get(operation.field)
    if batch_field is None:
        raise BatchEditError(
            f"'{operation.field}' is not a field a batch edit can change; choose one of "
            + ", ".join(f.plural for f in FIELDS.values())
            + "."
        )
    if operation.action not in batch_field.actions():
        allowed = " or ".join(ACTION_LABELS[a].lower() for a in batch_field.actions())
        raise BatchEditError(
            f"The {batch_field.label} can only be {allowed}, not '{operation.action}'."
        )
    values = operation.values
    if batch_field.model is None:
        if len(values) != 1 or values[0] not in Status.values:
            raise BatchEditError("Choose one status: draft, published or withdrawn.")
        return
    if operation.action != SET or not batch_field.multiple:
        if not values:
            raise BatchEditError(f"Choose at least one {batch_field.label}.")
    if operation.action == SET and not batch_field.multiple and len(values) != 1:
        raise BatchEditError(f"Choose one {batch_field.label} to set.")
    found = set(
        batch_field.model._default_manager.filter(pk__in=values).values_list("pk", flat=True)
    )
    missing = [v for v in values if v not in found]
    if missing:
        raise BatchEditError(
            f"The {batch_field.label} #{missing[0]} no longer exists; choose the "
            f"{batch_field.plural} again."
        )


def refusal(user, field_key):
    """Why `user` may not make a batch edit of this field, as a sentence; None if they may."""
    batch_field = FIELDS[field_key]
    if user is None or not user.has_perm("documents.change_document"):
        return "You may not change documents, so you cannot edit them in batch."
    if batch_field.permission and not user.has_perm(batch_field.permission):
        return (
            f"Changing the {batch_field.label} of documents needs the permission to "
            f"{batch_field.permission_text}, which your account does not have."
        )
    return None


def check_permission(user, field_key):
    problem = refusal(user, field_key)
    if problem:
        raise BatchEditRefused(problem)


def names(batch_field, values):
    """{value: its name as curators see it} for entry ids (or statuses)."""
    if batch_field.model is None:
        return {value: str(Status(value).label) for value in values if value in Status.values}
    display = batch_field.column.terms.display
    return dict(
        batch_field.model._default_manager.filter(pk__in=set(values)).values_list("pk", display)
    )


def describe(operation, count=None):
    """The operation in words: "add subject 'Oil'", "set status to 'Published' on 3 documents"."""
    batch_field = operation.batch_field
    named = names(batch_field, operation.values)
    quoted = ", ".join(f"'{named.get(v, v)}'" for v in operation.values)
    noun = batch_field.label if len(operation.values) == 1 else batch_field.plural
    if operation.action == SET and not operation.values:
        text, preposition = f"clear the {batch_field.plural}", "of"
    elif operation.action == SET:
        text, preposition = f"set {batch_field.label} to {quoted}", "on"
    elif operation.action == ADD:
        text, preposition = f"add {noun} {quoted}", "to"
    else:
        text, preposition = f"remove {noun} {quoted}", "from"
    if count is not None:
        text += f" {preposition} {count:,} document{'s' if count != 1 else ''}"
    return text


# Preview ----------------------------------------------------------------------------------------


@dataclass
class SampleRow:
    pk: int
    record_id: int
    title: str
    before: str
    after: str


@dataclass
class Preview:
    total: int = 0  # documents selected
    changing: int = 0
    unchanged: int = 0
    sample: list = field(default_factory=list)
    description: str = ""


def preview(queryset, operation, user, *, sample=SAMPLE):
    """How many of the documents in `queryset` the operation changes, and the first `sample`
    of them, field by field before and after. Writes nothing."""
    check_permission(user, operation.field)
    validate(operation)
    ids = sorted(queryset.values_list("pk", flat=True))
    result = Preview(total=len(ids))
    batch_field = operation.batch_field
    column = batch_field.column
    sampled = []
    # Only the table holding the field: the preview compares nothing else.
    links = (column.link,) if column.link is not None else ()
    for start in range(0, len(ids), _CHUNK):
        states = load_states(ids[start : start + _CHUNK], links=links)
        for pk, raw in states.items():
            current = column.compare(raw)
            new = operation.new_value(current)
            if new == current:
                result.unchanged += 1
                continue
            result.changing += 1
            sampled.append((raw["record_id"], pk, current, new))
    sampled.sort()
    sampled = sampled[:sample]
    shown = names(
        batch_field,
        [v for _r, _pk, *pair in sampled for value in pair for v in _as_tuple(value)],
    )
    titles = dict(
        with_ids(Document.objects.order_by(), "pk", [pk for _r, pk, *_ in sampled]).values_list(
            "pk", "title"
        )
    )
    ordered = getattr(column, "ordered", True)
    result.sample = [
        SampleRow(
            pk,
            record_id,
            titles.get(pk, ""),
            _shown(before, shown, ordered),
            _shown(after, shown, ordered),
        )
        for record_id, pk, before, after in sampled
    ]
    result.description = describe(operation, result.changing)
    return result


def _as_tuple(value):
    if value is None:
        return ()
    return tuple(value) if isinstance(value, tuple) else (value,)


def _shown(value, shown, ordered):
    """Entries by name: in their order (funders), or alphabetically (a set, such as subjects)."""
    texts = [str(shown.get(v, v)) for v in _as_tuple(value)]
    return "; ".join(texts if ordered else sorted(texts)) or "—"


# Making and undoing -----------------------------------------------------------------------------


def create(document_ids, operation, *, by, query=""):
    """Record a batch edit of these documents, waiting to run; the caller runs or queues it."""
    check_permission(by, operation.field)
    validate(operation)
    ids = sorted(set(document_ids))
    if not ids:
        raise BatchEditError("Select at least one document to edit in batch.")
    return BatchEdit.objects.create(
        user=by,
        operation=operation.as_json(),
        description=describe(operation),
        query=query,
        document_ids=ids,
        total=len(ids),
    )


def run(batch_edit, *, progress=None):
    """Make a waiting batch edit; it ends done, or failed with the reason and nothing written.

    `progress(n)` is told of every n documents read.
    """
    claimed = BatchEdit.objects.filter(pk=batch_edit.pk, state=BatchEdit.State.QUEUED).update(
        state=BatchEdit.State.RUNNING
    )
    if not claimed:
        raise BatchEditError(f"Batch edit #{batch_edit.pk} is not waiting to run.")
    batch_edit.refresh_from_db()
    try:
        _run(batch_edit, progress)
    except Exception as error:
        reason = (
            str(error)
            if isinstance(error, BatchEditError | PermissionDenied)
            else (f"{type(error).__name__}: {error}")
        )
        BatchEdit.objects.filter(pk=batch_edit.pk).update(
            state=BatchEdit.State.FAILED,
            finished_at=timezone.now(),
            error=f"The batch edit stopped and nothing was written: {reason}",
        )
        batch_edit.refresh_from_db()
        raise
    return batch_edit


@transaction.atomic
@changes.batch()
def _run(batch_edit, progress):
    operation = Operation.from_json(batch_edit.operation)
    # Checked again: the worker runs it later, and the account may have changed meanwhile.
    check_permission(batch_edit.user, operation.field)
    validate(operation)
    batch_field = operation.batch_field
    column = batch_field.column
    now = timezone.now()
    ids = sorted(batch_edit.document_ids)
    items, rows, unchanged = [], [], 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        list(Document.objects.select_for_update().filter(pk__in=chunk).values_list("pk"))
        for pk, raw in sorted(load_states(chunk).items()):
            current = column.compare(raw)
            new = operation.new_value(current)
            if new == current:
                unchanged += 1
                continue
            after = after_state(raw, {column.key: new}, now)
            items.append((pk, _part(after, column)))
            rows.append(
                BatchEditChange(
                    batch_edit=batch_edit,
                    document_id=pk,
                    record_id=raw["record_id"],
                    before=_part(raw, column, as_json=True),
                    after_hash=state_hash(after, batch_field.hashed),
                )
            )
        if progress is not None:
            progress(len(chunk))
    changed_ids = [pk for pk, _part_state in items]
    write_baselines(changed_ids)
    for start in range(0, len(items), _CHUNK):
        write_states(items[start : start + _CHUNK])
    BatchEditChange.objects.bulk_create(rows, batch_size=_CHUNK)
    count = len(changed_ids)
    revision = write_revision(
        changed_ids,
        user=batch_edit.user,
        comment=f"Batch edit #{batch_edit.pk}: {describe(operation, count)}",
    )
    changes.record(documents=changed_ids)  # bulk writes send no signals
    batch_edit.state = BatchEdit.State.DONE
    batch_edit.changed = count
    batch_edit.unchanged = unchanged
    batch_edit.revision = revision
    batch_edit.finished_at = timezone.now()
    batch_edit.save()


def _part(raw, column, *, as_json=False):
    """What of a record's state the column holds: its Document fields, or its linked rows."""
    part = {}
    if column.fields:
        part["fields"] = {name: raw["fields"][name] for name in column.fields}
    if column.link is not None:
        part[column.link.name] = raw[column.link.name]
    if as_json:
        return json.loads(snapshot(part))
    return part


def edited_since(batch_edit):
    """The record ids of the documents whose field was changed after the batch edit."""
    batch_field = FIELDS[batch_edit.operation["field"]]
    changed = list(batch_edit.changes.values_list("document_id", "record_id", "after_hash"))
    edited = []
    for start in range(0, len(changed), _CHUNK):
        chunk = changed[start : start + _CHUNK]
        hashes = document_state_hashes([pk for pk, *_ in chunk], batch_field.hashed)
        edited += [
            record_id
            for pk, record_id, after_hash in chunk
            if pk in hashes and hashes[pk] != after_hash  # a deleted record is not restored
        ]
    return edited


@transaction.atomic
@changes.batch()
def undo(batch_edit, *, by):
    """Put back what each document the batch edit changed held before, as one revision.

    Refused (BatchEditError) if the field was changed on any of them since: undoing would
    overwrite that later change."""
    batch_edit = BatchEdit.objects.select_for_update().get(pk=batch_edit.pk)
    operation = Operation.from_json(batch_edit.operation)
    check_permission(by, operation.field)
    if not batch_edit.can_be_undone():
        raise BatchEditError(
            f"Batch edit #{batch_edit.pk} cannot be undone: "
            + (
                "it was already undone."
                if batch_edit.state == BatchEdit.State.UNDONE
                else "it changed nothing."
            )
        )
    edited = edited_since(batch_edit)
    if edited:
        listed = ", ".join(str(r) for r in sorted(edited)[:10])
        more = f" and {len(edited) - 10:,} more" if len(edited) > 10 else ""
        raise BatchEditError(
            f"Batch edit #{batch_edit.pk} cannot be undone: the {operation.batch_field.plural} "
            f"of {len(edited):,} of its records were changed since (record {listed}{more}). "
            "Undoing it would overwrite those changes; change the records by hand, or make "
            "another batch edit."
        )
    restored = []
    changes_kept = list(batch_edit.changes.values_list("document_id", "before"))
    for start in range(0, len(changes_kept), _CHUNK):
        chunk = changes_kept[start : start + _CHUNK]
        existing = set(
            with_ids(Document.objects.order_by(), "pk", [pk for pk, _b in chunk]).values_list(
                "pk", flat=True
            )
        )
        items = [(pk, before) for pk, before in chunk if pk in existing]
        write_states(items)
        restored += [pk for pk, _before in items]
    write_revision(
        restored,
        user=by,
        comment=f"Undid batch edit #{batch_edit.pk}: {batch_edit.description}",
    )
    changes.record(documents=restored)
    batch_edit.state = BatchEdit.State.UNDONE
    batch_edit.undone_at = timezone.now()
    batch_edit.undone_by = by
    batch_edit.save()
    return len(restored)


def recent_batch_edits(limit=10):
    """The latest batch edits, newest first, with who made them (for the curators' dashboard)."""
    return list(BatchEdit.objects.select_related("user", "undone_by")[:limit])
