"""Write documents-template.csv and .xlsx, and the README's column table, from the columns.

    DEBUG=1 .venv/bin/python documents/spreadsheets/template/make_template.py

The columns are declared in documents/spreadsheets/columns.py. The files are committed; the
tests (tests/importing/test_columns.py) fail until this is run after a column changes.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")

import django  # noqa: E402

django.setup()

from documents.spreadsheets.guide import write_all  # noqa: E402

if __name__ == "__main__":
    write_all()
