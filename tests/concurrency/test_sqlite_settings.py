"""A SQLite database is opened for several writers: WAL, a busy timeout, IMMEDIATE writes."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connections
connection = connections["default"]
with connection.cursor() as cursor:
    pragmas = {
        name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "busy_timeout", "synchronous", "foreign_keys")
    }
print(json.dumps({
    "pragmas": pragmas,
    "transaction_mode": connection.transaction_mode,
    "replica": settings.DATABASES["replica1"]["OPTIONS"],
}))
"""


def opened(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")}
    env.update(
        DJANGO_SETTINGS_MODULE="archive_site.settings",
        SECRET_KEY="k",
        DEBUG="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'archive.sqlite3'}",
        DATABASE_REPLICA_URLS=f"sqlite:///{tmp_path / 'copy.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_sqlite_database_lets_readers_and_writers_wait_for_each_other_instead_of_failing(
    tmp_path,
):
    config = opened(tmp_path)
    # synchronous 1 is NORMAL; busy_timeout is in milliseconds.
    assert config["pragmas"] == {
        "journal_mode": "wal",
        "busy_timeout": 20000,
        "synchronous": 1,
        "foreign_keys": 1,
    }
    assert config["transaction_mode"] == "IMMEDIATE"
    assert config["replica"]["transaction_mode"] == "IMMEDIATE"
