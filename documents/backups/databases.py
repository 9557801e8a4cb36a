"""The database half of a backup: a consistent copy, what it holds, and putting it back.

- SQLite: the sqlite3 backup API copies the database page by page under one read transaction,
  so the copy is one moment of the database while writers carry on (in WAL mode they are not
  even blocked). What the manifest says about it is read from the copy itself.
- PostgreSQL: `pg_dump --format=custom` runs inside a REPEATABLE READ snapshot that the backup
  exports and keeps open, and the backup reads the media names, the migration state and the row
  counts in that same snapshot, so the manifest describes exactly the moment of the dump. A
  restore pipes `pg_restore`'s script into `psql --single-transaction` after dropping what the
  target holds, so a restore that fails leaves the target as it was.

The client programs are looked up on PATH, then in /usr/local/bin and /usr/lib/postgresql/*/bin
(newest first). Restoring across databases (a SQLite backup into PostgreSQL) is not supported.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from django import db as django_db
from django.apps import apps
from django.db import connection, models

VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DUMP_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}

# Rows that `migrate` itself writes into a new database: a database holding only these is empty.
FILLED_BY_MIGRATE = {
    "contenttypes.contenttype",
    "auth.permission",
    "auth.group",  # the roles (documents/migrations/0003_curator_roles.py)
    "auth.group_permissions",
    "documents.publicchange",  # the public index's change log (0033_public_change_log.py)
    "documents.searchentry",  # derived: rebuilt after every restore
}


class DatabaseError(Exception):
    """A dump or restore could not be made; the message is a sentence saying why."""


@dataclass
class Snapshot:
    """One moment of the database: the dump file and what the manifest says about it."""

    path: Path
    migrations: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    media_names: set[str] = field(default_factory=set)
    server_version: str = ""


def vendor():
    return connection.vendor


def dump(directory):
    """Copy the database into `directory` and read what the manifest needs from the copy."""
    dumps = {"sqlite": _dump_sqlite, "postgresql": _dump_postgresql}
    if connection.vendor not in dumps:
        raise DatabaseError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    try:
        return dumps[connection.vendor](Path(directory) / DUMP_MEMBERS[connection.vendor])
    except (connection.Database.Error, django_db.Error) as error:
        raise DatabaseError(str(error).strip()) from error


def restore(path):
    """Replace the whole database with the dump at `path` (checked by the caller)."""
    if connection.vendor == "sqlite":
        _restore_sqlite(path)
    else:
        _restore_postgresql(path)
    connection.close()


def row_counts():
    """The number of rows in each model's table of the database in use (missing tables left out)."""
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        return _count(cursor, existing)


def records_held():
    """What the database holds beyond what `migrate` writes: {model label: rows}, or {}."""
    return {
        label: count
        for label, count in row_counts().items()
        if count and label not in FILLED_BY_MIGRATE
    }


def describe(*, capital=False):
    """'the SQLite database /srv/archive/db.sqlite3', for messages and the confirmation."""
    name = connection.settings_dict["NAME"]
    kind = VENDOR_NAMES.get(connection.vendor, connection.vendor)
    return f"{'The' if capital else 'the'} {kind} database {name}"


# What a snapshot holds -------------------------------------------------------------------------


def _models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and not model._meta.swapped
    ]


def _count(cursor, existing):
    quote = connection.ops.quote_name
    counts = {}
    for model in _models():
        table = model._meta.db_table
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[model._meta.label_lower] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def _read_snapshot(cursor, existing, snapshot):
    """Fill `snapshot` from a DB-API cursor that sees the copied moment."""
    quote = connection.ops.quote_name
    if "django_migrations" in existing:
        cursor.execute("SELECT app, name FROM django_migrations")
        snapshot.migrations = sorted(f"{app}.{name}" for app, name in cursor.fetchall())
    snapshot.counts = _count(cursor, existing)
    for model in _models():
        table = model._meta.db_table
        if table not in existing:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                column = quote(model_field.column)
                cursor.execute(
                    f"SELECT {column} FROM {quote(table)} WHERE {column} IS NOT NULL "
                    f"AND {column} <> ''"
                )
                snapshot.media_names.update(name for (name,) in cursor.fetchall())
    return snapshot


# SQLite ----------------------------------------------------------------------------------------


def _dump_sqlite(path):
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        # pages=-1: the whole database in one step, under one read transaction of the source.
        connection.connection.backup(target, pages=-1)
    finally:
        target.close()
    reader = sqlite3.connect(path)
    try:
        # A copy of a WAL database is a WAL database; keep the file self-contained.
        reader.execute("PRAGMA journal_mode=DELETE")
        cursor = reader.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        existing = {name for (name,) in cursor.fetchall()}
        snapshot = _read_snapshot(cursor, existing, Snapshot(path=path))
        snapshot.server_version = sqlite3.sqlite_version
    finally:
        reader.close()
    return snapshot


def _restore_sqlite(path):
    source = sqlite3.connect(path)
    try:
        connection.ensure_connection()
        # Overwrites every page of the target: the restored database is the backup, exactly.
        source.backup(connection.connection, pages=-1)
    except sqlite3.Error as error:
        raise DatabaseError(f"SQLite could not restore the database: {error}.") from error
    finally:
        source.close()


# PostgreSQL ------------------------------------------------------------------------------------


def postgres_program(name):
    """The path of a PostgreSQL client program, or a DatabaseError saying where it was sought."""
    found = shutil.which(name)
    if found:
        return found
    candidates = [f"/usr/local/bin/{name}"] + sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: (
            int(Path(path).parent.parent.name) if Path(path).parent.parent.name.isdigit() else 0
        ),
        reverse=True,
    )
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    raise DatabaseError(
        f"The PostgreSQL program {name} was not found on PATH, in /usr/local/bin or in "
        "/usr/lib/postgresql/*/bin; install PostgreSQL's client programs (Debian: "
        "postgresql-client) in the version of the server or newer."
    )


def _client(program, parameters):
    """The command line and environment for a client program, from the connection's settings."""
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, parameters)
    return [postgres_program(program), *args[1:]], {**os.environ, **(env or {})}


def _run(args, env, what, **kwargs):
    result = subprocess.run(args, env=env, capture_output=True, check=False, **kwargs)
    if result.returncode != 0:
        message = (
            result.stderr.decode(errors="replace").strip() or f"exit status {result.returncode}"
        )
        raise DatabaseError(f"{what} failed: {message}")
    return result


def _dump_postgresql(path):
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        cursor = raw.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot_id, server_version = cursor.fetchone()
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') "
            "AND pg_table_is_visible(c.oid)"
        )
        existing = {name for (name,) in cursor.fetchall()}
        snapshot = _read_snapshot(cursor, existing, Snapshot(path=path))
        snapshot.server_version = server_version
        args, env = _client(
            "pg_dump", ["--format=custom", f"--snapshot={snapshot_id}", f"--file={path}"]
        )
        _run(args, env, "pg_dump")
        cursor.execute("COMMIT")
    finally:
        raw.close()
    return snapshot


def _drop_everything_sql():
    """SQL dropping every table, view and sequence the target's search path shows."""
    kinds = {
        "r": "TABLE",
        "p": "TABLE",
        "f": "FOREIGN TABLE",
        "v": "VIEW",
        "m": "MATERIALIZED VIEW",
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname, c.relname, c.relkind FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') "
            "AND n.nspname = ANY (current_schemas(false)) ORDER BY c.relkind = 'S'"
        )
        rows = cursor.fetchall()
    quote = connection.ops.quote_name
    statements = [
        f"DROP {kinds.get(kind, 'SEQUENCE')} IF EXISTS {quote(schema)}.{quote(name)} CASCADE;"
        for schema, name, kind in rows
    ]
    return "\n".join(statements) + "\n"


def _restore_postgresql(path):
    drops = "SET client_min_messages = warning;\n" + _drop_everything_sql()
    connection.close()
    # With --file=- pg_restore only writes the SQL script; psql runs it with the drops first.
    script = [postgres_program("pg_restore"), "--no-owner", "--no-privileges", "--file=-", path]
    psql, env = _client(
        "psql",
        ["--single-transaction", "--set=ON_ERROR_STOP=1", "--quiet", "--no-psqlrc", "--file=-"],
    )
    with tempfile.TemporaryFile() as reader_errors, tempfile.TemporaryFile() as writer_errors:
        with subprocess.Popen(script, stdout=subprocess.PIPE, stderr=reader_errors) as reader:
            with subprocess.Popen(
                psql,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=writer_errors,
                env=env,
            ) as writer:
                try:
                    writer.stdin.write(drops.encode())
                    shutil.copyfileobj(reader.stdout, writer.stdin)
                    writer.stdin.close()
                except BrokenPipeError:  # psql stopped at an error; its message is read below
                    with suppress(BrokenPipeError):
                        writer.stdin.close()
                reader.stdout.close()
        if reader.returncode != 0:
            raise DatabaseError(f"pg_restore could not read the dump: {_text(reader_errors)}")
        if writer.returncode != 0:
            raise DatabaseError(
                "PostgreSQL refused the restore, and the database was left as it was: "
                f"{_text(writer_errors)}"
            )


def _text(handle):
    handle.seek(0)
    return handle.read().decode(errors="replace").strip()
