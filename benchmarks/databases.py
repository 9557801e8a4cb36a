"""The databases a benchmark measures: a fresh SQLite file or PostgreSQL database, and clones."""

import sqlite3
from contextlib import closing
from pathlib import Path


def fresh_sqlite(workdir, documents, seed, *, keep=False, prefix="bench"):
    path = workdir / f"{prefix}-{documents}-{seed}.sqlite3"
    if keep and path.exists():
        return f"sqlite:///{path}", path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}", path


def fresh_postgres(server_url, name):
    import psycopg

    with psycopg.connect(server_url.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rstrip("/") + f"/{name}"


def postgres_database_exists(server_url, name):
    import psycopg

    with psycopg.connect(server_url.rstrip("/") + "/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def clone_database(vendor, source, workdir, tag):
    """A copy of the benchmark database for a run that writes (the import)."""
    from django.db import connections

    connections.close_all()
    if vendor == "sqlite":
        target = workdir / f"clone-{tag}.sqlite3"
        # SQLite's backup API: a consistent copy, with what the WAL journal holds, not only the
        # main file.
        with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
            original.backup(copy)

        def remove():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)

        return f"sqlite:///{target}", remove
    import psycopg

    server, _slash, name = source.rpartition("/")
    clone = f"{name}_{tag}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{clone}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{clone}" TEMPLATE "{name}"')

    def drop():
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{clone}" WITH (FORCE)')

    return f"{server}/{clone}", drop
