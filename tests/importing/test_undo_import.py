"""Undoing an import (documents.importing.undo_import) and the history it leaves."""

import pytest
import reversion
from reversion.models import Version

from documents.models import Contribution, Document, ImportJob, Person, Place
from documents.spreadsheets.importing import import_documents
from documents.spreadsheets.undo import undo_import
from tests.importing.conftest import write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(vocabulary, files, tmp_path, importer):
    """good_rows.csv imported, then a second file that updates record 7001 and adds one."""
    import_documents(files / "good_rows.csv", user=importer)
    path = write_csv(
        tmp_path / "second.csv",
        [
            ["record_id", "title", "date", "authors", "places"],
            [
                "7001",
                "Telegram, corrected title",
                "9 May 1946",
                "I. V. Stalin; Vyacheslav Molotov",
                "Tabriz",
            ],
            ["", "A new record", "1946", "Vyacheslav Molotov", "Baku"],
        ],
    )
    result = import_documents(path, user=importer)
    assert result.ok and (result.created, result.updated) == (1, 1)
    return result.job


def test_undo_removes_created_records_and_restores_updated_ones(imported, importer):
    result = undo_import(imported, user=importer)

    assert not Document.objects.filter(title="A new record").exists()
    telegram = Document.objects.get(record_id=7001)
    assert telegram.title == "Telegram from M.D. Bagriov to Stalin"
    assert telegram.date_text == "8 May 1946" and str(telegram.date_start) == "1946-05-08"
    assert [
        c.person.name for c in telegram.contributions.filter(role=Contribution.Role.AUTHOR)
    ] == ["M. D. Bagirov"]
    assert (
        telegram.contributions.get(role=Contribution.Role.AUTHOR).name_as_written == "M.D. Bagriov"
    )
    assert [p.name for p in telegram.places.all()] == ["Baku"]
    assert telegram.citations.get().reference == "f.1, op.89, d.112"
    # The person only this import created goes too.
    assert not Person.objects.filter(name="Vyacheslav Molotov").exists()
    assert (result.removed, result.restored, result.kept) == (
        [imported.changes.get(action="created").record_id],
        [7001],
        [],
    )
    imported.refresh_from_db()
    assert imported.outcome == ImportJob.Outcome.UNDONE and imported.undone_by == importer


def test_undo_keeps_records_edited_since_and_reports_them(imported, importer):
    created = Document.objects.get(title="A new record")
    created.summary = "A curator wrote this after the import."
    created.save()
    telegram = Document.objects.get(record_id=7001)
    telegram.places.add(Place.objects.get(name="Tehran"))

    result = undo_import(imported, user=importer)

    assert sorted(record for record, _why in result.kept) == sorted([created.record_id, 7001])
    assert "edited since" in result.summary()
    assert Document.objects.filter(pk=created.pk).exists()
    assert Document.objects.get(record_id=7001).title == "Telegram, corrected title"
    imported.refresh_from_db()
    assert imported.outcome == ImportJob.Outcome.PARTLY_UNDONE


def test_an_import_cannot_be_undone_twice(imported, importer):
    undo_import(imported, user=importer)

    with pytest.raises(ValueError, match="already undone"):
        undo_import(imported, user=importer)


def test_undo_dry_run_changes_nothing(imported, importer):
    plan = undo_import(imported, user=importer, dry_run=True)

    assert plan.restored == [7001]
    assert Document.objects.filter(title="A new record").exists()
    imported.refresh_from_db()
    assert imported.undone_at is None


@pytest.fixture
def registered_with_reversion():
    """Documents under django-reversion, as the curators' history (issue 3) registers them."""
    registered_here = not reversion.is_registered(Document)
    if registered_here:
        reversion.register(Document, follow=["contributions", "citations"])
        reversion.register(Contribution)
        from documents.models import Citation

        reversion.register(Citation)
    yield
    if registered_here:
        from documents.models import Citation

        reversion.unregister(Document)
        reversion.unregister(Contribution)
        reversion.unregister(Citation)


def test_an_import_is_one_revision_in_the_curators_history(
    vocabulary, files, importer, registered_with_reversion
):
    result = import_documents(files / "good_rows.csv", user=importer)

    letter = Document.objects.get(title="Letter, I. V. Stalin to Cde. Pishevari")
    [version] = Version.objects.get_for_object(letter)
    assert version.revision.user == importer
    assert version.revision.comment == f"Imported from good_rows.csv (import #{result.job.pk})"
    assert version.field_dict["title"] == letter.title
    assert (
        Version.objects.filter(revision=version.revision).count() > 3
    )  # documents and their links
    # Importing the same file again writes nothing, so it adds no history either.
    import_documents(files / "good_rows.csv", user=importer)
    assert Version.objects.get_for_object(letter).count() == 1


def test_undoing_an_import_is_recorded_in_the_curators_history(
    vocabulary, files, tmp_path, importer, registered_with_reversion
):
    import_documents(files / "good_rows.csv", user=importer)
    path = write_csv(tmp_path / "fix.csv", [["record_id", "title"], ["7001", "Renamed telegram"]])
    job = import_documents(path, user=importer).job

    undo_import(job, user=importer)

    telegram = Document.objects.get(record_id=7001)
    latest = Version.objects.get_for_object(telegram).first()
    assert latest.revision.comment == f"Undid import #{job.pk} (fix.csv)"
    assert latest.field_dict["title"] == "Telegram from M.D. Bagriov to Stalin"


def test_the_import_history_holds_what_reversion_itself_would_record(vocabulary, files, importer):
    from django.core import serializers
    from reversion.revisions import _get_options

    result = import_documents(files / "good_rows.csv", user=importer)

    letter = Document.objects.get(title="Letter, I. V. Stalin to Cde. Pishevari")
    revision = Version.objects.get_for_object(letter).get().revision
    assert revision.comment == f"Imported from good_rows.csv (import #{result.job.pk})"
    versions = list(revision.version_set.all())
    models = {version._model._meta.model_name for version in versions}
    assert {"document", "contribution", "citation", "funding"} <= models
    for version in versions:
        obj = version.object
        options = _get_options(type(obj))
        expected = serializers.serialize("json", [obj], fields=options.fields)
        assert version.serialized_data == expected
        assert version.object_repr == str(obj)


def test_a_document_can_be_reverted_to_the_version_an_import_left(vocabulary, files, importer):
    from documents.workflows.reverting import revert_to

    import_documents(files / "good_rows.csv", user=importer)
    letter = Document.objects.get(title="Letter, I. V. Stalin to Cde. Pishevari")
    version = Version.objects.get_for_object(letter).get()
    letter.title = "Edited by hand"
    letter.save()
    letter.places.clear()

    revert_to(version, by=importer)

    letter.refresh_from_db()
    assert letter.title == "Letter, I. V. Stalin to Cde. Pishevari"
    assert sorted(p.name for p in letter.places.all()) == ["Tabriz", "Tehran"]


def test_undo_still_restores_an_import_made_before_a_column_was_added(
    vocabulary, files, tmp_path, importer, monkeypatch
):
    from documents.spreadsheets import importing
    from documents.spreadsheets.columns import COMPARED_KEYS

    import_documents(files / "good_rows.csv", user=importer)
    # The import runs as it did when the declaration had one column fewer ...
    older = [key for key in COMPARED_KEYS if key != "original_uploaded_date"]
    monkeypatch.setattr(importing, "COMPARED_KEYS", older)
    path = write_csv(tmp_path / "fix.csv", [["record_id", "title"], ["7001", "Renamed telegram"]])
    job = import_documents(path, user=importer).job
    # ... and is undone with the column declared (and filled in since, by another import).
    monkeypatch.undo()
    telegram = Document.objects.get(record_id=7001)
    Document.objects.filter(pk=telegram.pk).update(first_published_at=None)

    result = undo_import(job, user=importer)

    assert (result.restored, result.kept) == ([7001], [])
    assert Document.objects.get(record_id=7001).title == "Telegram from M.D. Bagriov to Stalin"


def _hash_before_issue_10(raw):
    """state_hash as imports computed it before they recorded their columns (commit c7cb078)."""
    import hashlib

    f = raw["fields"]
    state = {
        "title": f["title"],
        "date": (f["date_text"] or f["date_edtf"], f["date_edtf"]),
        "type": f["document_type_id"],
        "summary": f["summary"],
        "text": f["text"],
        "transcript": f["transcript"],
        "classification": f["classification_id"],
        "rights": f["rights_id"],
        "status": f["status"],
        "funders": tuple(org for org, _c, _o in raw["fundings"]),
        "citations": tuple((repo, ref) for repo, ref, _o in raw["citations"]),
    }
    for name in ("languages", "subjects", "places", "collections"):
        state[name] = tuple(sorted(raw[name]))
    for column, role in (
        ("authors", "author"),
        ("recipients", "recipient"),
        ("copied_to", "copied_to"),
        ("mentioned", "mentioned"),
        ("translators", "translator"),
        ("contributors", "contributor"),
    ):
        state[column] = tuple((p, w) for ro, p, w, _o, _b in raw["contributions"] if ro == role)
    text = repr([state[key] for key in sorted(state)])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def test_imports_recorded_before_the_columns_were_kept_with_them_can_still_be_undone(
    imported, importer
):
    """An import as migration 0008 leaves it: its old hashes, snapshots without new fields."""
    import importlib

    from documents.models import ImportChange
    from documents.spreadsheets.state import load_states

    migration = importlib.import_module("documents.migrations.0009_importjob_hashed_columns")
    ImportJob.objects.filter(pk=imported.pk).update(hashed_columns=migration.COLUMNS_BEFORE)
    states = load_states([c.document_id for c in imported.changes.all()])
    for change in imported.changes.all():
        before = change.before
        if before is not None:
            del before["fields"]["first_published_at"]
        ImportChange.objects.filter(pk=change.pk).update(
            after_hash=_hash_before_issue_10(states[change.document_id]), before=before
        )
    imported.refresh_from_db()

    result = undo_import(imported, user=importer)

    assert result.kept == [] and result.restored == [7001] and len(result.removed) == 1
    assert Document.objects.get(record_id=7001).title == "Telegram from M.D. Bagriov to Stalin"
    assert not Document.objects.filter(title="A new record").exists()
