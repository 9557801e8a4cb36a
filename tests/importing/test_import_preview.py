"""The admin's import preview: new rows' values, word diffs of long texts, what confirming would
create, the permissions of the forms row by row, and who may undo an import."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Document, ImportJob, Person, Place, Status, Subject
from documents.spreadsheets.importing import import_documents
from tests.factories import DocumentFactory
from tests.importing.conftest import write_csv

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/documents/document/import/"


@pytest.fixture
def role_user(django_user_model):
    """A staff account in one of the roles the data migrations create."""

    def make(role, username=None, extra=()):
        user = django_user_model.objects.create_user(
            username or role.lower(), password="a-long-test-password", is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        user.user_permissions.add(*Permission.objects.filter(codename__in=extra))
        return django_user_model.objects.get(pk=user.pk)

    return make


def _upload(client, path, **options):
    data = {
        "import_file": SimpleUploadedFile(path.name, path.read_bytes()),
        "date_order": "mdy",
        **options,
    }
    return client.post(IMPORT_URL, data)


def _confirm(client, preview):
    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() or "" for name in confirm.fields}
    return client.post(reverse("admin:documents_document_process_import"), data)


def _long_text(words=3000):
    """About 20,000 characters of prose, every word distinct enough to diff."""
    text = " ".join(f"word{n}" for n in range(words))
    assert len(text) > 20_000
    return text


def test_the_preview_shows_the_values_a_new_row_will_set(client, importer, vocabulary, tmp_path):
    path = write_csv(
        tmp_path / "new.csv",
        [
            ["title", "date", "summary", "places", "authors"],
            ["A new telegram", "9 May 1946", "Bagirov reports <b>unrest</b>.", "Baku", ""],
        ],
    )
    client.force_login(importer)

    page = _upload(client, path).content.decode()

    assert "Would create 1" in page
    assert (
        "<dt><code>summary</code></dt>"
        '<dd dir="auto">Bagirov reports &lt;b&gt;unrest&lt;/b&gt;.</dd>' in page
    )
    assert '<dt><code>places</code></dt><dd dir="auto">Baku</dd>' in page
    assert '<dt><code>date</code></dt><dd dir="auto">9 May 1946</dd>' in page
    # An empty cell sets nothing, so it is not listed.
    (values,) = re.findall(r'<dl class="import-values">.*?</dl>', page, re.S)
    assert "<dt><code>title</code></dt>" in values and "<dt><code>authors</code></dt>" not in values
    assert not Document.objects.exists()


def test_a_one_word_change_near_the_end_of_a_20000_character_translation_is_shown(
    client, importer, vocabulary, tmp_path
):
    text = _long_text()
    document = DocumentFactory(text=text, status=Status.DRAFT)
    edited = text.replace("word2990", "<em>corrected</em>")
    path = write_csv(tmp_path / "edit.csv", [["record_id", "text"], [document.record_id, edited]])
    client.force_login(importer)

    page = _upload(client, path).content.decode()

    assert "would update 1" in page
    assert "<del>word2990</del><ins>&lt;em&gt;corrected&lt;/em&gt;</ins>" in page
    # The unchanged words before it are shortened, with a few kept for context.
    assert "[… 2,978 unchanged words …]" in page
    assert "word2989 <del>" in page and "word2978" in page and "word2977" not in page
    assert "word1500" not in page
    assert "<em>" not in page  # the row's text is escaped
    document.refresh_from_db()
    assert document.text == text


def test_people_and_vocabulary_entries_to_be_created_are_listed_before_confirming(
    client, importer, vocabulary, tmp_path
):
    path = write_csv(
        tmp_path / "create.csv",
        [
            ["title", "date", "authors", "subjects", "places"],
            ["First letter", "1 May 1946", "Mir Jafar Baghirov Jr.", "Oil Concessions", "Ardabil"],
            ["Second letter", "2 May 1946", "I. V. Stalin", "Oil Concessions", "Tabriz"],
        ],
    )
    people, subjects = Person.objects.count(), Subject.objects.count()
    client.force_login(importer)

    preview = _upload(client, path, create_missing="on")

    page = preview.content.decode()
    assert "To be created on confirming (3)" in page
    created = {(c.kind, c.name, tuple(c.rows)) for c in preview.context["result"].to_create}
    assert created == {
        ("person", "Mir Jafar Baghirov Jr.", (2,)),
        ("subject", "Oil Concessions", (2, 3)),
        ("place", "Ardabil", (2,)),
    }
    assert "<td>Subject</td><td><bdi>Oil Concessions</bdi></td>\n          <td>2, 3</td>" in page
    assert (Person.objects.count(), Subject.objects.count()) == (people, subjects)
    assert not Place.objects.filter(name="Ardabil").exists()

    _confirm(client, preview)

    job = ImportJob.objects.get()
    assert [name for _pk, name in job.new_people] == ["Mir Jafar Baghirov Jr."]
    assert Subject.objects.filter(name="Oil Concessions").exists()


def test_an_importer_may_add_drafts_but_not_change_records_and_each_refused_row_is_named(
    client, role_user, vocabulary, tmp_path
):
    draft = DocumentFactory(title="A draft", status=Status.DRAFT)
    path = write_csv(
        tmp_path / "mixed.csv",
        [
            ["record_id", "title", "date", "status"],
            ["", "A new draft", "3 May 1946", "draft"],
            [draft.record_id, "A draft, retitled", "", "draft"],
            ["", "A new published record", "4 May 1946", "published"],
        ],
    )
    client.force_login(role_user("Importer"))

    preview = _upload(client, path)

    page = preview.content.decode()
    assert "Would create 1, would update 0, unchanged 0, errors 2 (of 3 rows)." in page
    errors = {(e.row, e.column): e.message for e in preview.context["result"].errors}
    assert "needs the permission to change documents" in errors[3, "record_id"]
    assert "only as drafts" in errors[4, "status"]
    assert "needs the permission to change documents" in page
    assert "Confirm import" not in page  # all or nothing: nothing is half-written

    with_good_rows = _upload(client, path, skip_errors="on")
    _confirm(client, with_good_rows)

    assert Document.objects.filter(title="A new draft", status=Status.DRAFT).exists()
    draft.refresh_from_db()
    assert draft.title == "A draft"
    assert not Document.objects.filter(title="A new published record").exists()


def test_an_importer_cannot_rewrite_a_published_record_by_spreadsheet(
    client, role_user, vocabulary, tmp_path
):
    published = DocumentFactory(title="Public record", text="The text the public reads.")
    published.status = Status.PUBLISHED
    published.save()
    path = write_csv(
        tmp_path / "rewrite.csv",
        [["record_id", "text"], [published.record_id, "A text nobody reviewed."]],
    )
    client.force_login(role_user("Importer"))

    preview = _upload(client, path, skip_errors="on")

    page = preview.content.decode()
    assert "errors 1 (of 1 rows)" in page
    assert f"This row would change record {published.record_id} (text)" in page
    assert "Confirm import" not in page
    published.refresh_from_db()
    assert published.text == "The text the public reads."


def test_changing_a_published_record_by_import_needs_the_publish_permission(
    client, role_user, vocabulary, tmp_path
):
    published = DocumentFactory(title="Public record", status=Status.PUBLISHED)
    draft = DocumentFactory(title="Draft record", status=Status.DRAFT)
    path = write_csv(
        tmp_path / "edits.csv",
        [
            ["record_id", "summary"],
            [published.record_id, "Rewritten by spreadsheet."],
            [draft.record_id, "Summarised."],
        ],
    )
    # An Editor's permissions with importing: may change drafts, may not publish.
    client.force_login(role_user("Editor", extra=["import_document"]))

    preview = _upload(client, path)

    errors = preview.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(2, "record_id")]
    assert f"Record {published.record_id} is published" in errors[0].message
    assert "permission to publish documents" in errors[0].message
    assert "would update 1" in preview.content.decode()

    client.force_login(role_user("Curator"))
    assert not _upload(client, path).context["result"].errors


def test_the_command_line_and_a_curator_still_may_do_everything(role_user, vocabulary, tmp_path):
    published = DocumentFactory(status=Status.PUBLISHED)
    path = write_csv(
        tmp_path / "all.csv",
        [["record_id", "title", "date", "status"], [published.record_id, "Retitled", "", ""]],
    )
    assert import_documents(path, dry_run=True).updated == 1
    assert import_documents(path, user=role_user("Curator"), dry_run=True).updated == 1


def test_an_importer_undoes_their_own_import_but_not_anothers(
    client, role_user, vocabulary, tmp_path
):
    importer, other = role_user("Importer"), role_user("Importer", "other-importer")
    mine = import_documents(
        write_csv(tmp_path / "mine.csv", [["title", "date"], ["Mine", "1 May 1946"]]),
        user=importer,
    ).job
    theirs = import_documents(
        write_csv(tmp_path / "theirs.csv", [["title", "date"], ["Theirs", "2 May 1946"]]),
        user=other,
    ).job
    client.force_login(importer)

    own_page = client.get(reverse("admin:documents_importjob_change", args=[mine.pk]))
    other_page = client.get(reverse("admin:documents_importjob_change", args=[theirs.pk]))
    assert "Undo this import…" in own_page.content.decode()
    assert "Undo this import…" not in other_page.content.decode()
    refused = client.post(reverse("admin:documents_importjob_undo", args=[theirs.pk]))
    assert refused.status_code == 403

    client.post(reverse("admin:documents_importjob_undo", args=[mine.pk]))

    assert not Document.objects.filter(title="Mine").exists()
    assert Document.objects.filter(title="Theirs").exists()
    mine.refresh_from_db()
    assert (mine.outcome, mine.undone_by) == (ImportJob.Outcome.UNDONE, importer)

    client.force_login(role_user("Curator"))
    client.post(reverse("admin:documents_importjob_undo", args=[theirs.pk]))
    assert not Document.objects.filter(title="Theirs").exists()


def test_the_import_form_says_what_it_takes_and_where_the_template_is(client, role_user, settings):
    settings.IMPORT_BACKGROUND_ROWS = 500
    settings.IMPORT_MAX_BYTES = 50 * 1024 * 1024
    client.force_login(role_user("Importer"))

    page = client.get(IMPORT_URL).content.decode()

    assert "CSV (UTF-8 or Windows-1252), XLSX or ODS; at most 50 MB" in page
    assert "more than 500 rows is imported in the" in page
    assert reverse("admin:documents_document_import_template", args=["xlsx"]) in page
    assert reverse("admin:documents_document_import_template", args=["csv"]) in page
    assert "By import you may create new records as drafts." in page
    assert 'aria-describedby="id_import_file_helptext"' in page
    assert "<h2>The file</h2>" in page and "<h2>How to read it</h2>" in page


def test_a_file_of_the_wrong_kind_is_refused_on_the_form_with_the_field_named(client, role_user):
    client.force_login(role_user("Importer"))

    response = client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile("notes.docx", b"not a sheet"), "date_order": "mdy"},
    )

    page = response.content.decode()
    assert "Please correct the error below." in page
    assert "is not a CSV, XLSX or ODS file" in page
    assert 'class="form-row field-import_file errors"' in page


def test_a_possible_duplicates_long_text_is_compared_word_by_word_in_its_question(
    client, importer, vocabulary, tmp_path
):
    text = _long_text()
    Document.objects.create(
        title="Telegram from Sadchikov to Molotov", date_text="12 December 1945", text=text
    )
    path = write_csv(
        tmp_path / "again.csv",
        [
            ["title", "date", "text"],
            ["Telegram from Sadchikov to Molotov", "December 12, 1945", text + " Signed."],
        ],
    )
    client.force_login(importer)

    page = _upload(client, path).content.decode()

    (comparison,) = re.findall(r'<table class="question-comparison">.*?</table>', page, re.S)
    assert "word2999<ins> Signed.</ins>" in comparison
    assert "unchanged words" in comparison
