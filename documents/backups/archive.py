"""The backup file: one uncompressed tar with the database dump, media/ and manifest.json.

    database.sqlite3 or database.pgdump   the database, copied at one moment
    media/<name>                          every file of the media storage, under its own name
    manifest.json                         what the file holds, with a SHA-256 for every member

The manifest comes last because its checksums are computed while the files are copied in, so
each file is read once. A backup is written to `FILE.partial` and renamed to FILE only when it
is complete and flushed to disk, so a file with the final name is always whole. Reading never
extracts by a member's own name: members are looked up by the names the manifest lists, and
those are checked to stay inside media/.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
import time
from pathlib import Path, PurePosixPath

FORMAT = "archive-cms backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
CHUNK = 1024 * 1024


class BackupFileError(Exception):
    """The file is not a backup, or is damaged; the message is a sentence saying which."""


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class Writer:
    """Writes a backup file member by member; `finish()` gives it its final name."""

    def __init__(self, path):
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.handle = self.partial.open("xb")
        self.tar = tarfile.open(fileobj=self.handle, mode="w", format=tarfile.PAX_FORMAT)

    def add(self, name, handle, size):
        """Copy `size` bytes of `handle` in as member `name`; return their SHA-256."""
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o644
        info.mtime = time.time()
        reader = _Hashing(handle)
        self.tar.addfile(info, reader)  # raises OSError if the file is shorter than `size`
        if handle.read(1):
            raise OSError(f"{name} grew while it was copied.")
        return reader.digest.hexdigest()

    def add_manifest(self, manifest):
        data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mode = 0o644
        info.mtime = time.time()
        self.tar.addfile(info, _Bytes(data))

    def finish(self):
        self.tar.close()
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.partial, self.path)

    def abandon(self):
        try:
            self.tar.close()
        finally:
            self.handle.close()
            self.partial.unlink(missing_ok=True)


class _Bytes:
    def __init__(self, data):
        self.data, self.offset = data, 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


class Reader:
    """Reads a backup file: its manifest, and its members copied out with their checksums."""

    def __init__(self, path):
        self.path = Path(path)
        if not self.path.is_file():
            raise BackupFileError(f"There is no file {self.path}.")
        try:
            self.tar = tarfile.open(self.path, mode="r:")
            member = self.tar.getmember(MANIFEST)
            self.manifest = json.loads(self.tar.extractfile(member).read())
        except (tarfile.TarError, KeyError, ValueError, OSError) as error:
            raise BackupFileError(
                f"{self.path} is not a backup made by `manage.py backup` (it has no readable "
                f"{MANIFEST}: {error})."
            ) from error
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != FORMAT:
            raise BackupFileError(
                f"{self.path} is not a backup made by `manage.py backup`: its {MANIFEST} is of "
                "another kind."
            )
        if self.manifest.get("version") != VERSION:
            raise BackupFileError(
                f"{self.path} is a backup of format version {self.manifest.get('version')}; "
                f"this version of the archive restores version {VERSION}."
            )
        self.names = set(self.tar.getnames())

    def close(self):
        self.tar.close()

    def copy(self, name, destination, *, sha256, size):
        """Copy member `name` to the file `destination`, refusing it unless its checksum matches."""
        try:
            member = self.tar.getmember(name)
        except KeyError:
            raise BackupFileError(
                f"The backup is damaged: the manifest lists {name}, which the file does not hold."
            ) from None
        source = self.tar.extractfile(member)
        if source is None:
            raise BackupFileError(f"The backup is damaged: {name} is not a file.")
        digest = hashlib.sha256()
        copied = 0
        destination = Path(destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            with destination.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    copied += len(chunk)
                    out.write(chunk)
        except (tarfile.TarError, OSError) as error:
            raise BackupFileError(
                f"The backup is damaged: {name} cannot be read ({error})."
            ) from error
        if copied != size or digest.hexdigest() != sha256:
            raise BackupFileError(
                f"The backup is damaged: {name} has SHA-256 {digest.hexdigest()} ({copied} bytes) "
                f"where the manifest says {sha256} ({size} bytes). Nothing was restored; use "
                "another backup."
            )

    def unlisted(self, listed):
        """Members the manifest does not account for (a sign of a tampered or mixed-up file)."""
        return sorted(self.names - set(listed) - {MANIFEST})


def media_member(name):
    """The tar member of a media file, refusing names that would leave the media folder."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise BackupFileError(
            f"The backup is damaged or unsafe: the media name {name!r} points outside the "
            "media folder."
        )
    return MEDIA + str(path)
