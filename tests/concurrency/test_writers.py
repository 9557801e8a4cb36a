"""Writers that wait: several processes saving at the same moment all succeed, nothing is lost.

Each test runs real processes (tests/concurrency/writers.py, `manage.py import_documents`)
against a database of their own, migrated for this module: a file in a temporary folder on
SQLite, or a fresh database on the PostgreSQL server when DATABASE_URL points to one. Before
each save the writers meet, so that they write at the same moment.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
ENVIRONMENT = {
    "SECRET_KEY": "concurrency-tests-only",
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_MANIFEST": "0",
    "LOG_LEVEL": "CRITICAL",
}


def _postgres_server():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(scope="module")
def site_database(tmp_path_factory):
    """The address of a migrated database with a small generated archive in it."""
    server = _postgres_server()
    if server is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('site') / 'archive.sqlite3'}"
        drop = None
    else:
        import psycopg

        parts = urlsplit(server)
        name = f"concurrency_{uuid.uuid4().hex[:12]}"
        maintenance = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(parts._replace(path=f"/{name}"))

        def drop():
            with psycopg.connect(maintenance, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    try:
        manage(url, "migrate", "--noinput")
        manage(url, "generate_archive", "--documents", "60", "--seed", "3")
        yield url
    finally:
        if drop is not None:
            drop()


def environment(url):
    return {**os.environ, **ENVIRONMENT, "DATABASE_URL": url}


def manage(url, *arguments):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments, "--verbosity", "0"],
        cwd=ROOT,
        env=environment(url),
        capture_output=True,
        text=True,
        check=True,
    )


def writer(url, action, *arguments):
    """Start one writer process; its JSON report is read by `report`."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.concurrency.writers", action, *arguments],
        cwd=ROOT,
        env=environment(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def report(process, timeout=300):
    stdout, stderr = process.communicate(timeout=timeout)
    assert process.returncode == 0, stderr[-3000:]
    return json.loads(stdout.strip().splitlines()[-1])


def seed(url, documents):
    return report(writer(url, "seed", "--documents", str(documents)))["records"]


def save_together(url, action, records, writers, barrier):
    """`writers` processes, each saving its share of `records`, all at the same moments."""
    share = len(records) // writers
    processes = [
        writer(
            url,
            action,
            "--records",
            ",".join(map(str, records[number * share : (number + 1) * share])),
            "--worker",
            str(number),
            "--writers",
            str(writers),
            "--barrier",
            str(barrier),
        )
        for number in range(writers)
    ]
    return [report(process) for process in processes]


def assert_every_save_persisted(url, records, writers):
    summaries = report(writer(url, "read"))["summaries"]
    share = len(records) // writers
    expected = {
        str(record): f"Record {record}, saved by writer {index // share}."
        for index, record in enumerate(records)
    }
    assert {record: summaries[record] for record in expected} == expected


def test_six_processes_saving_documents_at_the_same_moment_lose_no_save(site_database, tmp_path):
    records = seed(site_database, 6 * 8)
    reports = save_together(site_database, "save", records, 6, tmp_path)
    assert [failure for r in reports for failure in r["failures"]] == []
    assert sum(r["saved"] for r in reports) == 48
    assert_every_save_persisted(site_database, records, 6)


def test_four_curators_saving_the_admin_form_at_the_same_moment_all_succeed(
    site_database, tmp_path
):
    records = seed(site_database, 4 * 5)
    reports = save_together(site_database, "admin", records, 4, tmp_path)
    assert [failure for r in reports for failure in r["failures"]] == []
    assert sum(r["saved"] for r in reports) == 20
    assert_every_save_persisted(site_database, records, 4)


def test_two_admin_saves_at_the_same_moment_give_no_server_error(site_database, tmp_path):
    records = seed(site_database, 2 * 6)
    reports = save_together(site_database, "admin", records, 2, tmp_path)
    assert [failure for r in reports for failure in r["failures"]] == []
    assert_every_save_persisted(site_database, records, 2)


def test_a_command_line_import_beside_curators_saving_finishes_and_keeps_every_row(
    site_database, tmp_path
):
    records = seed(site_database, 3 * 8)
    spreadsheet = tmp_path / "rows.csv"
    manage(
        site_database,
        "generate_archive",
        "--documents",
        "400",
        "--seed",
        "11",
        "--csv",
        str(spreadsheet),
    )
    before = report(writer(site_database, "read"))["documents"]
    importing = subprocess.Popen(
        [sys.executable, "manage.py", "import_documents", str(spreadsheet), "--create-missing"],
        cwd=ROOT,
        env=environment(site_database),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reports = save_together(site_database, "admin", records, 3, tmp_path)
    stdout, stderr = importing.communicate(timeout=300)
    assert importing.returncode == 0, stderr[-3000:]
    assert [failure for r in reports for failure in r["failures"]] == []
    assert report(writer(site_database, "read"))["documents"] == before + 400
    assert_every_save_persisted(site_database, records, 3)
