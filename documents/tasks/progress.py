"""How far a background import (or batch edit) has got: rows done of the total, and the time left.

The import writes every row in one database transaction, so nothing is half-written if it
fails; on SQLite that transaction holds the database's only write lock until it commits, so the
progress cannot be written to the database meanwhile. It is kept instead as a small JSON file
beside the queued spreadsheet, in the media storage (`imports/progress/<job>.json`), which the
worker and every web process share whether media are on a local disk or on S3. A batch edit,
one transaction too, reports the documents it has read the same way (`kind="batch-edits"`).
"""

import json
import time
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

EVERY_SECONDS = 1.0


def _name(job_id, kind):
    return f"{kind}/progress/{job_id}.json"


@dataclass
class Progress:
    done: int
    total: int
    started: float
    updated: float

    @property
    def percent(self):
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    def seconds_left(self):
        """At the speed so far; None until there is a speed to go by."""
        spent = self.updated - self.started
        if not self.done or spent <= 0 or not self.total:
            return None
        return max(0.0, (self.total - self.done) * spent / self.done)

    def seconds_since_update(self):
        return max(0.0, time.time() - self.updated)


class Reporter:
    """The `progress` callback of an import: adds up the rows and writes them now and then."""

    def __init__(self, job_id, total, *, kind="imports"):
        self.job_id, self.kind = job_id, kind
        self.progress = Progress(done=0, total=total, started=time.time(), updated=time.time())
        self.written_at = 0.0
        self._write()

    def __call__(self, rows):
        self.progress.done += rows
        self.progress.updated = time.time()
        # The first batch is reported at once, then at most once every EVERY_SECONDS.
        first = self.progress.done == rows
        if first or self.progress.updated - self.written_at >= EVERY_SECONDS:
            self._write()

    def _write(self):
        name = _name(self.job_id, self.kind)
        data = json.dumps(self.progress.__dict__).encode()
        # Storages never overwrite (a new name would be made), so the old report goes first.
        default_storage.delete(name)
        default_storage.save(name, ContentFile(data))
        self.written_at = time.time()


def read(job_id, *, kind="imports"):
    """The last progress the worker reported for an import (or a batch edit), or None."""
    try:
        with default_storage.open(_name(job_id, kind), "rb") as handle:
            return Progress(**json.loads(handle.read()))
    except (FileNotFoundError, OSError, ValueError, TypeError):
        return None


def forget(job_id, *, kind="imports"):
    default_storage.delete(_name(job_id, kind))
