"""manage.py backup and restore: the restore drill, and what a restore refuses."""

import hashlib
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from documents.models import Document
from tests.backup.conftest import OTHER_VENDOR, VENDOR
from tests.factories import DocumentFactory

VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DUMP_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def checksums(folder):
    """{path: SHA-256} of every file under `folder`."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }


def by_key(records):
    return {(record["model"], json.dumps(record["pk"])): record for record in records}


def rewritten(backup, target, *, manifest=None, member=None, rename=None):
    """A copy of `backup` with its manifest changed, one member's bytes changed, or renamed."""
    with tarfile.open(backup) as source, tarfile.open(target, "w") as copy:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            if member and info.name == member[0]:
                data = member[1](data)
            if rename and info.name in rename:
                info.name = rename[info.name]
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return target


def test_a_restored_archive_equals_the_original_in_every_record_history_version_and_file(
    archive, fresh_site
):
    assert "Backed up 3 documents" in archive.backup_output

    restored = fresh_site.manage("restore", str(archive.backup), "--noinput")

    assert "Restored 3 documents" in restored.stdout
    assert "Search index rebuilt: 3 documents indexed." in restored.stdout
    original, copy = by_key(archive.records()), by_key(fresh_site.records())
    differences = sorted(
        key for key in original.keys() | copy.keys() if original.get(key) != copy.get(key)
    )
    assert differences == []
    models = {model for model, _pk in original}
    assert {"documents.importjob", "documents.importchange", "documents.scan"} <= models
    versions = [key for key in original if key[0] == "reversion.version"]
    assert len(versions) >= 6  # the import's three documents, two document edits, a person edit
    assert [copy[key]["fields"] for key in versions] == [
        original[key]["fields"] for key in versions
    ]
    files = checksums(archive.media_root)
    # Three scans with two derivatives each, the PDF's public copy without metadata, an image;
    # and the IIIF files of every scan's pages (full size, sizes, tiles), restored as well.
    iiif = [name for name in files if name.startswith("scans/derivatives/iiif/")]
    assert len(files) - len(iiif) == 3 * 3 + 1 + 1
    keys = {
        record["fields"]["key"] for key, record in copy.items() if key[0] == "documents.scanimage"
    }
    assert keys and {name.split("/")[4] for name in iiif} == keys
    assert checksums(fresh_site.media_root) == files
    for scan in (record for key, record in copy.items() if key[0] == "documents.scan"):
        assert files[scan["fields"]["file"]] == scan["fields"]["sha256"]
    assert fresh_site.search("Pishevari") == archive.search("Pishevari") != "[]"
    # Derived data was rebuilt: the change log tells every web process to build its index afresh.
    assert fresh_site.public_version().startswith("(True, ")


def test_a_backup_taken_while_documents_are_being_saved_holds_whole_transactions(
    databases, fresh_site, tmp_path
):
    busy = databases.fresh("busy")
    busy.manage("migrate", "--noinput")
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.backup.busy_writer", str(stop)],
        cwd=settings.BASE_DIR,
        env=busy.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        busy.manage("backup", str(tmp_path / "busy.tar"))
    finally:
        stop.touch()
        saved = int(writer.stdout.read().strip() or 0)
        assert writer.wait(timeout=60) == 0  # the writer never failed while the backup ran

    fresh_site.manage("restore", str(tmp_path / "busy.tar"), "--noinput")

    probe = (
        "from documents.models import Document; "
        "print(Document.objects.count(), Document.objects.filter(citations=None).count())"
    )
    output = fresh_site.manage("shell", "--no-imports", "-c", probe).stdout
    documents, without_citation = map(int, output.split())
    assert 0 < documents <= saved
    assert without_citation == 0


@pytest.mark.django_db
def test_restore_refuses_a_database_that_already_holds_records(archive):
    DocumentFactory(title="A record a curator would lose")

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive.backup), "--noinput")

    message = str(refused.value)
    assert f"The {VENDOR_NAMES[VENDOR]} database" in message
    assert "is not empty (1 document" in message
    assert "Restore into an empty database, or add --force to replace what it holds." in message
    assert Document.objects.get().title == "A record a curator would lose"


def test_restore_with_force_replaces_a_database_that_holds_records(archive, fresh_site):
    fresh_site.manage("migrate", "--noinput")
    probe = "from tests.factories import DocumentFactory; DocumentFactory(title='To be replaced')"
    fresh_site.manage("shell", "--no-imports", "-c", probe)
    refused = fresh_site.manage("restore", str(archive.backup), "--noinput", check=False)
    assert "is not empty (1 document" in refused.stderr

    fresh_site.manage("restore", str(archive.backup), "--noinput", "--force")

    assert fresh_site.records() == archive.records()


def test_restore_refuses_a_backup_whose_file_does_not_match_its_checksum(
    archive, fresh_site, tmp_path
):
    manifest = json.loads(tarfile.open(archive.backup).extractfile("manifest.json").read())
    scan = next(entry for entry in manifest["media"] if entry["path"].endswith(".png"))

    def flip_one_byte(data):
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]

    damaged = rewritten(
        archive.backup, tmp_path / "damaged.tar", member=(f"media/{scan['path']}", flip_one_byte)
    )

    result = fresh_site.manage("restore", str(damaged), "--noinput", check=False)

    assert result.returncode != 0
    assert f"The backup is damaged: media/{scan['path']} has SHA-256" in result.stderr
    assert f"where the manifest says {scan['sha256']}" in result.stderr
    assert "Nothing was restored; use another backup." in result.stderr
    assert fresh_site.tables() == 0
    assert checksums(fresh_site.media_root) == {}


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_the_other_database_with_a_sentence(archive, tmp_path):
    def other_vendor(manifest):
        manifest["database"].update(vendor=OTHER_VENDOR, member=DUMP_MEMBERS[OTHER_VENDOR])
        return manifest

    other = rewritten(
        archive.backup,
        tmp_path / "other.tar",
        manifest=other_vendor,
        rename={DUMP_MEMBERS[VENDOR]: DUMP_MEMBERS[OTHER_VENDOR]},
    )

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(other), "--noinput")

    assert str(refused.value).startswith(
        f"This backup is of a {VENDOR_NAMES[OTHER_VENDOR]} database, and this archive runs on "
        f"{VENDOR_NAMES[VENDOR]}; a backup restores only into the kind of database it was made "
        "from."
    )


@pytest.mark.django_db
def test_restore_refuses_a_backup_made_by_a_newer_version_of_the_archive(archive, tmp_path):
    def from_the_future(manifest):
        manifest["migrations"].append("documents.0099_from_the_future")
        return manifest

    newer = rewritten(archive.backup, tmp_path / "newer.tar", manifest=from_the_future)

    with pytest.raises(CommandError, match="made by a newer version of the archive") as refused:
        call_command("restore", str(newer), "--noinput")
    assert "(documents.0099_from_the_future)" in str(refused.value)


@pytest.mark.django_db
def test_restore_refuses_media_names_that_point_outside_the_media_folder(
    archive, tmp_path, media_root
):
    def escaping(manifest):
        manifest["media"][0]["path"] = "../../outside.jpg"
        return manifest

    unsafe = rewritten(archive.backup, tmp_path / "unsafe.tar", manifest=escaping)

    with pytest.raises(CommandError, match="points outside the media folder"):
        call_command("restore", str(unsafe), "--noinput")
    assert not (tmp_path / "outside.jpg").exists()
    assert checksums(media_root) == {}


@pytest.mark.django_db
def test_restore_never_replaces_a_different_media_file_of_the_same_name_unless_forced(
    archive, media_root
):
    manifest = json.loads(tarfile.open(archive.backup).extractfile("manifest.json").read())
    name = manifest["media"][0]["path"]
    existing = media_root / name
    existing.parent.mkdir(parents=True)
    existing.write_bytes(b"another file under the same name")

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive.backup), "--noinput")

    assert str(refused.value) == (
        f"The media storage already holds a different file under the backup's names ({name}); "
        "nothing was restored. Move them away, or add --force to replace them."
    )
    assert existing.read_bytes() == b"another file under the same name"
    assert checksums(media_root) == {name: hashlib.sha256(existing.read_bytes()).hexdigest()}


@pytest.mark.django_db
def test_restore_asks_before_replacing_the_database_and_stops_unless_told_yes(
    archive, monkeypatch, capsys
):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="Restore cancelled; nothing was changed."):
        call_command("restore", str(archive.backup))

    question = capsys.readouterr().out
    assert "This replaces everything in the" in question
    assert "(3 documents, 6 people, 3 scans" in question


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    spreadsheet = tmp_path / "records.csv"
    spreadsheet.write_text("title\nA letter\n")

    with pytest.raises(CommandError, match=r"is not a backup made by `manage.py backup`"):
        call_command("restore", str(spreadsheet), "--noinput")


def test_backup_never_overwrites_an_existing_file(tmp_path):
    existing = tmp_path / "archive.tar"
    existing.write_bytes(b"last night's backup")

    with pytest.raises(CommandError, match="already exists; a backup never overwrites a file"):
        call_command("backup", str(existing))
    assert existing.read_bytes() == b"last night's backup"
