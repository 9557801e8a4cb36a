"""The archive's records: documents and their texts, people, vocabularies, scans, imports,
reviews and the search entry.

Split by subject into modules; everything is re-exported here, so callers (and migrations)
import from `documents.models`. Models import only `documents.parsing` (pure text rules) and
each other: no view, admin, search, index or cache module.
"""

from documents.models.base import (
    NoBidiControls,
    PublishableQuerySet,
    Slugs,
    Status,
    bidi_validator,
    unique_slug,
)
from documents.models.batch_edits import BatchEdit, BatchEditChange
from documents.models.harvest import HarvestRecord
from documents.models.identifiers import RecordIdCounter, RecordIds
from documents.models.imports import ImportChange, ImportJob, RememberedAnswer
from documents.models.people import (
    DistinctPeople,
    Person,
    PersonMerge,
    PersonName,
    PersonRedirect,
)
from documents.models.records import (
    Citation,
    Contribution,
    Document,
    DocumentQuerySet,
    Funding,
    PublicChange,
    join_names,
    record_ids,
)
from documents.models.reviews import Review, ReviewEvent, ReviewQuerySet
from documents.models.scans import (
    Scan,
    ScanImage,
    iiif_file_path,
    scan_derivative_to,
    scan_upload_to,
)
from documents.models.search_entry import SearchEntry, SearchField
from documents.models.texts import DocumentText
from documents.models.vocabularies import (
    Classification,
    DocumentType,
    Language,
    Organization,
    Place,
    Repository,
    RightsStatement,
    Subject,
    Term,
)

__all__ = [
    "BatchEdit",
    "BatchEditChange",
    "NoBidiControls",
    "bidi_validator",
    "Citation",
    "Classification",
    "Contribution",
    "DistinctPeople",
    "Document",
    "DocumentQuerySet",
    "DocumentText",
    "DocumentType",
    "Funding",
    "HarvestRecord",
    "ImportChange",
    "ImportJob",
    "RememberedAnswer",
    "Language",
    "Organization",
    "Person",
    "PersonMerge",
    "PersonName",
    "PersonRedirect",
    "Place",
    "PublicChange",
    "PublishableQuerySet",
    "RecordIdCounter",
    "RecordIds",
    "Repository",
    "Review",
    "ReviewEvent",
    "ReviewQuerySet",
    "RightsStatement",
    "Scan",
    "ScanImage",
    "SearchEntry",
    "SearchField",
    "Slugs",
    "Status",
    "Subject",
    "Term",
    "join_names",
    "record_ids",
    "iiif_file_path",
    "scan_derivative_to",
    "scan_upload_to",
    "unique_slug",
]
