"""The admin's import (upload, preview, confirm), export, template download and undo."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.admin.imports import TEMPLATE_DIR
from documents.models import Document, ImportJob, Status
from documents.spreadsheets.columns import COLUMN_NAMES, HEADERS

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/documents/document/import/"


def _upload(client, path, **options):
    data = {
        "import_file": SimpleUploadedFile(path.name, path.read_bytes()),
        "date_order": "mdy",
        **options,
    }
    return client.post(IMPORT_URL, data)


def test_upload_shows_a_preview_and_writes_nothing_until_confirmed(
    client, importer, vocabulary, files
):
    client.force_login(importer)

    preview = _upload(client, files / "good_rows.csv")

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Would create 3, would update 0, unchanged 0, errors 0 (of 3 rows)." in page
    assert "Letter, I. V. Stalin to Cde. Pishevari" in page
    assert "Confirm import" in page
    assert not Document.objects.exists()

    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() or "" for name in confirm.fields}
    done = client.post(reverse("admin:documents_document_process_import"), data)

    job = ImportJob.objects.get()
    assert done.status_code == 302 and done.url == reverse(
        "admin:documents_importjob_change", args=[job.pk]
    )
    assert Document.objects.count() == 3 and job.user == importer
    # Confirming twice does not import twice.
    again = client.post(reverse("admin:documents_document_process_import"), data)
    assert again.status_code == 302 and Document.objects.count() == 3


def test_preview_shows_updates_field_by_field(client, importer, vocabulary, files, tmp_path):
    from documents.spreadsheets.importing import import_documents

    import_documents(files / "good_rows.csv")
    path = tmp_path / "update.csv"
    path.write_text("record_id,title,date\n7001,Telegram from M.D. Bagriov to Stalin,9 May 1946\n")
    client.force_login(importer)

    page = _upload(client, path).content.decode()

    assert "would update 1" in page
    assert '<del dir="auto">8 May 1946</del> → <ins dir="auto">9 May 1946</ins>' in page


def test_preview_lists_bad_rows_and_offers_no_confirmation(client, importer, vocabulary, files):
    client.force_login(importer)

    response = _upload(client, files / "bad_rows.csv")

    page = response.content.decode()
    assert "Confirm import" not in page
    assert (
        '<td data-label="Row">2</td><td data-label="Column"><code>date</code></td>'
        '<td data-label="Value">31 February 1946</td>'
    ) in page
    assert "Download the rows with errors" in page
    errors = client.get(response.context["errors_url"])
    assert b"import_errors" in b"".join(errors.streaming_content)


def test_skip_errors_in_the_admin_imports_only_the_good_rows(client, importer, vocabulary, files):
    client.force_login(importer)

    preview = _upload(client, files / "bad_rows.csv", skip_errors="on")
    confirm = preview.context["confirm_form"]
    client.post(
        reverse("admin:documents_document_process_import"),
        {name: confirm[name].value() or "" for name in confirm.fields},
    )

    assert list(Document.objects.values_list("record_id", flat=True)) == [8001]


def test_import_and_export_are_offered_only_to_users_with_the_permissions(
    client, vocabulary, django_user_model
):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(clerk)

    changelist = client.get(reverse("admin:documents_document_changelist")).content.decode()

    assert IMPORT_URL not in changelist and "/export/" not in changelist
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get("/admin/documents/document/export/").status_code == 403
    clerk.user_permissions.add(
        Permission.objects.get(codename="import_document"),
        Permission.objects.get(codename="export_document"),
    )
    client.force_login(django_user_model.objects.get(pk=clerk.pk))
    changelist = client.get(reverse("admin:documents_document_changelist")).content.decode()
    assert IMPORT_URL in changelist and "/admin/documents/document/export/" in changelist


def test_export_follows_the_change_list_filter(client, importer, vocabulary):
    Document.objects.create(title="Public one", status=Status.PUBLISHED)
    Document.objects.create(title="Draft one", status=Status.DRAFT)
    client.force_login(importer)

    response = client.get("/admin/documents/document/export/?status__exact=draft&format=csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Draft one"]
    assert response["Content-Disposition"].startswith('attachment; filename="documents-')


def test_export_action_exports_the_selected_documents(client, importer, vocabulary):
    one = Document.objects.create(title="Selected")
    Document.objects.create(title="Not selected")
    client.force_login(importer)

    response = client.post(
        reverse("admin:documents_document_changelist"),
        {
            "action": "export_selected_xlsx",
            "_selected_action": [one.pk],
        },
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == COLUMN_NAMES
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == ["Selected"]


def test_the_template_spreadsheet_is_downloadable_and_has_every_column(client, importer):
    client.force_login(importer)

    response = client.get("/admin/documents/document/import/template.xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in workbook["documents"][1]] == COLUMN_NAMES
    assert [row[0].value for row in workbook["columns"].iter_rows(min_row=2)] == [
        c.name for c in HEADERS
    ]
    csv_header = (TEMPLATE_DIR / "documents-template.csv").read_text(encoding="utf-8-sig").strip()
    assert csv_header == ",".join(COLUMN_NAMES)


def test_undo_from_the_import_history(client, importer, vocabulary, files):
    from documents.spreadsheets.importing import import_documents

    job = import_documents(files / "good_rows.csv", user=importer).job
    client.force_login(importer)

    page = client.get(reverse("admin:documents_importjob_change", args=[job.pk])).content.decode()
    assert "Undo this import" in page and "good_rows.csv" in page
    confirm = client.get(reverse("admin:documents_importjob_undo", args=[job.pk])).content.decode()
    assert "remove the 3 records it created" in confirm
    client.post(reverse("admin:documents_importjob_undo", args=[job.pk]))

    assert not Document.objects.exists()
    job.refresh_from_db()
    assert job.outcome == ImportJob.Outcome.UNDONE


def test_confirming_a_file_that_matches_the_archive_says_nothing_changed(
    client, importer, vocabulary, files
):
    from documents.spreadsheets.importing import import_documents

    import_documents(files / "good_rows.csv", user=importer)
    client.force_login(importer)
    preview = _upload(client, files / "good_rows.csv")
    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() or "" for name in confirm.fields}

    done = client.post(reverse("admin:documents_document_process_import"), data, follow=True)

    assert done.redirect_chain[-1][0] == reverse("admin:documents_importjob_changelist")
    assert "Nothing to change. Created 0, updated 0, unchanged 3" in done.content.decode()
    assert ImportJob.objects.count() == 1


def test_the_import_page_describes_every_column(client, importer):
    client.force_login(importer)

    page = client.get(IMPORT_URL).content.decode()

    for header in HEADERS:
        assert f"<dt><code>{header.name}</code></dt>" in page


def test_the_site_and_its_import_export_admin_run_without_django_import_export():
    """django-import-export is only the import benchmark's baseline, a dev dependency."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "sys.modules['import_export'] = None\n"
        "import django\n"
        "django.setup()\n"
        "from django.urls import reverse\n"
        "import archive_site.urls\n"
        "from django.core.management import call_command\n"
        "call_command('check')\n"
        "for name in ('import', 'process_import', 'export'):\n"
        "    print(reverse(f'admin:documents_document_{name}'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert "/admin/documents/document/process_import/" in done.stdout
