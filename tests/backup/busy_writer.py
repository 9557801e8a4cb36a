"""Save documents with their citations, one transaction each, until STOP_FILE exists.

Run as `python -m tests.backup.busy_writer STOP_FILE` with DATABASE_URL set (a subprocess): it
prints "writing" once the first document is saved and, at the end, how many it saved. A backup
taken meanwhile must hold every document with its citation, or neither.
"""

import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")
django.setup()

from django.db import transaction  # noqa: E402

from documents.models import Citation, Document, Repository  # noqa: E402


def main(stop):
    repository = Repository.objects.create(abbreviation="RGASPI", name="Russian State Archive")
    saved = 0
    while not stop.exists():
        with transaction.atomic():
            document = Document.objects.create(title=f"Telegram {saved}", date_text="May 8, 1946")
            Citation.objects.create(
                document=document, repository=repository, reference=f"d. {saved}"
            )
        saved += 1
        if saved == 1:
            print("writing", flush=True)
    print(saved, flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
