"""Scan derivatives: the pixel cap in force, bounded decoding, and what the public downloads.

These tests are about the files, not the queue: tasks run with the immediate backend (the
suite's default, set in pyproject.toml), which still makes the derivatives in a child process
with its limits. tests/tasks/test_worker.py runs the real worker.
"""

import io
import re
import time
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from PIL import Image

from documents.models import Scan, Status
from tests.admin.test_scans import scan_errors, upload
from tests.factories import DocumentFactory
from tests.tasks.files import flat_png, huge_page_pdf, pdf_with_metadata

pytestmark = pytest.mark.django_db

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_the_readme_cites_the_pixel_cap_that_is_in_force():
    assert "`SCAN_MAX_PIXELS`" in README and "150 megapixels" in README
    assert settings.SCAN_MAX_PIXELS == 150_000_000


def test_a_100_megapixel_scan_is_accepted_and_gets_its_thumbnail(curator_client):
    document = DocumentFactory()
    response = upload(curator_client, document, "map.png", flat_png(10_000, 10_000, "1"))
    assert response.status_code == 302, scan_errors(response)
    scan = Scan.objects.get()
    assert (scan.width, scan.height) == (10_000, 10_000)
    assert scan.processing == Scan.Processing.READY, scan.processing_error
    with scan.display_image.open("rb") as handle:
        assert Image.open(handle).size == (1600, 1600)


def test_a_scan_over_150_megapixels_is_refused_with_the_cap_in_the_message(curator_client):
    document = DocumentFactory()
    response = upload(curator_client, document, "big.png", flat_png(12_500, 12_500, "1"))
    assert "12,500 × 12,500 pixels (156 megapixels)" in scan_errors(response)
    assert "scans can have at most 150 megapixels" in scan_errors(response)
    assert not Scan.objects.exists()


def test_a_small_png_that_unpacks_to_400_megapixels_is_refused_before_decoding(curator_client):
    data = flat_png(20_000, 20_000)
    assert len(data) < 2_000_000  # 1.2 GB of pixels once decoded
    document = DocumentFactory()
    started = time.monotonic()
    response = upload(curator_client, document, "bomb.png", data)
    assert time.monotonic() - started < 5
    assert "The image has 400 megapixels; scans can have at most 150 megapixels" in scan_errors(
        response
    )
    assert not Scan.objects.exists()


def test_a_pdf_with_a_200_inch_page_gets_a_display_image_of_bounded_size(curator_client):
    document = DocumentFactory()
    response = upload(curator_client, document, "poster.pdf", huge_page_pdf(14_400))
    assert response.status_code == 302, scan_errors(response)
    scan = Scan.objects.get()
    assert scan.processing == Scan.Processing.READY, scan.processing_error
    assert (scan.width, scan.height) == (14_400, 14_400)
    with scan.display_image.open("rb") as handle:
        assert max(Image.open(handle).size) == 1600


def test_a_scan_that_needs_more_memory_than_the_limit_is_marked_with_the_reason(
    curator_client, settings
):
    settings.SCAN_PROCESS_MAX_MEMORY_MB = 300
    document = DocumentFactory(status=Status.PUBLISHED)
    response = upload(curator_client, document, "huge.png", flat_png(12_000, 12_000))
    assert response.status_code == 302, scan_errors(response)
    scan = Scan.objects.get()
    assert scan.processing == Scan.Processing.FAILED
    assert scan.processing_status() == (
        "Could not be processed: reading it needs more than 300 MB of memory, the limit "
        "(SCAN_PROCESS_MAX_MEMORY_MB). Save it at a lower resolution, or as a JPEG image, and "
        "upload it again."
    )
    # The public page leaves the scan out rather than linking a file that has no safe copy.
    page = curator_client.get(document.get_absolute_url())
    assert page.status_code == 200
    assert "Scans of the original" not in page.content.decode()


def test_a_scan_that_takes_longer_than_the_time_limit_is_marked_with_the_reason(
    curator_client, settings
):
    settings.SCAN_PROCESS_TIMEOUT = 1
    document = DocumentFactory()
    upload(curator_client, document, "slow.png", flat_png(12_000, 12_000))
    scan = Scan.objects.get()
    assert scan.processing_status().startswith(
        "Could not be processed: making its thumbnail took longer than 1 seconds, the limit "
        "(SCAN_PROCESS_TIMEOUT)."
    )


def _public_links(client, document):
    page = client.get(document.get_absolute_url()).content.decode()
    section = page[page.index("Scans of the original") :]
    return page, re.findall(r'<a class="scan-tile" href="([^"]+)"[^>]*>\s*<img', section)


def _served(url):
    """The stored file a media URL serves (media are served as files, not through Django)."""
    assert url.startswith(settings.MEDIA_URL) or url.startswith("/" + settings.MEDIA_URL)
    name = url.split(settings.MEDIA_URL, 1)[1]
    return (Path(settings.MEDIA_ROOT) / name).read_bytes()


def test_the_public_downloads_a_pdf_scan_without_its_author_xmp_or_photo_gps(
    curator_client, client
):
    original = pdf_with_metadata()
    assert b"Agent Zarnitsa" in original and b"Exif" in original
    document = DocumentFactory(status=Status.PUBLISHED)
    upload(curator_client, document, "telegram.pdf", original, caption="Telegram")
    scan = Scan.objects.get()
    with scan.file.open("rb") as stored:
        assert stored.read() == original  # the original is kept exactly as uploaded
    page, links = _public_links(client, document)
    assert len(links) == 1
    assert scan.file.url not in page
    served = _served(links[0])
    assert b"Agent Zarnitsa" not in served and b"Secret Scanner" not in served
    with pikepdf.open(io.BytesIO(served)) as pdf:
        assert "/Info" not in pdf.trailer or not dict(pdf.docinfo)
        assert "/Metadata" not in pdf.Root
        assert not any(
            "/Metadata" in obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream)
        )
        (image,) = pdf.pages[0].get_images().values()
        photo = image.read_raw_bytes()
        assert b"Exif" not in photo and b"GPS" not in photo
        decoded = Image.open(io.BytesIO(photo))
        assert decoded.size == (400, 300) and not decoded.getexif()
        assert len(pdf.pages) == 1


def test_no_public_address_gives_away_the_original_of_a_photo(curator_client, client):
    from tests.tasks.files import gps_jpeg

    document = DocumentFactory(status=Status.PUBLISHED)
    upload(curator_client, document, "photo.jpg", gps_jpeg())
    scan = Scan.objects.get()
    page, links = _public_links(client, document)
    # The original (with the camera's GPS) is named by its checksum; nothing public shows it.
    assert scan.sha256 not in page
    assert b"GPS" not in _served(links[0]) and b"Exif" not in _served(links[0])


def test_process_scans_gives_an_older_pdf_scan_its_public_copy(curator_client, client):
    from django.core.management import call_command

    document = DocumentFactory(status=Status.PUBLISHED)
    upload(curator_client, document, "telegram.pdf", pdf_with_metadata())
    # As a PDF uploaded before public copies existed: derivatives, but no public copy.
    Scan.objects.update(public_file="")
    assert "Scans of the original" not in client.get(document.get_absolute_url()).content.decode()
    call_command("process_scans")
    scan = Scan.objects.get()
    assert scan.public_file and scan.processing == Scan.Processing.READY
    _page, links = _public_links(client, document)
    assert b"Agent Zarnitsa" not in _served(links[0])
