"""Fresh databases and media folders for backups and restores run as real subprocesses.

A restore replaces a whole database, so the drill never points one at pytest-django's test
database: each target is a new SQLite file, or a new database on the PostgreSQL server that
DATABASE_URL names (created here and dropped afterwards).
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
import pytest
from django.conf import settings

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
VENDOR = "postgresql" if ON_POSTGRES else "sqlite"
OTHER_VENDOR = "sqlite" if ON_POSTGRES else "postgresql"


class Site:
    """One archive installation: its DATABASE_URL and MEDIA_ROOT, run through manage.py."""

    def __init__(self, database_url, media_root):
        self.database_url = database_url
        self.media_root = Path(media_root)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "REDIS_", "CACHE_", "AWS_"))
        }
        self.env.update(
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(media_root),
            DJANGO_SETTINGS_MODULE="archive_site.settings",
            CONN_MAX_AGE="0",
        )

    def run(self, *args, check=True, input=None):
        """Run `python *args` in the project folder for this site; fail the test if it fails."""
        result = subprocess.run(
            [sys.executable, *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if check:
            assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def manage(self, *args, **kwargs):
        return self.run("manage.py", *args, **kwargs)

    def records(self):
        """Every record of every model but the derived ones, as dumpdata writes them."""
        dump = self.manage("dumpdata", "--exclude", "documents.publicchange").stdout
        records = json.loads(dump)
        for record in records:
            if record["model"] == "documents.harvestrecord":
                # A restore moves every OAI-PMH datestamp to its own moment, so that harvesters
                # collect the archive again as restored (documents.models.harvest.resync).
                del record["fields"]["datestamp"]
        return records

    def tables(self):
        probe = (
            "from django.db import connection; print(len(connection.introspection.table_names()))"
        )
        return int(self.manage("shell", "--no-imports", "-c", probe).stdout)

    def public_version(self):
        """The last change logged for every web process's index of published documents: whether
        it tells them to rebuild, and its number."""
        probe = (
            "from documents.models import PublicChange; "
            "c = PublicChange.objects.order_by('pk').last(); "
            "print(c and (c.everything, c.pk))"
        )
        return self.manage("shell", "--no-imports", "-c", probe).stdout.strip()

    def search(self, query):
        probe = f"from documents.search import matching_ids; print(sorted(matching_ids({query!r})))"
        return self.manage("shell", "--no-imports", "-c", probe).stdout.strip()


class Databases:
    """Makes empty databases of the kind the suite runs on, and drops them afterwards."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.created = []

    def fresh(self, name):
        media = self.folder / f"{name}-media"
        if not ON_POSTGRES:
            return Site(f"sqlite:///{self.folder / name}.sqlite3", media)
        database = f"backup_{name}_{uuid.uuid4().hex[:8]}"
        with self._server() as server:
            server.execute(f'CREATE DATABASE "{database}"')
        self.created.append(database)
        parts = urlsplit(os.environ["DATABASE_URL"])
        return Site(urlunsplit(parts._replace(path=f"/{database}")), media)

    def drop_all(self):
        with self._server() as server:
            for database in self.created:
                server.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def _server(self):
        config = dj_database_url.parse(os.environ["DATABASE_URL"])
        return psycopg.connect(
            dbname="postgres",
            host=config["HOST"],
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            autocommit=True,
        )


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    made = Databases(tmp_path_factory.mktemp("sites"))
    yield made
    if ON_POSTGRES:
        made.drop_all()


@pytest.fixture(scope="session")
def archive(databases, tmp_path_factory):
    """A site built as curators build one (tests/backup/build_archive.py), and its backup."""
    site = databases.fresh("original")
    site.run("-m", "tests.backup.build_archive")
    site.backup = tmp_path_factory.mktemp("backups") / "archive.tar"
    site.backup_output = site.manage("backup", str(site.backup)).stdout
    return site


@pytest.fixture
def fresh_site(databases):
    return databases.fresh(f"restored{uuid.uuid4().hex[:6]}")
