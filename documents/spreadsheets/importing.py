"""Import documents from a spreadsheet: validate every row, preview, write in batches, undo.

The entry point is `import_documents(path, *, user, dry_run, create_missing, skip_errors,
date_order, ...)`. It streams the file (see `documents/spreadsheets.py`), works through it in
batches of `batch_size` rows, and for each batch:

1. cleans every cell (trimmed, control characters refused, length limits, dates, statuses),
2. resolves vocabularies (preloaded once per import into dicts) and people (looked up per
   batch by the folded name keys of `documents/names.py`),
3. loads the batch's existing records and their links in a fixed number of queries and
   compares: a row is *new*, *updated* (with a column-by-column diff), *unchanged* or an
   *error*,
4. writes the new and updated records with bulk queries (unless `dry_run`), and records what
   each one held before in an `ImportJob`'s `ImportChange` rows so the import can be undone.

All or nothing: once a row fails, nothing more is written and the transaction is rolled back at
the end (the report still lists every bad row). With `skip_errors` the good rows are written and
the bad ones are listed and can be written to a spreadsheet of their own.

`undo_import(job, *, user, dry_run)` reverses an import, except records edited since.
"""

import hashlib
import json
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date as date_type
from datetime import datetime as datetime_type
from decimal import Decimal
from functools import lru_cache
from itertools import count

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from archive_collections.models import Collection
from archive_site.cache import invalidate_public_pages
from documents import search
from documents.models import (
    Citation,
    Classification,
    Contribution,
    Document,
    DocumentType,
    Funding,
    ImportChange,
    ImportJob,
    Language,
    Organization,
    Person,
    PersonName,
    Place,
    RecordIdCounter,
    Repository,
    RightsStatement,
    Status,
    Subject,
)
from documents.parsing.dates import DateParseError, parse_date
from documents.parsing.names import name_key as _name_key
from documents.parsing.names import sound_key as _sound_key
from documents.parsing.references import parse_reference, split_source
from documents.spreadsheets.files import SpreadsheetError, Table, limit, write_rows
from documents.spreadsheets.resources import (
    COLUMN_NAMES,
    COLUMNS_BY_NAME,
    ERRORS_COLUMN,
    PEOPLE_COLUMNS,
    SEPARATOR,
    escape_formula,
    unescape_formula,
)

__all__ = [
    "ImportResult",
    "RowError",
    "SpreadsheetError",
    "import_documents",
    "undo_import",
]

DATE_ORDERS = ("mdy", "dmy")
# Folding a name is the costliest step per cell; files repeat names, so remember them.
name_key = lru_cache(maxsize=20_000)(_name_key)
sound_key = lru_cache(maxsize=20_000)(_sound_key)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
# The same characters plus every carriage return: a fast first look before the exact check.
_MAYBE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_PERSON_MARK = re.compile(r"^(?P<name>.*?)\s*\[\s*(?:#\s*(?P<id>\d+)|(?P<new>new))\s*\]$", re.I)
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
_SCALARS = (
    "title",
    "date",
    "type",
    "summary",
    "text",
    "transcript",
    "classification",
    "rights",
    "status",
)
_M2M = ("languages", "subjects", "places", "collections")
_FIELD_OF = {
    "title": "title",
    "summary": "summary",
    "text": "text",
    "transcript": "transcript",
    "type": "document_type_id",
    "classification": "classification_id",
    "rights": "rights_id",
    "status": "status",
}
_INSERT_FIELDS = [
    "record_id",
    "title",
    "slug",
    "date_text",
    "date_edtf",
    "document_type_id",
    "summary",
    "text",
    "transcript",
    "classification_id",
    "rights_id",
    "status",
    "date_start",
    "date_end",
    "first_published_at",
]
_CITATION_COLUMNS = [
    "document_id",
    "repository_id",
    "reference",
    "fond",
    "opis",
    "delo",
    "folios",
    "order",
]
_CONTRIBUTION_COLUMNS = [
    "document_id",
    "person_id",
    "role",
    "name_as_written",
    "order",
    "on_behalf_of_id",
]
_parse_reference = lru_cache(maxsize=5_000)(parse_reference)


@lru_cache(maxsize=10_000)
def _parse_date(text, order):
    return parse_date(text, order=order)


_DOC_FIELDS = [
    "title",
    "date_text",
    "date_edtf",
    "document_type_id",
    "summary",
    "text",
    "transcript",
    "classification_id",
    "rights_id",
    "status",
]


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str

    def __str__(self):
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"

    def as_dict(self):
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class RowResult:
    """What the import does with one row; kept for the preview (up to `preview_limit` rows)."""

    row: int
    action: str  # "new", "updated", "unchanged" or "error"
    record_id: int | None
    title: str
    diff: list = field(default_factory=list)  # (column, before, after)
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)


@dataclass
class ImportResult:
    file_name: str
    file_format: str = ""
    encoding: str = ""
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list = field(default_factory=list)  # the first MAX_ERRORS_KEPT
    more_errors: int = 0
    file_errors: list = field(default_factory=list)
    new_people: list = field(default_factory=list)  # names
    notes: list = field(default_factory=list)  # (row, sentence): the first 1,000
    more_notes: int = 0
    new_terms: list = field(default_factory=list)  # (vocabulary, name)
    preview: list = field(default_factory=list)
    more_rows: int = 0
    written: bool = False
    job: ImportJob | None = None
    error_file: str = ""
    seconds: float = 0.0

    @property
    def ok(self):
        return not self.file_errors and not self.failed

    def summary(self):
        what = "Would create" if self.dry_run or not self.written else "Created"
        parts = [
            f"{what} {self.created}, "
            f"{'would update' if what == 'Would create' else 'updated'} {self.updated}, "
            f"unchanged {self.unchanged}, errors {self.failed} (of {self.rows} rows)."
        ]
        if self.file_errors:
            parts.append(" ".join(self.file_errors))
        elif self.failed and not self.written and not self.dry_run:
            parts.append("Nothing was written because some rows have errors.")
        return " ".join(parts)


class _FileProblem(Exception):
    pass


# Vocabularies ---------------------------------------------------------------------------------


class _Vocabulary:
    """One controlled vocabulary, preloaded: folded name -> id, plus entries to create."""

    def __init__(self, label, model, keys, *, display, create=None):
        self.label, self.model, self.display, self.create = label, model, display, create
        self.by_key, self.names = {}, {}
        for row in model.objects.values("pk", *keys):
            self.names[row["pk"]] = row[display]
            for key in keys:
                if row[key]:
                    folded = row[key].strip().casefold()
                    existing = self.by_key.get(folded)
                    # The same text naming two entries is ambiguous; None marks that.
                    if folded in self.by_key and existing != row["pk"]:
                        self.by_key[folded] = None  # the same text names two entries
                    else:
                        self.by_key[folded] = row["pk"]
        self.pending = {}  # folded -> (negative id, name)

    def resolve(self, value, *, create_missing, new_ids):
        """Return (id, error message or None)."""
        folded = value.casefold()
        if folded in self.by_key:
            found = self.by_key[folded]
            if found is None:
                return None, (
                    f"'{value}' names more than one {self.label}; rename one of them in the admin "
                    "so the name is unique."
                )
            return found, None
        if folded in self.pending:
            return self.pending[folded][0], None
        if not create_missing or self.create is None:
            return None, (
                f"'{value}' is not a {self.label} in the archive. Check the spelling, add it in "
                "the admin, or choose 'create missing values'."
            )
        limit_ = self.model._meta.get_field(self.display).max_length
        if limit_ and len(value) > limit_:
            return (
                None,
                f"'{value[:40]}…' is longer than the {limit_} characters a {self.label} may have.",
            )
        pending_id = next(new_ids)
        self.pending[folded] = (pending_id, value)
        self.names[pending_id] = value
        return pending_id, None

    def materialize(self, ids, created):
        """Create the pending entries among `ids`; return {pending id: real id}."""
        mapping = {}
        for folded, (pending_id, name) in list(self.pending.items()):
            if pending_id in ids:
                obj = self.create(name)
                mapping[pending_id] = obj.pk
                self.by_key[folded] = obj.pk
                self.names[obj.pk] = name
                del self.pending[folded]
                created.append((self.model._meta.label, obj.pk, name))
        return mapping


def _create_term(model):
    def create(name):
        obj = model(name=name)
        obj.save()
        return obj

    return create


def _create_language(name):
    base = (slugify(name) or "lang")[:12]
    code, n = base, 1
    while Language.objects.filter(code=code).exists():
        n += 1
        code = f"{base[: 12 - len(str(n)) - 1]}-{n}"
    return Language.objects.create(name=name, code=code)


def _create_collection(name):
    collection = Collection(title=name)
    collection.save()
    return collection


def _vocabularies():
    return {
        "type": _Vocabulary(
            "document type",
            DocumentType,
            ["name"],
            display="name",
            create=_create_term(DocumentType),
        ),
        "classification": _Vocabulary(
            "classification",
            Classification,
            ["name"],
            display="name",
            create=_create_term(Classification),
        ),
        "languages": _Vocabulary(
            "language", Language, ["name", "code"], display="name", create=_create_language
        ),
        "subjects": _Vocabulary(
            "subject", Subject, ["name"], display="name", create=_create_term(Subject)
        ),
        "places": _Vocabulary("place", Place, ["name"], display="name", create=_create_term(Place)),
        "collections": _Vocabulary(
            "collection", Collection, ["slug", "title"], display="title", create=_create_collection
        ),
        "funders": _Vocabulary(
            "funder",
            Organization,
            ["name", "abbreviation"],
            display="name",
            create=lambda name: Organization.objects.create(name=name),
        ),
        "repository": _Vocabulary(
            "repository",
            Repository,
            ["abbreviation", "name"],
            display="abbreviation",
            create=lambda name: Repository.objects.create(abbreviation=name, name=name),
        ),
        # A rights statement needs its notice text, so it is never created from a spreadsheet.
        "rights": _Vocabulary(
            "rights statement", RightsStatement, ["title", "uri"], display="title"
        ),
    }


# People ---------------------------------------------------------------------------------------


class _People:
    """Finds people by name or variant, batch by batch, and plans the new ones."""

    def __init__(self, new_ids):
        self.new_ids = new_ids
        self.exact = {}  # name key -> set of person ids
        self.sound = {}  # sound key -> set of person ids
        self.names = {}  # person id -> display name
        self.pending = {}  # name key -> (negative id, name)
        self.pending_sound = {}  # sound key -> negative id
        self.resolved = {}  # written -> result of resolve()
        self.loaded = set()
        self.spellings = set()  # (person id, name or variant exactly as stored)

    def load(self, names):
        names = [n for n in names if n not in self.loaded]
        self.loaded.update(names)
        keys = {name_key(n) for n in names} - self.exact.keys()
        keys.discard("")
        if keys:
            for key in keys:
                self.exact[key] = set()
            for pid, key, name in Person.objects.filter(name_key__in=keys).values_list(
                "pk", "name_key", "name"
            ):
                self.exact[key].add(pid)
                self.names[pid] = name
                self.spellings.add((pid, name))
            for pid, key, name, variant in PersonName.objects.filter(name_key__in=keys).values_list(
                "person_id", "name_key", "person__name", "name"
            ):
                self.exact[key].add(pid)
                self.names[pid] = name
                self.spellings.add((pid, variant))
        sounds = {sound_key(n) for n in names} - self.sound.keys()
        sounds.discard("")
        if sounds:
            for key in sounds:
                self.sound[key] = set()
            for pid, key, name in Person.objects.filter(sound_key__in=sounds).values_list(
                "pk", "sound_key", "name"
            ):
                self.sound[key].add(pid)
                self.names[pid] = name
            for pid, key, name in PersonName.objects.filter(sound_key__in=sounds).values_list(
                "person_id", "sound_key", "person__name"
            ):
                self.sound[key].add(pid)
                self.names[pid] = name

    def load_ids(self, ids):
        missing = [i for i in ids if i not in self.names]
        if missing:
            self.names.update(Person.objects.filter(pk__in=missing).values_list("pk", "name"))

    def resolve(self, written):
        """Return (person id, name as written, error message or None)."""
        found = self.resolved.get(written)
        if found is None:
            found = self.resolved[written] = self._resolve(written)
        return found

    def _resolve(self, written):
        mark = _PERSON_MARK.match(written)
        name = mark["name"].strip() if mark else written
        if not name_key(name):
            return None, name, f"'{written}' is not a name."
        if mark and mark["id"]:
            pid = int(mark["id"])
            self.load_ids([pid])
            if pid not in self.names:
                return None, name, f"There is no person number {pid} in the archive ('{written}')."
            return pid, name, None
        key = name_key(name)
        found = self.exact.get(key, set())
        if len(found) == 1:
            return next(iter(found)), name, None
        if len(found) > 1:
            options = "; ".join(f"'{name} [#{pid}]' for {self.names[pid]}" for pid in sorted(found))
            return (
                None,
                name,
                (
                    f"'{name}' is the name of more than one person. "
                    f"Say which one by writing {options}."
                ),
            )
        if key in self.pending:
            return self.pending[key][0], name, None
        if not (mark and mark["new"]):
            likely = set(self.sound.get(sound_key(name), set()))
            pending_like = self.pending_sound.get(sound_key(name))
            if likely or pending_like:
                who = [f"{self.names[pid]} (#{pid})" for pid in sorted(likely)]
                if pending_like:
                    who.append(f"'{self.names[pending_like]}', new in this file")
                first = f"'{name} [#{min(likely)}]'" if likely else None
                link = (
                    f"write {first} to link that person (this spelling is kept on the document), "
                    if first
                    else ""
                )
                return (
                    None,
                    name,
                    (
                        f"'{name}' is likely the same person as {' or '.join(who)}, "
                        f"but is not one of their names. Decide: {link}write '{name} [new]' "
                        f"to create a separate person, or add '{name}' as a variant name of that "
                        "person in the admin."
                    ),
                )
        pending_id = next(self.new_ids)
        self.pending[key] = (pending_id, name)
        self.pending_sound.setdefault(sound_key(name), pending_id)
        self.names[pending_id] = name
        return pending_id, name, None

    def materialize(self, ids, created_people):
        todo = [(key, pid, name) for key, (pid, name) in self.pending.items() if pid in ids]
        if not todo:
            return {}
        people = []
        for _key, _pid, name in todo:
            person = Person(
                name=name, sort_name=name, name_key=name_key(name), sound_key=sound_key(name)
            )
            people.append(person)
        _assign_slugs(Person, people, [name for _k, _p, name in todo], 200)
        Person.objects.bulk_create(people)
        self.resolved = {w: r for w, r in self.resolved.items() if r[0] is None or r[0] > 0}
        mapping = {}
        for (key, pid, name), person in zip(todo, people, strict=True):
            mapping[pid] = person.pk
            del self.pending[key]
            self.exact[key] = {person.pk}
            self.sound.setdefault(sound_key(name), set()).add(person.pk)
            if self.pending_sound.get(sound_key(name)) == pid:
                del self.pending_sound[sound_key(name)]
            self.names[person.pk] = name
            created_people.append((person.pk, name))
        return mapping


def _assign_slugs(model, objects, texts, max_length, used=None):
    """Give each object a unique slug in two queries (more only where a slug is taken)."""
    used = used if used is not None else set()
    bases = [(slugify(text) or model._meta.model_name)[:max_length].strip("-") for text in texts]
    taken = set(model.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    for obj, base in zip(objects, bases, strict=True):
        slug, n = base, 1
        while slug in taken or slug in used:
            n += 1
            suffix = f"-{n}"
            slug = f"{base[: max_length - len(suffix)]}{suffix}"
            if slug not in used and slug not in taken and model.objects.filter(slug=slug).exists():
                taken.add(slug)  # taken by a record from before: try the next number
        used.add(slug)
        obj.slug = slug


# Document state ---------------------------------------------------------------------------------


def _select(model, columns, document_ids, *, by="document_id"):
    """Rows of a link table for these documents, in (order, pk) order where the table has one.

    Plain SQL: the ORM prepares each of the thousand ids of a batch again for every table,
    which costs more than the queries themselves on the unchanged-file path.
    """
    quote = connection.ops.quote_name
    names = [model._meta.get_field(c).column for c in columns]
    has_order = any(f.name == "order" for f in model._meta.fields)
    sql = "SELECT {} FROM {} WHERE {} IN ({}) ORDER BY {}".format(
        ", ".join(quote(n) for n in names),
        quote(model._meta.db_table),
        quote(by),
        ", ".join(["%s"] * len(document_ids)),
        f"{quote('order')}, {quote(model._meta.pk.column)}"
        if has_order
        else quote(model._meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(document_ids))
        return cursor.fetchall()


def _with_ids(queryset, column, ids):
    """`queryset.filter(<column>__in=ids)` for whole numbers, without the ORM's per-value work.

    Preparing a thousand ids for an IN lookup costs the ORM more than SQLite takes to run the
    query, and an import does it for every table of every batch. The ids are formatted as
    integers, so nothing from a file reaches the SQL text.
    """
    ids = {int(i) for i in ids}
    if not ids:
        return queryset.none()
    model = queryset.model
    name = model._meta.pk.column if column == "pk" else model._meta.get_field(column).column
    quote = connection.ops.quote_name
    where = f"{quote(model._meta.db_table)}.{quote(name)} IN ({', '.join(map(str, sorted(ids)))})"
    return queryset.extra(where=[where])


def _load_states(document_ids):
    """Everything the columns describe for these documents, keyed by document id ("raw" state)."""
    raw = {}
    if not document_ids:
        return raw
    names = ["id", "record_id", *_DOC_FIELDS]
    # Plain SQL: these columns need no conversion, and the ORM's values() costs three times more.
    for pk, record_id, *values in _select(Document, names, document_ids, by="id"):
        row = dict(zip(_DOC_FIELDS, values, strict=True))
        raw[pk] = {
            "record_id": record_id,
            "fields": row,
            "languages": [],
            "subjects": [],
            "places": [],
            "collections": [],
            "fundings": [],
            "contributions": [],
            "citations": [],
        }
    for name, through, column in (
        ("languages", Document.languages.through, "language_id"),
        ("subjects", Document.subjects.through, "subject_id"),
        ("places", Document.places.through, "place_id"),
        ("collections", Collection.documents.through, "collection_id"),
    ):
        for doc_id, value in _select(through, ["document_id", column], document_ids):
            raw[doc_id][name].append(value)
    for doc_id, org, credited, order in _select(
        Funding, ["document_id", "organization_id", "credited", "order"], document_ids
    ):
        raw[doc_id]["fundings"].append([org, bool(credited), order])
    roles = set(PEOPLE_COLUMNS.values())
    for doc_id, role, person, written, order, behalf in _select(
        Contribution,
        ["document_id", "role", "person_id", "name_as_written", "order", "on_behalf_of_id"],
        document_ids,
    ):
        if role in roles:
            raw[doc_id]["contributions"].append([role, person, written, order, behalf])
    for doc_id, repo, reference, order in _select(
        Citation, ["document_id", "repository_id", "reference", "order"], document_ids
    ):
        raw[doc_id]["citations"].append([repo, reference, order])
    for state in raw.values():
        for name in _M2M:
            state[name].sort()
    return raw


def _compare_state(raw):
    """The state the columns see: {column key: comparable value}."""
    f = raw["fields"]
    state = {
        "title": f["title"],
        "date": (f["date_text"] or f["date_edtf"], f["date_edtf"]),
        "type": f["document_type_id"],
        "summary": f["summary"],
        "text": f["text"],
        "transcript": f["transcript"],
        "classification": f["classification_id"],
        "rights": f["rights_id"],
        "status": f["status"],
        "funders": tuple(org for org, _c, _o in raw["fundings"]),
        "citations": tuple((repo, ref) for repo, ref, _o in raw["citations"]),
    }
    for name in _M2M:
        state[name] = tuple(sorted(raw[name]))
    people = {column: [] for column in PEOPLE_COLUMNS}
    for role, person, written, _o, _b in raw["contributions"]:
        people[_COLUMN_OF_ROLE[role]].append((person, written))
    for column, found in people.items():
        state[column] = tuple(found)
    return state


_COLUMN_OF_ROLE = {role: column for column, role in PEOPLE_COLUMNS.items()}


def _state_of(existing, pk):
    raw = existing[pk]
    if "state" not in raw:
        raw["state"] = _compare_state(raw)
    return raw["state"]


def state_hash(raw):
    """A fingerprint of everything the columns describe, to tell later edits apart."""
    state = _compare_state(raw)
    # repr of ints, strings, None and tuples is exact and stable, and much faster than JSON.
    text = repr([state[key] for key in sorted(state)])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def document_state_hashes(document_ids):
    return {pk: state_hash(raw) for pk, raw in _load_states(document_ids).items()}


# The import -----------------------------------------------------------------------------------


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


class _Importer:
    def __init__(
        self,
        *,
        user,
        dry_run,
        create_missing,
        skip_errors,
        date_order,
        allow_duplicates,
        preview_limit,
        progress,
    ):
        self.user = user
        self.dry_run = dry_run
        self.create_missing = create_missing
        self.skip_errors = skip_errors
        self.date_order = date_order
        self.allow_duplicates = allow_duplicates
        self.preview_limit = preview_limit
        self.progress = progress
        self.new_ids = count(-1, -1)
        self.vocab = _vocabularies()
        self.people = _People(self.new_ids)
        self.record_ids_seen = {}
        self.new_keys_seen = {}
        self.created_people = []
        self.created_terms = []
        self.writing = not dry_run
        self.can_publish = user is None or user.has_perm("documents.publish_document")
        self.job = None
        self.job_fields = None
        self.revision = None
        self.history_docs = []
        self.max_record_id = 0

    # Reading ------------------------------------------------------------------------------

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
        for column in (*_M2M, "funders"):
            if column in cells:
                ids = []
                for value in _split(cells[column]):
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
        sources = _split(cells["source"])
        repositories = _split(cells.get("repository", ""))
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
                    for written in _split(row.cells[column]):
                        mark = _PERSON_MARK.match(written)
                        names.add(mark["name"].strip() if mark else written)
        self.people.load(names)
        cap = Contribution._meta.get_field("name_as_written").max_length
        for row in rows:
            for column in PEOPLE_COLUMNS:
                if column not in row.cells:
                    continue
                people, seen = [], {}
                for written in _split(row.cells[column]):
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
                        and not (_PERSON_MARK.match(written))
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
            old = _state_of(existing, doc_id)
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

    def materialize(self, rows):
        """Create the people and vocabulary entries the good rows of this batch need."""
        # Entries still to be created have negative ids; only these columns can hold one.
        pairs = ("citations", *PEOPLE_COLUMNS)
        needed = set()
        for row in rows:
            values = row.values
            for key in ("type", "classification", "rights"):
                value = values.get(key)
                if value is not None and value < 0:
                    needed.add(value)
            for key in (*_M2M, "funders"):
                needed.update(pk for pk in values.get(key, ()) if pk < 0)
            for key in pairs:
                needed.update(pair[0] for pair in values.get(key, ()) if pair[0] < 0)
        if not needed:
            return
        mapping = self.people.materialize(needed, self.created_people)
        for vocabulary in self.vocab.values():
            mapping.update(vocabulary.materialize(needed, self.created_terms))
        real = mapping.get
        for row in rows:
            values = row.values
            for key in ("type", "classification", "rights"):
                value = values.get(key)
                if value is not None and value < 0:
                    values[key] = mapping[value]
            for key in (*_M2M, "funders"):
                ids = values.get(key)
                if ids and min(ids) < 0:
                    ids = tuple(real(pk, pk) for pk in ids)
                    values[key] = tuple(sorted(ids)) if key in _M2M else ids
            for key in pairs:
                items = values.get(key)
                if items and any(pair[0] < 0 for pair in items):
                    values[key] = tuple((real(first, first), rest) for first, rest in items)

    def start_job(self):
        """Record the import and open its revision in the curators' history."""
        import reversion

        self.job = ImportJob.objects.create(**self.job_fields)
        if reversion.is_registered(Document):
            from reversion.models import Revision

            self.revision = Revision.objects.create(
                date_created=self.job.started_at,
                user=self.job.user,
                comment=f"Imported from {self.job.file_name} (import #{self.job.pk})",
            )

    def write(self, rows, existing):
        new_rows = [r for r in rows if r.action == "new"]
        updated_rows = [r for r in rows if r.action == "updated"]
        if not new_rows and not updated_rows:
            return
        if self.job is None:
            self.start_job()
        self.materialize(new_rows + updated_rows)
        now = timezone.now()
        # New records: numbers, slugs, then one INSERT for the batch.
        wanted = [r for r in new_rows if r.record_id is None]
        if wanted:
            first = _reserve_record_ids(len(wanted))
            for offset, row in enumerate(wanted):
                row.record_id = first + offset
        documents = []
        for row in new_rows:
            values = row.values
            date = row.extra.get("date")
            status = values.get("status") or Status.DRAFT
            documents.append(
                Document(
                    record_id=row.record_id,
                    title=values["title"],
                    date_text=values.get("date", ("", ""))[0],
                    date_edtf=date.edtf if date else "",
                    date_start=date.start if date else None,
                    date_end=date.end if date else None,
                    document_type_id=values.get("type"),
                    summary=values.get("summary", ""),
                    text=values.get("text", ""),
                    transcript=values.get("transcript", ""),
                    classification_id=values.get("classification"),
                    rights_id=values.get("rights"),
                    status=status,
                    first_published_at=now if status == Status.PUBLISHED else None,
                )
            )
        if documents:
            # Earlier batches are in the database already, where _assign_slugs looks.
            _assign_slugs(Document, documents, [d.title for d in documents], 200)
            ops = connection.ops
            stamp = ops.adapt_datetimefield_value(now)
            _insert(
                Document,
                [*_INSERT_FIELDS, "created_at", "updated_at"],
                (
                    (
                        *(getattr(d, name) for name in _INSERT_FIELDS[:-3]),
                        ops.adapt_datefield_value(d.date_start),
                        ops.adapt_datefield_value(d.date_end),
                        ops.adapt_datetimefield_value(d.first_published_at),
                        stamp,
                        stamp,
                    )
                    for d in documents
                ),
            )
            ids = dict(
                _with_ids(
                    Document.objects.all(), "record_id", [r.record_id for r in new_rows]
                ).values_list("record_id", "pk")
            )
            for row in new_rows:
                row.doc_id = ids[row.record_id]
                self.max_record_id = max(self.max_record_id, row.record_id)
        # Updated records: scalar columns in one UPDATE per batch.
        before = {r.doc_id: existing[r.doc_id] for r in updated_rows}
        changed_fields = set()
        updates = []
        # Not columns: read for the updated records only, so they are written back unchanged.
        derived = {
            pk: rest
            for pk, *rest in _with_ids(
                Document.objects.all(), "pk", [r.doc_id for r in updated_rows]
            ).values_list("pk", "date_start", "date_end", "first_published_at")
        }
        for row in updated_rows:
            document = Document(pk=row.doc_id, updated_at=now)
            old = existing[row.doc_id]["fields"]
            for attname, value in old.items():
                setattr(document, attname, value)
            start, end, first_published = derived[row.doc_id]
            document.date_start, document.date_end = start, end
            document.first_published_at = first_published
            for key in row.changed:
                if key == "date":
                    date = row.extra["date"]
                    document.date_text, document.date_edtf = row.values["date"][0], date.edtf
                    document.date_start, document.date_end = date.start, date.end
                    changed_fields.update(["date_text", "date_edtf", "date_start", "date_end"])
                elif key in _FIELD_OF:
                    setattr(document, _FIELD_OF[key], row.values[key])
                    changed_fields.add(_FIELD_OF[key])
                    if key == "status" and row.values[key] == Status.PUBLISHED:
                        document.first_published_at = document.first_published_at or now
                        changed_fields.add("first_published_at")
            updates.append(document)
        if updates:
            fields = sorted(changed_fields | {"updated_at"})
            Document.objects.bulk_update(updates, fields, batch_size=500)
        self.write_relations(new_rows, updated_rows, existing)
        self.record_changes(new_rows, updated_rows, before, existing)

    def write_relations(self, new_rows, updated_rows, existing):
        def touched(key):
            return [r for r in new_rows if key in r.values] + [
                r for r in updated_rows if key in r.changed
            ]

        for key, through, column in (
            ("languages", Document.languages.through, "language_id"),
            ("subjects", Document.subjects.through, "subject_id"),
            ("places", Document.places.through, "place_id"),
            ("collections", Collection.documents.through, "collection_id"),
        ):
            rows = touched(key)
            if not rows:
                continue
            through.objects.filter(
                document_id__in=[r.doc_id for r in rows if r.action == "updated"]
            ).delete()
            _insert(
                through,
                ["document_id", column],
                ((r.doc_id, pk) for r in rows for pk in r.values[key]),
            )
        rows = touched("funders")
        if rows:
            credited = {}
            for r in rows:
                if r.action == "updated":
                    credited[r.doc_id] = {org: c for org, c, _o in existing[r.doc_id]["fundings"]}
            Funding.objects.filter(document_id__in=list(credited)).delete()
            _insert(
                Funding,
                ["document_id", "organization_id", "order", "credited"],
                (
                    (r.doc_id, org, order, credited.get(r.doc_id, {}).get(org, True))
                    for r in rows
                    for order, org in enumerate(r.values["funders"])
                ),
            )
        rows = touched("citations")
        if rows:
            Citation.objects.filter(
                document_id__in=[r.doc_id for r in rows if r.action == "updated"]
            ).delete()
            citations = []
            for r in rows:
                for order, (repo, reference) in enumerate(r.values["citations"]):
                    parts = _parse_reference(reference)
                    citations.append(
                        (
                            r.doc_id,
                            repo,
                            reference,
                            parts.fond,
                            parts.opis,
                            parts.delo,
                            parts.folios,
                            order,
                        )
                    )
            _insert(Citation, _CITATION_COLUMNS, citations)
        contributions, deletes = [], {}
        for column, role in PEOPLE_COLUMNS.items():
            for r in touched(column):
                behalf = {}
                if r.action == "updated":
                    deletes.setdefault(role, []).append(r.doc_id)
                    behalf = {
                        p: b
                        for ro, p, _w, _o, b in existing[r.doc_id]["contributions"]
                        if ro == role
                    }
                for order, (pid, written) in enumerate(r.values[column]):
                    contributions.append((r.doc_id, pid, role, written, order, behalf.get(pid)))
        for role, doc_ids in deletes.items():
            Contribution.objects.filter(document_id__in=doc_ids, role=role).delete()
        _insert(Contribution, _CONTRIBUTION_COLUMNS, contributions)

    def after_raw(self, row, old):
        """The state a written row leaves its record in, built from what was written."""
        if old is None:
            old = {
                "fields": {
                    "title": "",
                    "date_text": "",
                    "date_edtf": "",
                    "document_type_id": None,
                    "summary": "",
                    "text": "",
                    "transcript": "",
                    "classification_id": None,
                    "rights_id": None,
                    "status": Status.DRAFT.value,
                },
                "languages": [],
                "subjects": [],
                "places": [],
                "collections": [],
                "fundings": [],
                "contributions": [],
                "citations": [],
            }
        raw = {key: value for key, value in old.items()}
        raw["fields"] = dict(old["fields"])
        for key, value in row.values.items():
            if key == "date":
                raw["fields"]["date_text"], raw["fields"]["date_edtf"] = value
            elif key in _FIELD_OF:
                raw["fields"][_FIELD_OF[key]] = value
            elif key in _M2M:
                raw[key] = list(value)
            elif key == "funders":
                raw["fundings"] = [[org, True, i] for i, org in enumerate(value)]
            elif key == "citations":
                raw["citations"] = [[repo, ref, i] for i, (repo, ref) in enumerate(value)]
        people = [
            c
            for c in old["contributions"]
            if not any(c[0] == PEOPLE_COLUMNS[col] for col in row.values if col in PEOPLE_COLUMNS)
        ]
        for column, role in PEOPLE_COLUMNS.items():
            if column in row.values:
                people += [
                    [role, pid, written, i, None]
                    for i, (pid, written) in enumerate(row.values[column])
                ]
        raw["contributions"] = people
        return raw

    def record_changes(self, new_rows, updated_rows, before, existing):
        changes = []
        job = self.job.pk
        columns_created = None
        for row in new_rows:
            if columns_created is None:
                columns_created = json.dumps(sorted(row.values))
            changes.append(
                (
                    job,
                    row.doc_id,
                    row.record_id,
                    row.number,
                    ImportChange.Action.CREATED,
                    columns_created,
                    None,
                    state_hash(self.after_raw(row, None)),
                )
            )
        for row in updated_rows:
            old = before[row.doc_id]
            snapshot = {k: v for k, v in old.items() if k not in ("record_id", "state")}
            changes.append(
                (
                    job,
                    row.doc_id,
                    row.record_id or old["record_id"],
                    row.number,
                    ImportChange.Action.UPDATED,
                    json.dumps(row.changed),
                    json.dumps(snapshot, ensure_ascii=False),
                    state_hash(self.after_raw(row, old)),
                )
            )
        _insert(
            ImportChange,
            [
                "job_id",
                "document_id",
                "record_id",
                "row",
                "action",
                "columns",
                "before",
                "after_hash",
            ],
            changes,
        )
        written = [r.doc_id for r in new_rows + updated_rows]
        # Bulk writes bypass Document.save(), so the batch is indexed for search here.
        search.index_documents(written)
        invalidate_public_pages()
        self.history_docs.extend(written)
        if len(self.history_docs) >= 2000:
            self.flush_history()

    def flush_history(self):
        if self.history_docs and self.revision is not None:
            _record_versions(self.revision, self.history_docs)
        self.history_docs = []


def _insert(model, columns, rows):
    """INSERT plain values with one executemany: bulk_create builds a model object per row,
    which costs more than the database does for the many small link rows an import writes."""
    rows = list(rows)
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(model._meta.get_field(c).column) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite runs a prepared statement per row about as fast as one long statement.
            cursor.executemany(sql, rows)
            return
        # Client-server databases: one statement per chunk of rows saves a round trip per row.
        size = max(1, min(1000, 60000 // len(columns)))
        placeholder = "({})".format(", ".join(["%s"] * len(columns)))
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            statement = (
                sql.rsplit(" VALUES ", 1)[0] + " VALUES " + ", ".join([placeholder] * len(chunk))
            )
            cursor.execute(statement, [value for row in chunk for value in row])


@lru_cache(maxsize=10_000)
def _split(value):
    return tuple(part.strip() for part in value.split(SEPARATOR) if part.strip())


def _reserve_record_ids(n):
    """Reserve `n` consecutive unused record numbers; return the first."""
    counter, _created = RecordIdCounter.objects.select_for_update().get_or_create(pk=1)
    highest = Document.objects.aggregate(m=Max("record_id"))["m"] or 0
    first = max(counter.last_value, highest) + 1
    counter.last_value = first + n - 1
    counter.save(update_fields=["last_value"])
    return first


def _note_highest_record_id(record_id):
    if record_id:
        RecordIdCounter.objects.get_or_create(pk=1)
        RecordIdCounter.objects.filter(pk=1, last_value__lt=record_id).update(last_value=record_id)


def _record_versions(revision, document_ids):
    """Add the documents (and what their registration follows) to the import's revision, in bulk.

    The versions are what django-reversion itself stores (the JSON serializer's output for each
    record, `str()` of it as the label), built from plain rows: serializing model objects one by
    one cost nine tenths of a large import's time.
    """
    from reversion.models import Version

    plan = _version_plan()
    if plan is None:
        _record_versions_by_serializer(revision, document_ids)
        return
    columns = [
        "revision_id",
        "content_type_id",
        "object_id",
        "db",
        "format",
        "serialized_data",
        "object_repr",
    ]
    ids = list(document_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = []
        for model, link in plan:
            rows.extend(_version_rows(revision.pk, model, link, chunk))
        _insert(Version, columns, rows)


_VERSION_LABELS = {
    # model label -> (values its __str__ uses, __str__ of them); a link is given as the str()
    # of the record it links to, which _LINK_LABELS says how to read, and a value with choices
    # as its label (get_FOO_display()).
    "documents.Document": (("title",), lambda title: title),
    "documents.Contribution": (("person", "role"), lambda person, role: f"{person} ({role})"),
    "documents.Citation": (
        ("repository", "reference"),
        lambda repository, reference: f"{repository}, {reference}" if reference else repository,
    ),
    "documents.Funding": (("organization",), lambda organization: organization),
}
# The field each linked model's __str__ returns. A test compares every label with str(obj).
_LINK_LABELS = {
    "documents.Person": "name",
    "documents.Repository": "abbreviation",
    "documents.Organization": "name",
}


@lru_cache(maxsize=1)
def _version_plan():
    """[(model, its link to the document)] to version, or None where the slow way is needed."""
    import reversion
    from reversion.revisions import _get_options

    if not reversion.is_registered(Document):
        return None
    plan = [(Document, "pk")]
    for name in _get_options(Document).follow:
        relation = Document._meta.get_field(name)
        if not relation.one_to_many or not reversion.is_registered(relation.related_model):
            return None
        plan.append((relation.related_model, relation.field.attname))
    for model, _link in plan:
        options = _get_options(model)
        if options.format != "json" or options.use_natural_foreign_keys:
            return None
        if model is not Document and options.follow:
            return None
    return plan


def _version_rows(revision_id, model, link, document_ids):
    """Version rows of the records of `model` that belong to these documents."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.serializers.json import DjangoJSONEncoder
    from reversion.revisions import _get_options

    options = _get_options(model)
    meta = model._meta
    wanted = set(options.fields)
    fields = [f for f in meta.local_fields if f.serialize and f.name in wanted]
    many = [
        f
        for f in meta.local_many_to_many
        if f.serialize and f.name in wanted and f.remote_field.through._meta.auto_created
    ]
    label = _VERSION_LABELS.get(meta.label)
    shown_by = [meta.get_field(name) for name in label[0]] if label else []
    # No joins: SQLite would rather scan the whole people table than use the document index.
    queryset = _with_ids(model._default_manager.order_by(), link, document_ids)
    records = list(
        queryset.values_list("pk", *(f.attname for f in fields), *(f.attname for f in shown_by))
    )
    if label is None:
        reprs = {obj.pk: str(obj) for obj in queryset}
    named = {}
    for index, f in enumerate(shown_by):
        if f.is_relation:
            column = 1 + len(fields) + index
            target = f.related_model
            named[index] = dict(
                _with_ids(
                    target._default_manager.order_by(), "pk", {r[column] for r in records}
                ).values_list("pk", _LINK_LABELS[target._meta.label])
            )
        elif f.choices:
            # Translated once here, not once per record.
            named[index] = {value: str(text) for value, text in f.flatchoices}
    links = {f.name: _many_to_many_ids(f, [r[0] for r in records]) for f in many}
    content_type = ContentType.objects.get_for_model(model).pk
    name = str(meta)
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    width = len(fields)
    names = [f.name for f in fields]
    for record in records:
        pk = record[0]
        data = dict(zip(names, record[1 : 1 + width], strict=True))
        for f in fields:
            if type(data[f.name]) not in _PLAIN:
                data[f.name] = _serialized_value(f, data[f.name])
        for f in many:
            data[f.name] = links[f.name].get(pk, [])
        text = "[" + encoder.encode({"model": name, "pk": pk, "fields": data}) + "]"
        if label:
            shown = label[1](
                *(
                    named[i].get(v, v) if i in named else v
                    for i, v in enumerate(record[1 + width :])
                )
            )
        else:
            shown = reprs[pk]
        yield (revision_id, content_type, str(pk), "default", "json", text, str(shown)[:1000])


_PLAIN = {type(None), int, float, bool, str, date_type, datetime_type, Decimal}


def _serialized_value(model_field, value):
    """What Django's serializer writes for a value that is not a plain type (a file, a UUID...)."""
    from types import SimpleNamespace

    holder = SimpleNamespace(**{model_field.attname: value})
    value = model_field.value_from_object(holder)
    return value if type(value) in _PLAIN else model_field.value_to_string(holder)


def _many_to_many_ids(model_field, pks):
    """{pk: [related pks]} in the related model's ordering, as the serializer lists them."""
    through = model_field.remote_field.through
    source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
    found = {}
    rows = _with_ids(through.objects.order_by(), f"{source}_id", pks)
    for pk, related in rows.values_list(f"{source}_id", f"{target}_id"):
        found.setdefault(pk, []).append(related)
    if found:
        # Ranked in one query over just the linked records: cheaper than a join per chunk.
        linked = {related for ids in found.values() for related in ids}
        ordered = _with_ids(model_field.related_model._default_manager.all(), "pk", linked)
        rank = {
            related: index for index, related in enumerate(ordered.values_list("pk", flat=True))
        }
        for ids in found.values():
            ids.sort(key=rank.__getitem__)
    return found


def _record_versions_by_serializer(revision, document_ids):
    """Add the documents and what they follow to the revision with Django's serializer.

    The general way, one model object at a time; `_record_versions` writes the same versions
    from plain rows and falls back to this for a registration it does not know.
    """
    import reversion
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers
    from reversion.models import Version
    from reversion.revisions import _follow_relations, _get_options

    options = _get_options(Document)
    prefetch = list(options.follow)
    # Each version's object_repr is str(obj); fetch what those strings name along with the rows.
    named_by = {"contributions": "contributions__person", "citations": "citations__repository"}
    prefetch += [named_by[name] for name in options.follow if name in named_by]
    m2m = [
        f.name
        for f in Document._meta.many_to_many
        if f.name in options.fields and f.remote_field.through._meta.auto_created
    ]
    versions = []
    for start in range(0, len(document_ids), 500):
        chunk = document_ids[start : start + 500]
        queryset = Document.objects.filter(pk__in=chunk).prefetch_related(*m2m, *prefetch)
        for document in queryset:
            objects, stack = [], [document]
            while stack:
                obj = stack.pop()
                if obj in objects or not reversion.is_registered(type(obj)):
                    continue
                objects.append(obj)
                stack.extend(_follow_relations(obj))
            for obj in objects:
                obj_options = _get_options(type(obj))
                versions.append(
                    Version(
                        revision=revision,
                        content_type=ContentType.objects.get_for_model(type(obj)),
                        object_id=str(getattr(obj, obj_options.object_id_field)),
                        db="default",
                        format=obj_options.format,
                        serialized_data=serializers.serialize(
                            obj_options.format,
                            (obj,),
                            fields=obj_options.fields,
                            use_natural_foreign_keys=obj_options.use_natural_foreign_keys,
                        ),
                        object_repr=str(obj)[:1000],
                    )
                )
        Version.objects.bulk_create(versions)
        versions = []


def import_documents(
    path,
    *,
    user=None,
    file_name="",
    file_format=None,
    encoding=None,
    dry_run=False,
    create_missing=False,
    skip_errors=False,
    allow_duplicates=False,
    date_order="mdy",
    batch_size=1000,
    preview_limit=0,
    progress=None,
    error_file=None,
):
    """Import the spreadsheet at `path`; return an `ImportResult`.

    `user` is who imports (recorded on the job; their publish permission is checked).
    `dry_run` writes nothing. `create_missing` creates unknown types, classifications,
    languages, collections, subjects, places, funders and repositories. `skip_errors` writes the
    good rows even when others fail (otherwise a single bad row means nothing is written).
    `allow_duplicates` creates rows that match an existing record's title and date.
    `date_order` reads 05/08/1946 as May 8 ("mdy") or 5 August ("dmy"). `preview_limit` keeps
    that many row results for a preview. `progress(rows_done)` is called after each batch.
    `error_file` (a binary file object) receives the bad rows as a spreadsheet in the import's
    format, with an `import_errors` column, ready to fix and import again.
    """
    started = time.monotonic()
    if date_order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {DATE_ORDERS}")
    file_name = file_name or str(path).rsplit("/", 1)[-1]
    result = ImportResult(file_name=file_name, dry_run=dry_run)
    options = {
        "dry_run": dry_run,
        "create_missing": create_missing,
        "skip_errors": skip_errors,
        "allow_duplicates": allow_duplicates,
        "date_order": date_order,
    }
    importer = _Importer(
        user=user,
        dry_run=dry_run,
        create_missing=create_missing,
        skip_errors=skip_errors,
        date_order=date_order,
        allow_duplicates=allow_duplicates,
        preview_limit=preview_limit,
        progress=progress,
    )
    # Bad rows go to a temporary CSV as they are found, so memory does not grow with them.
    bad_rows = _BadRows()
    try:
        with _larger_sqlite_cache(), transaction.atomic():
            _run(
                path,
                importer,
                result,
                bad_rows,
                file_format=file_format,
                encoding=encoding,
                batch_size=batch_size,
                options=options,
            )
            if result.file_errors or (result.failed and not skip_errors):
                importer.writing = False
            if not dry_run and importer.writing:
                result.written = True
                if importer.job is None and result.failed:
                    # Nothing changed, but the refused rows are kept on record.
                    importer.job = ImportJob.objects.create(**importer.job_fields)
                if importer.job is not None:
                    _finish_job(importer, result)
            else:
                transaction.set_rollback(True)
    except _FileProblem:
        pass
    if not dry_run and not result.written:
        # Keep a record of the attempt even though it wrote nothing.
        job = ImportJob.objects.create(
            user=_user_or_none(user),
            file_name=file_name[:255],
            file_format=result.file_format,
            encoding=result.encoding,
            options=options,
            outcome=ImportJob.Outcome.FAILED,
            rows=result.rows,
            failed=result.failed,
            finished_at=timezone.now(),
            errors=[
                *({"row": 0, "column": "", "value": "", "message": m} for m in result.file_errors),
                *(e.as_dict() for e in result.errors[:500]),
            ],
        )
        result.job = job
        result.created = result.updated = 0
    if error_file is not None and bad_rows.count:
        bad_rows.write(error_file, result.file_format or "csv")
    bad_rows.close()
    result.seconds = time.monotonic() - started
    return result


@contextmanager
def _larger_sqlite_cache():
    """Give SQLite a 32 MB page cache for the import: index updates then stay in memory."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -32768")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _user_or_none(user):
    return user if user is not None and getattr(user, "pk", None) else None


MAX_ERRORS_KEPT = 10_000


class _BadRows:
    """The rows that failed, with their errors, kept in a temporary CSV file."""

    def __init__(self):
        import csv
        import tempfile

        self.file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
        self.writer = csv.writer(self.file)
        self.count = 0
        self.headers = []

    def header(self, headers):
        self.headers = headers

    def append(self, row):
        # The values as the curator meant them, escaped again so no cell runs as a formula.
        self.writer.writerow([escape_formula(value) for value in row])
        self.count += 1

    def write(self, target, file_format):
        import csv

        self.file.seek(0)
        write_rows(target, self.headers, csv.reader(self.file), file_format=file_format)

    def close(self):
        self.file.close()


def _run(path, importer, result, bad_rows, *, file_format, encoding, batch_size, options):
    try:
        table = Table(path, name=result.file_name, file_format=file_format, encoding=encoding)
    except SpreadsheetError as error:
        result.file_errors.append(str(error))
        raise _FileProblem from error
    with table:
        result.file_format, result.encoding = table.format, table.encoding
        mapping, problems = importer.map_headers(table.headers)
        if problems:
            result.file_errors.extend(problems)
            raise _FileProblem
        # The job and its revision are written with the first change (see _Importer.start_job),
        # so an import that changes nothing writes nothing.
        importer.job_fields = {
            "user": _user_or_none(importer.user),
            "started_at": timezone.now(),
            "file_name": result.file_name[:255],
            "file_format": table.format,
            "encoding": table.encoding,
            "options": options,
            "outcome": ImportJob.Outcome.IMPORTED,
        }
        headers = [table.headers[i] for i in sorted(mapping)]
        bad_rows.header([*headers, ERRORS_COLUMN])
        max_rows = limit("IMPORT_MAX_ROWS", 500_000)
        width = len(table.headers)
        unnamed = [i for i, header in enumerate(table.headers) if not (header or "").strip()]
        indexes, keys = list(mapping), list(mapping.values())
        batch = []
        try:
            for number, cells in table.rows():
                if result.rows >= max_rows:
                    result.file_errors.append(
                        f"The file has more than {max_rows:,} rows, the most this archive imports "
                        "at once. Split it into smaller files; nothing was written."
                    )
                    raise _FileProblem
                result.rows += 1
                if len(cells) >= width:
                    texts = [cells[index].strip() for index in indexes]
                else:
                    texts = [cells[i].strip() if i < len(cells) else "" for i in indexes]
                values = dict(zip(keys, texts, strict=True))
                if any(text[:1] == "'" for text in texts):
                    for key, value in values.items():
                        if value[:1] == "'":
                            values[key] = unescape_formula(value)
                row = _Row(number=number, cells=values)
                stray = ()
                if unnamed or len(cells) > width:
                    stray = [cells[i] for i in unnamed if i < len(cells) and cells[i].strip()]
                    stray += [c for c in cells[width:] if c.strip()]
                if stray:
                    extra = stray[0]
                    row.error(
                        "",
                        extra,
                        "This row has a value in a column without a header; "
                        "name the column or remove the value.",
                    )
                batch.append(row)
                if len(batch) >= batch_size:
                    _process(batch, importer, result, bad_rows, mapping)
                    batch = []
            if batch:
                _process(batch, importer, result, bad_rows, mapping)
        except SpreadsheetError as error:
            result.file_errors.append(str(error))
            raise _FileProblem from error


def _process(batch, importer, result, bad_rows, mapping):
    for row in batch:
        importer.clean(row)
    importer.clean_people(batch)
    record_ids = [r.record_id for r in batch if r.record_id]
    by_record = dict(
        _with_ids(Document.objects.all(), "record_id", record_ids).values_list("record_id", "pk")
    )
    duplicates = importer.find_duplicates(batch)
    possible = {pk for matches in duplicates.values() for pk, _r, _d in matches}
    existing = _load_states(list(by_record.values()) + list(possible))
    for row in batch:
        matches = duplicates.get(row.number)
        if matches and not row.errors:
            identical = []
            for pk, record_id, _d in matches:
                old = _state_of(existing, pk)
                if all(v == old[k] for k, v in row.values.items()):
                    identical.append((pk, record_id))
            if len(identical) == 1:
                # The very record this row describes is already there: nothing to do.
                row.doc_id = identical[0][0]
                row.record_id = identical[0][1]
                row.notes.append(f"Matches record {identical[0][1]} (same title, date and values).")
                by_record[row.record_id] = row.doc_id
                row.action = "unchanged"
                continue
            numbers = ", ".join(str(r) for _pk, r, _d in matches)
            row.error(
                "title",
                row.values["title"],
                (
                    f"Possible duplicate of record {numbers}, which has the same title and "
                    f"date. To update it, put {matches[0][1]} in record_id; to create a "
                    "separate record anyway, choose 'allow duplicates'."
                ),
            )
    importer.classify(batch, existing, by_record)
    for row in batch:
        for note in row.notes:
            if len(result.notes) < 1000:
                result.notes.append((row.number, note))
            else:
                result.more_notes += 1
    for row in batch:
        if row.action == "error":
            result.failed += 1
            room = MAX_ERRORS_KEPT - len(result.errors)
            result.errors.extend(row.errors[: max(room, 0)])
            result.more_errors += max(len(row.errors) - max(room, 0), 0)
            bad_rows.append(
                [row.cells.get(mapping[i], "") for i in sorted(mapping)]
                + ["\n".join(str(e) for e in row.errors)]
            )
        elif row.action == "new":
            result.created += 1
        elif row.action == "updated":
            result.updated += 1
        else:
            result.unchanged += 1
    if result.failed and not importer.skip_errors:
        importer.writing = False
    if importer.writing:
        importer.write(batch, existing)
    if importer.preview_limit:
        _collect_preview(batch, importer, result, existing)
    if importer.progress:
        importer.progress(len(batch))


def _collect_preview(batch, importer, result, existing):
    for row in batch:
        if len(result.preview) >= importer.preview_limit:
            result.more_rows += 1
            continue
        title = row.values.get("title") or row.cells.get("title", "")
        item = RowResult(
            row=row.number,
            action=row.action,
            record_id=row.record_id,
            title=title,
            errors=row.errors,
            notes=row.notes,
        )
        if row.action == "updated":
            old = _state_of(existing, row.doc_id)
            for key in row.changed:
                item.diff.append(
                    (
                        key,
                        _display(importer, key, old[key]),
                        _display(importer, key, row.values[key]),
                    )
                )
            if not item.record_id:
                item.record_id = existing[row.doc_id]["record_id"]
        result.preview.append(item)


def _display(importer, key, value):
    """A value as the curator wrote it, for the preview's diff."""
    if key == "date":
        return value[0]
    if key in ("type", "classification", "rights"):
        return importer.vocab[key].names.get(value, "") if value else ""
    if key in (*_M2M, "funders"):
        names = [importer.vocab[key].names.get(v, str(v)) for v in value]
        return f"{SEPARATOR} ".join(sorted(names) if key in _M2M else names)
    if key == "citations":
        names = importer.vocab["repository"].names
        return f"{SEPARATOR} ".join(
            f"{names.get(r, r)}, {ref}" if ref else str(names.get(r, r)) for r, ref in value
        )
    if key in PEOPLE_COLUMNS:
        importer.people.load_ids([p for p, _w in value if p > 0])
        return f"{SEPARATOR} ".join(w or importer.people.names.get(p, str(p)) for p, w in value)
    return value


def _finish_job(importer, result):
    importer.flush_history()
    _note_highest_record_id(importer.max_record_id)
    job = importer.job
    job.finished_at = timezone.now()
    job.rows, job.created, job.updated = result.rows, result.created, result.updated
    job.unchanged, job.failed = result.unchanged, result.failed
    job.new_people = [list(p) for p in importer.created_people]
    job.new_terms = [list(t) for t in importer.created_terms]
    job.errors = [e.as_dict() for e in result.errors[:500]]
    job.save()
    result.job = job
    result.new_people = [name for _pk, name in importer.created_people]
    result.new_terms = [(label, name) for label, _pk, name in importer.created_terms]


# Undo -----------------------------------------------------------------------------------------


@dataclass
class UndoResult:
    removed: list = field(default_factory=list)  # record ids
    restored: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # (record id, reason)
    people_removed: int = 0
    terms_removed: int = 0

    def summary(self):
        text = (
            f"Removed {len(self.removed)} created records and restored {len(self.restored)} "
            "updated records."
        )
        if self.kept:
            text += (
                " Kept as they are, because they were edited after the import: "
                + ", ".join(f"record {record_id} ({reason})" for record_id, reason in self.kept)
                + "."
            )
        return text


@transaction.atomic
def undo_import(job, *, user=None, dry_run=False):
    """Undo an import: remove the records it created, restore those it updated.

    Records edited since the import (their content no longer matches what the import left) are
    kept as they are and listed in the result. People and vocabulary entries the import created
    are removed when nothing uses them any more.
    """
    if job.undone_at is not None:
        raise ValueError(f"Import #{job.pk} was already undone.")
    if job.outcome == ImportJob.Outcome.FAILED:
        raise ValueError(f"Import #{job.pk} wrote nothing, so there is nothing to undo.")
    result = UndoResult()
    changes = list(job.changes.all())
    later = set(
        ImportChange.objects.filter(
            document_id__in=[c.document_id for c in changes],
            job__pk__gt=job.pk,
            job__undone_at__isnull=True,
        ).values_list("document_id", flat=True)
    )
    to_delete, to_restore = [], []
    for start in range(0, len(changes), 1000):
        chunk = changes[start : start + 1000]
        hashes = document_state_hashes([c.document_id for c in chunk])
        for change in chunk:
            current = hashes.get(change.document_id)
            if current is None:
                if change.action == ImportChange.Action.CREATED:
                    result.removed.append(change.record_id)  # already deleted by a curator
                else:
                    result.kept.append((change.record_id, "deleted since"))
                continue
            if change.document_id in later:
                result.kept.append((change.record_id, "changed by a later import"))
            elif current != change.after_hash:
                result.kept.append((change.record_id, "edited since"))
            elif change.action == ImportChange.Action.CREATED:
                to_delete.append(change)
            else:
                to_restore.append(change)
    result.removed += [c.record_id for c in to_delete]
    result.restored = [c.record_id for c in to_restore]
    if dry_run:
        return result
    Document.objects.filter(pk__in=[c.document_id for c in to_delete]).delete()
    search.remove_documents([c.document_id for c in to_delete])
    for start in range(0, len(to_restore), 500):
        _restore([(c.document_id, c.before) for c in to_restore[start : start + 500]])
    # People and entries the import created go too, unless something uses them now.
    for pk, _name in job.new_people:
        person = Person.objects.filter(pk=pk).first()
        if person and not person.contributions.exists():
            person.delete()
            result.people_removed += 1
    for label, pk, _name in job.new_terms:
        from django.apps import apps
        from django.db.models import ProtectedError

        model = apps.get_model(label)
        obj = model._default_manager.filter(pk=pk).first()
        if obj is None:
            continue
        in_use = any(
            getattr(obj, rel.get_accessor_name()).exists()
            for rel in model._meta.related_objects
            if rel.get_accessor_name() and rel.related_model in (Document, Citation, Funding)
        ) or (isinstance(obj, Collection) and obj.documents.exists())
        if not in_use:
            try:
                obj.delete()
                result.terms_removed += 1
            except ProtectedError:
                pass
    import reversion

    if to_restore and reversion.is_registered(Document):
        from reversion.models import Revision

        revision = Revision.objects.create(
            date_created=timezone.now(),
            user=_user_or_none(user),
            comment=f"Undid import #{job.pk} ({job.file_name})",
        )
        _record_versions(revision, [c.document_id for c in to_restore])
    search.index_documents([c.document_id for c in to_restore])
    invalidate_public_pages()
    job.undone_at = timezone.now()
    job.undone_by = _user_or_none(user)
    job.outcome = ImportJob.Outcome.PARTLY_UNDONE if result.kept else ImportJob.Outcome.UNDONE
    job.undo_report = result.summary()
    job.save()
    return result


def _restore(items):
    """Put documents back as the `before` snapshots describe them."""
    now = timezone.now()
    documents = []
    for doc_id, before in items:
        document = Document(pk=doc_id, updated_at=now, **before["fields"])
        document.normalize_date()
        documents.append(document)
    Document.objects.bulk_update(
        documents, [*_DOC_FIELDS, "date_start", "date_end", "updated_at"], batch_size=500
    )
    doc_ids = [doc_id for doc_id, _b in items]
    for key, through, column in (
        ("languages", Document.languages.through, "language_id"),
        ("subjects", Document.subjects.through, "subject_id"),
        ("places", Document.places.through, "place_id"),
        ("collections", Collection.documents.through, "collection_id"),
    ):
        through.objects.filter(document_id__in=doc_ids).delete()
        through.objects.bulk_create(
            [through(document_id=doc_id, **{column: pk}) for doc_id, b in items for pk in b[key]]
        )
    Funding.objects.filter(document_id__in=doc_ids).delete()
    Funding.objects.bulk_create(
        [
            Funding(document_id=doc_id, organization_id=org, credited=credited, order=order)
            for doc_id, b in items
            for org, credited, order in b["fundings"]
        ]
    )
    Citation.objects.filter(document_id__in=doc_ids).delete()
    citations = []
    for doc_id, b in items:
        for repo, reference, order in b["citations"]:
            parts = parse_reference(reference)
            citations.append(
                Citation(
                    document_id=doc_id,
                    repository_id=repo,
                    reference=reference,
                    fond=parts.fond,
                    opis=parts.opis,
                    delo=parts.delo,
                    folios=parts.folios,
                    order=order,
                )
            )
    Citation.objects.bulk_create(citations)
    Contribution.objects.filter(
        document_id__in=doc_ids, role__in=list(PEOPLE_COLUMNS.values())
    ).delete()
    Contribution.objects.bulk_create(
        [
            Contribution(
                document_id=doc_id,
                role=role,
                person_id=person,
                name_as_written=written,
                order=order,
                on_behalf_of_id=behalf,
            )
            for doc_id, b in items
            for role, person, written, order, behalf in b["contributions"]
        ]
    )
