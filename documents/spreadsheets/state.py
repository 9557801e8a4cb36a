"""What the spreadsheet columns describe of a record, read in bulk, compared and fingerprinted.

A record's state ("raw", see documents/spreadsheets/kinds.py) holds the Document fields of
the columns (`DOCUMENT_FIELDS`) and the rows of their linked tables. Everything here is derived
from the declaration in documents/spreadsheets/columns.py.
"""

import datetime
import enum
import hashlib
import json
from functools import lru_cache

from django.db import connection
from django.utils import timezone

from documents.models import Document
from documents.models.bulk import select_rows
from documents.spreadsheets.columns import (
    COMPARED,
    DERIVING,
    DOCUMENT_FIELDS,
    LINKS,
)


def _default(name):
    value = Document._meta.get_field(name).get_default()
    return value.value if isinstance(value, enum.Enum) else value


# A record before anything is written: the model's defaults.
_BLANK_FIELDS = {name: _default(name) for name in DOCUMENT_FIELDS}


def load_states(document_ids, links=LINKS):
    """Everything the columns describe for these documents, keyed by document id ("raw" state).

    `links`: the linked tables to read (all of them, unless only some columns are compared)."""
    raw = {}
    if not document_ids:
        return raw
    names = ["id", "record_id", *DOCUMENT_FIELDS]
    converters = _converters(DOCUMENT_FIELDS)
    # Plain SQL: these columns need little conversion, and the ORM's values() costs three times
    # more.
    link_names = [link.name for link in links]
    for pk, record_id, *values in select_rows(Document, names, document_ids, by="id"):
        for index, functions, expression in converters:
            for function in functions:
                values[index] = function(values[index], expression, connection)
        fields = dict(zip(DOCUMENT_FIELDS, values, strict=True))
        state = raw[pk] = {"record_id": record_id, "fields": fields}
        for name in link_names:
            state[name] = []
    for link in links:
        link.load(raw, document_ids)
    return raw


def _converters(names):
    """(index, functions, expression) for the fields whose plain SQL value needs converting
    to the model's (SQLite returns date-times as text)."""
    found = []
    for index, name in enumerate(names):
        field = Document._meta.get_field(name)
        expression = field.get_col(Document._meta.db_table)
        functions = connection.ops.get_db_converters(expression) + field.get_db_converters(
            connection
        )
        if functions:
            found.append((index, functions, expression))
    return found


def blank_state():
    """The state of a record not written yet."""
    return {"fields": dict(_BLANK_FIELDS), **{link.name: [] for link in LINKS}}


def after_state(old, values, now):
    """The state a written row leaves its record in: `old` (None: a new record) with `values`
    (column key -> cleaned value) applied. The writer writes what this returns."""
    base = old if old is not None else blank_state()
    raw = {key: value for key, value in base.items() if key != "state"}
    raw["fields"] = dict(base["fields"])
    for key, apply in _APPLY:
        if key in values:
            apply(raw, values[key], now)
    return raw


# Looked up once: the import calls these for every row.
_APPLY = [(column.key, column.apply) for column in COMPARED]
_FIELD_VALUES = [(c.key, c.compared_field) for c in COMPARED if c.compared_field]
_COMPARE = [
    (c.key, c.compare) for c in COMPARED if not c.compared_field and c.compared_group is None
]


def _grouped():
    """{link: [(column key, group)]} for the columns that compare one group of a link's rows."""
    found = {}
    for column in COMPARED:
        if column.compared_group is not None:
            found.setdefault(column.link, []).append((column.key, column.compared_group))
    return found


_GROUPS = _grouped()


def _compare_state(raw):
    """The state the columns see: {column key: comparable value}."""
    fields = raw["fields"]
    state = {key: fields[name] for key, name in _FIELD_VALUES}
    for key, compare in _COMPARE:
        state[key] = compare(raw)
    for link, members in _GROUPS.items():
        groups = link.groups(raw[link.name])
        for key, group in members:
            state[key] = groups.get(group, ())
    return state


def state_of(existing, pk):
    raw = existing[pk]
    if "state" not in raw:
        raw["state"] = _compare_state(raw)
    return raw["state"]


def state_hash(raw, keys):
    """A fingerprint of the columns `keys` of a record's state, to tell later edits apart.

    An import keeps with its job the columns its fingerprints cover (ImportJob.hashed_columns)
    and undo fingerprints the same ones, so a column added since disturbs no earlier undo. A
    column no longer declared counts as None."""
    state = _compare_state(raw)
    # repr of ints, strings, None and tuples is exact and stable, and much faster than JSON.
    text = repr([state.get(key) for key in _sorted(tuple(keys))])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@lru_cache(maxsize=32)
def _sorted(keys):
    return sorted(keys)


def document_state_hashes(document_ids, keys):
    return {pk: state_hash(raw, keys) for pk, raw in load_states(document_ids).items()}


def snapshot(raw):
    """A record's state as JSON, as ImportChange.before keeps it for undo."""
    kept = {key: value for key, value in raw.items() if key not in ("record_id", "state")}
    return json.dumps(kept, ensure_ascii=False, default=_json_value)


def _json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not part of a record's state.")


def write_states(items):
    """Write documents' states back: [(document id, state)], in bulk; no signal is sent.

    A state may hold only part of a record: the Document fields in its "fields" and the links
    it names are written, nothing else (a column added since an import, or the fields a batch
    edit left alone, stay as they are). The fields derived from those written are derived
    again. Undoing an import (undo.py) and a batch edit (documents.workflows.batch_editing)
    write through this; the caller records the change (documents.changes.record).
    """
    now = timezone.now()
    by_fields = {}
    for doc_id, state in items:
        fields = state.get("fields", {})
        document = Document(pk=doc_id, updated_at=now, **fields)
        derived = []
        for column in DERIVING:
            if column.fields and all(name in fields for name in column.fields):
                derived.extend(column.derive(document, None))
        key = (*fields, *dict.fromkeys(derived))
        by_fields.setdefault(key, []).append(document)
    for names, documents in by_fields.items():
        Document.objects.bulk_update(documents, [*names, "updated_at"], batch_size=500)
    for link in LINKS:
        held = [(doc_id, state) for doc_id, state in items if link.name in state]
        if held:
            link.replace([doc_id for doc_id, _state in held], held)
