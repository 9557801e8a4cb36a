"""What the spreadsheet columns describe of a record, read in bulk, compared and fingerprinted."""

import hashlib

from archive_collections.models import Collection
from documents.models import (
    Citation,
    Contribution,
    Document,
    Funding,
)
from documents.models.bulk import select_rows
from documents.spreadsheets.resources import (
    PEOPLE_COLUMNS,
)

DOCUMENT_FIELDS = [
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


M2M_COLUMNS = ("languages", "subjects", "places", "collections")


def load_states(document_ids):
    """Everything the columns describe for these documents, keyed by document id ("raw" state)."""
    raw = {}
    if not document_ids:
        return raw
    names = ["id", "record_id", *DOCUMENT_FIELDS]
    # Plain SQL: these columns need no conversion, and the ORM's values() costs three times more.
    for pk, record_id, *values in select_rows(Document, names, document_ids, by="id"):
        row = dict(zip(DOCUMENT_FIELDS, values, strict=True))
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
        for doc_id, value in select_rows(through, ["document_id", column], document_ids):
            raw[doc_id][name].append(value)
    for doc_id, org, credited, order in select_rows(
        Funding, ["document_id", "organization_id", "credited", "order"], document_ids
    ):
        raw[doc_id]["fundings"].append([org, bool(credited), order])
    roles = set(PEOPLE_COLUMNS.values())
    for doc_id, role, person, written, order, behalf in select_rows(
        Contribution,
        ["document_id", "role", "person_id", "name_as_written", "order", "on_behalf_of_id"],
        document_ids,
    ):
        if role in roles:
            raw[doc_id]["contributions"].append([role, person, written, order, behalf])
    for doc_id, repo, reference, order in select_rows(
        Citation, ["document_id", "repository_id", "reference", "order"], document_ids
    ):
        raw[doc_id]["citations"].append([repo, reference, order])
    for state in raw.values():
        for name in M2M_COLUMNS:
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
    for name in M2M_COLUMNS:
        state[name] = tuple(sorted(raw[name]))
    people = {column: [] for column in PEOPLE_COLUMNS}
    for role, person, written, _o, _b in raw["contributions"]:
        people[_COLUMN_OF_ROLE[role]].append((person, written))
    for column, found in people.items():
        state[column] = tuple(found)
    return state


_COLUMN_OF_ROLE = {role: column for column, role in PEOPLE_COLUMNS.items()}


def state_of(existing, pk):
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
    return {pk: state_hash(raw) for pk, raw in load_states(document_ids).items()}
