"""Backups of the whole archive, and their restore: `backup(path)` and `restore(path, ...)`.

A backup is one file (`archive.py` describes it): a copy of the database taken at one moment
while the site keeps running (`databases.py`), every file of the media storage (scans, their
derivatives, collection images) and a manifest with the SHA-256 of each, the migrations the
database had, its vendor and its row counts.

A restore checks before it writes: the file is a backup, of the database in use (SQLite or
PostgreSQL; restoring across them is not supported), made by this version of the archive or an
older one; the target database holds nothing beyond what `migrate` writes (unless forced); and
every member matches its checksum (copied out to a staging folder first). Only then does it
replace the database, check its row counts against the manifest, move the media into place,
apply the migrations the backup predates and rebuild the derived data (the search index, the
public index, the page cache) through `documents.changes`.

May import documents.changes and its own modules; the management commands `backup` and
`restore` are its only callers.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from documents import changes
from documents.backups import archive, databases
from documents.backups.archive import BackupFileError

__all__ = ["BackupError", "backup", "restore", "summary"]

# Counts shown to people, in this order, from the manifest's row counts.
SUMMARY = [
    ("documents.document", "document", "documents"),
    ("documents.person", "person", "people"),
    ("documents.scan", "scan", "scans"),
    ("collections.collection", "collection", "collections"),
    ("reversion.version", "history version", "history versions"),
    ("documents.importjob", "import", "imports"),
    ("auth.user", "user account", "user accounts"),
]


class BackupError(Exception):
    """A backup or restore refused or failed; the message is a sentence saying why."""


@dataclass
class Report:
    path: Path
    manifest: dict
    seconds: float = 0.0
    migrated: list[str] = field(default_factory=list)
    indexed: int = 0


def backup(path, *, storage=None):
    """Write a backup of the database and the media storage to `path` (a new file)."""
    path = Path(path)
    storage = storage or default_storage
    if path.exists():
        raise BackupError(
            f"{path} already exists; a backup never overwrites a file. Choose a new name "
            "(e.g. one with the date)."
        )
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
        try:
            snapshot = databases.dump(work)
        except databases.DatabaseError as error:
            raise BackupError(
                f"{databases.describe(capital=True)} could not be copied: {error}"
            ) from error
        writer = archive.Writer(path)
        try:
            manifest = _write(writer, snapshot, storage)
        except OSError as error:
            writer.abandon()
            raise BackupError(f"The backup could not be written to {path}: {error}.") from error
        except BaseException:
            writer.abandon()
            raise
    return Report(path=path, manifest=manifest, seconds=time.monotonic() - started)


def _write(writer, snapshot, storage):
    """Copy the dump and every media file into the backup, then the manifest; return it."""
    member = databases.DUMP_MEMBERS[databases.vendor()]
    database_size = snapshot.path.stat().st_size
    with snapshot.path.open("rb") as handle:
        database_sha = writer.add(member, handle, database_size)
    snapshot.path.unlink()
    media = []
    for name in _media_names(storage):
        size = storage.size(name)
        with storage.open(name, "rb") as handle:
            sha = writer.add(archive.media_member(name), handle, size)
        media.append({"path": name, "size": size, "sha256": sha})
    stored = {entry["path"] for entry in media}
    manifest = {
        "format": archive.FORMAT,
        "version": archive.VERSION,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "archive": settings.ARCHIVE_NAME,
        "django": django.get_version(),
        "database": {
            "vendor": databases.vendor(),
            "member": member,
            "size": database_size,
            "sha256": database_sha,
            "server_version": snapshot.server_version,
        },
        "migrations": snapshot.migrations,
        "records": snapshot.counts,
        "media": media,
        # Named by a record but absent from the storage when the backup was made.
        "media_missing": sorted(snapshot.media_names - stored),
    }
    writer.add_manifest(manifest)
    writer.finish()
    return manifest


def restore(path, *, force=False, confirm=None, storage=None):
    """Replace the database and add the media of the backup at `path`; see the module docstring.

    `confirm(question)` is asked once every check that reads no more than the manifest has
    passed; a false answer cancels. `force` replaces a database that holds records and media
    files that differ from the backup's.
    """
    storage = storage or default_storage
    started = time.monotonic()
    try:
        reader = archive.Reader(path)
    except BackupFileError as error:
        raise BackupError(str(error)) from error
    try:
        manifest = reader.manifest
        _check_vendor(manifest)
        _check_migrations(manifest)
        try:
            held = databases.records_held()
        except DatabaseError as error:
            raise BackupError(
                f"{databases.describe(capital=True)} cannot be opened ({error}); check "
                "DATABASE_URL, and create the database first (an empty one is enough)."
            ) from error
        if held and not force:
            raise BackupError(
                f"{databases.describe(capital=True)} is not empty ({_held(held)}); a restore "
                "replaces everything in it. Restore into an empty database, or add --force "
                "to replace what it holds."
            )
        if confirm is not None and not confirm(_question(manifest, storage)):
            raise BackupError("Restore cancelled; nothing was changed.")
        with tempfile.TemporaryDirectory(prefix="archive-restore-") as work:
            staging = _staging_folder(storage)
            try:
                dump = _verified_copies(reader, manifest, Path(work), staging)
                _check_media_conflicts(manifest, storage, force=force)
                try:
                    databases.restore(dump)
                except databases.DatabaseError as error:
                    raise BackupError(f"The database could not be restored: {error}") from error
                _check_counts(manifest)
                _place_media(manifest, storage, staging)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    finally:
        reader.close()
    migrated = _migrate()
    indexed = changes.rebuild()
    return Report(
        path=Path(path),
        manifest=manifest,
        seconds=time.monotonic() - started,
        migrated=migrated,
        indexed=indexed,
    )


def summary(manifest):
    """'3 documents, 2 people, 4 scans, ... and 12 media files (1.4 MB)' from a manifest."""
    records = manifest.get("records", {})
    parts = []
    for label, one, many in SUMMARY:
        count = records.get(label, 0)
        parts.append(f"{count:,} {one if count == 1 else many}")
    media = manifest.get("media", [])
    size = sum(entry["size"] for entry in media)
    files = "file" if len(media) == 1 else "files"
    return f"{', '.join(parts)} and {len(media):,} media {files} ({_megabytes(size)})"


# Checks ----------------------------------------------------------------------------------------


def _check_vendor(manifest):
    theirs = manifest.get("database", {}).get("vendor")
    ours = databases.vendor()
    if theirs != ours:
        name = databases.VENDOR_NAMES
        raise BackupError(
            f"This backup is of a {name.get(theirs, theirs)} database, and this archive runs on "
            f"{name.get(ours, ours)}; a backup restores only into the kind of database it was "
            f"made from. Restore it with DATABASE_URL pointing to an empty "
            f"{name.get(theirs, theirs)} database (moving between SQLite and PostgreSQL is not "
            "supported by restore)."
        )


def _check_migrations(manifest):
    known = {
        f"{app}.{name}"
        for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        raise BackupError(
            "This backup was made by a newer version of the archive: its database has "
            f"migrations this version does not know ({', '.join(unknown)}). Restore it with "
            "the version that made it."
        )


def _check_counts(manifest):
    restored = databases.row_counts()
    for label, count in manifest.get("records", {}).items():
        if label in restored and restored[label] != count:
            raise BackupError(
                f"The restored database does not match the backup: {label} has "
                f"{restored.get(label, 0)} rows where the backup counted {count}."
            )


def _check_media_conflicts(manifest, storage, *, force):
    different = []
    for entry in manifest["media"]:
        if (
            storage.exists(entry["path"])
            and _storage_sha256(storage, entry["path"]) != entry["sha256"]
        ):
            different.append(entry["path"])
    if different and not force:
        shown = ", ".join(different[:5]) + (" ..." if len(different) > 5 else "")
        files = "a different file" if len(different) == 1 else f"{len(different)} different files"
        raise BackupError(
            f"The media storage already holds {files} under the backup's names ({shown}); "
            "nothing was restored. Move them away, or add --force to replace them."
        )


def _held(held):
    """'9 documents, 21 people and 140 other rows in 19 tables' for a non-empty database."""
    labels = [label for label, _one, _many in SUMMARY if held.get(label)]
    parts = [
        f"{held[label]:,} {one if held[label] == 1 else many}"
        for label, one, many in SUMMARY
        if label in labels
    ]
    rest = [count for label, count in held.items() if label not in labels]
    if rest:
        rows, tables = sum(rest), len(rest)
        parts.append(f"{rows:,} rows in {tables} other {'table' if tables == 1 else 'tables'}")
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def _question(manifest, storage):
    made = manifest.get("created_at", "an unknown date")
    return (
        f"This replaces everything in {databases.describe()} with the backup made at {made} "
        f"({summary(manifest)}), and writes its media files into {_storage_name(storage)}."
    )


# Media -----------------------------------------------------------------------------------------


def _media_names(storage):
    """Every file in the media storage, as storage names, in a stable order."""
    if isinstance(storage, FileSystemStorage):
        root = Path(storage.location)
        names = []
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            relative = Path(folder).relative_to(root)
            names.extend((relative / name).as_posix() for name in files if not name.startswith("."))
        return sorted(names)
    return sorted(_listdir(storage, ""))


def _listdir(storage, prefix):
    folders, files = storage.listdir(prefix)
    for name in files:
        yield f"{prefix}{name}"
    for folder in folders:
        yield from _listdir(storage, f"{prefix}{folder}/")


def _staging_folder(storage):
    """A folder beside the media (same disk, so files are moved, not copied), or a temporary one."""
    if isinstance(storage, FileSystemStorage):
        root = Path(storage.location)
        root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
    return Path(tempfile.mkdtemp(prefix="archive-restore-media-"))


def _verified_copies(reader, manifest, work, staging):
    """Copy the dump and every media file out of the backup, checking each one's checksum."""
    database = manifest["database"]
    if database.get("member") != databases.DUMP_MEMBERS[databases.vendor()]:
        raise BackupError(
            f"The backup is damaged: its database member is {database.get('member')}."
        )
    members = [database["member"]]
    try:
        dump = work / database["member"]
        reader.copy(database["member"], dump, sha256=database["sha256"], size=database["size"])
        for entry in manifest["media"]:
            member = archive.media_member(entry["path"])
            members.append(member)
            reader.copy(member, staging / entry["path"], sha256=entry["sha256"], size=entry["size"])
        unlisted = reader.unlisted(members)
        if unlisted:
            raise BackupFileError(
                f"The backup is damaged: it holds files its manifest does not list "
                f"({', '.join(unlisted[:5])}). Nothing was restored; use another backup."
            )
    except BackupFileError as error:
        raise BackupError(str(error)) from error
    return dump


def _place_media(manifest, storage, staging):
    for entry in manifest["media"]:
        name, staged = entry["path"], staging / entry["path"]
        if isinstance(storage, FileSystemStorage):
            target = Path(storage.path(name))
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
            continue
        if storage.exists(name):
            storage.delete(name)
        with staged.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"The media storage saved {name} as {saved}; restore it again.")


def _storage_sha256(storage, name):
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(archive.CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _storage_name(storage):
    if isinstance(storage, FileSystemStorage):
        return str(storage.location)
    return f"the media storage ({type(storage).__name__})"


def _megabytes(size):
    return f"{size / 1024 / 1024:,.1f} MB"


# After the database is back --------------------------------------------------------------------


def _migrate():
    """Apply the migrations this version has and the backup predates; return their names."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
