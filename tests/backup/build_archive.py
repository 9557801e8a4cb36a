"""Build a small archive the way curators do, in the database DATABASE_URL names (a subprocess).

Run as `python -m tests.backup.build_archive` from the project root with DATABASE_URL and
MEDIA_ROOT set: it migrates, imports a spreadsheet with the real importer (an ImportJob with its
ImportChange rows and an import revision), edits records through the admin (history versions),
uploads scans through the admin's scan inline (originals and derivatives in MEDIA_ROOT) and
gives a collection an image. pytest-django's own test database cannot be used: it is in memory
on SQLite, and pg_dump sees only committed data.
"""

import io
import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")
django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from PIL import ExifTags, Image  # noqa: E402

from archive_collections.models import Collection  # noqa: E402
from documents.models import Document, ImportJob, Person, Scan  # noqa: E402
from tests.admin.conftest import form_data, image_bytes  # noqa: E402

SPREADSHEET = Path(__file__).resolve().parent.parent / "importing" / "files" / "good_rows.csv"


def pdf_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), "red").save(buffer, "PDF")
    return buffer.getvalue()


def gps_jpeg():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Archive scanner"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    return image_bytes("JPEG", size=(800, 600), exif=exif.tobytes())


def post_change(client, url, response=None, **changes):
    response = response or client.get(url)
    result = client.post(url, form_data(response, **changes))
    assert result.status_code == 302, result.content[:2000]


def upload_scan(client, document, name, data, caption):
    url = reverse("admin:documents_document_change", args=[document.pk])
    response = client.get(url)
    fields = form_data(response)
    index = int(fields["scans-TOTAL_FORMS"])
    fields["scans-TOTAL_FORMS"] = str(index + 1)
    fields[f"scans-{index}-file"] = SimpleUploadedFile(name, data)
    fields[f"scans-{index}-caption"] = caption
    fields[f"scans-{index}-order"] = str(index + 1)
    result = client.post(url, fields)
    assert result.status_code == 302, result.content[:2000]


def main():
    setup_test_environment()
    call_command("migrate", interactive=False, verbosity=0)
    curator = User.objects.create_user("mila", password="a-long-test-password", is_staff=True)
    curator.groups.add(Group.objects.get(name="Curator"))
    call_command(
        "import_documents", str(SPREADSHEET), "--create-missing", "--user", "mila", verbosity=0
    )
    assert ImportJob.objects.count() == 1 and ImportJob.objects.get().changes.exists()

    client = Client()
    client.force_login(curator)
    letter, telegram = Document.objects.order_by("pk")[:2]
    url = reverse("admin:documents_document_change", args=[letter.pk])
    post_change(client, url, title="Letter, I. V. Stalin to Cde. Pishevari (corrected)")
    post_change(client, url, summary="A second correction, with “quotes” and Persian: آذربایجان")
    person = Person.objects.get(name="Qavam")
    post_change(
        client,
        reverse("admin:documents_person_change", args=[person.pk]),
        note="Prime Minister of Iran.",
    )

    upload_scan(client, letter, "page-1.jpg", gps_jpeg(), "Page 1")
    upload_scan(client, letter, "page-2.png", image_bytes("PNG", color="navy"), "Page 2")
    upload_scan(client, telegram, "telegram.pdf", pdf_bytes(), "The telegram")
    assert Scan.objects.count() == 3

    collection = Collection.objects.get()
    collection.image.save("map.png", ContentFile(image_bytes("PNG", size=(120, 80))))


if __name__ == "__main__":
    main()
