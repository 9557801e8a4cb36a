"""Uploading scans: checked by their contents, checksummed, and shown without camera metadata."""

import hashlib
import html as html_text
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from documents.models import Scan, Status
from tests.admin.conftest import form_data, image_bytes
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def upload(client, document, name, data, caption="Page 1"):
    url = reverse("admin:documents_document_change", args=[document.pk])
    response = client.get(url)
    fields = form_data(
        response,
        **{
            "scans-TOTAL_FORMS": str(int(form_data(response)["scans-TOTAL_FORMS"]) + 1),
        },
    )
    index = int(fields["scans-TOTAL_FORMS"]) - 1
    fields[f"scans-{index}-file"] = SimpleUploadedFile(name, data)
    fields[f"scans-{index}-caption"] = caption
    fields[f"scans-{index}-order"] = str(index + 1)
    return client.post(url, fields)


def scan_errors(response):
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "scans"
    )
    return " ".join(str(e) for form in formset.forms for e in form.errors.get("file", []))


def gps_jpeg():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Archive scanner"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (38.0, 4.0, 48.0)
    return image_bytes("JPEG", size=(800, 600), exif=exif.tobytes())


def pdf_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), "red").save(buffer, "PDF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "maker", "media_type"),
    [
        ("page.jpg", lambda: image_bytes("JPEG"), "image/jpeg"),
        ("page.png", lambda: image_bytes("PNG"), "image/png"),
        ("page.tif", lambda: image_bytes("TIFF"), "image/tiff"),
        ("telegram.pdf", pdf_bytes, "application/pdf"),
    ],
)
def test_jpeg_png_tiff_and_pdf_scans_are_stored_with_a_checksum_and_thumbnail(
    curator_client, name, maker, media_type
):
    document = DocumentFactory()
    data = maker()
    response = upload(curator_client, document, name, data)
    assert response.status_code == 302, scan_errors(response)
    scan = Scan.objects.get(document=document)
    assert scan.media_type == media_type
    assert scan.sha256 == hashlib.sha256(data).hexdigest()
    assert scan.byte_size == len(data)
    with scan.file.open("rb") as stored:
        assert stored.read() == data
    with scan.thumbnail.open("rb") as thumb:
        image = Image.open(thumb)
        assert image.format == "JPEG" and max(image.size) <= 320


def test_the_first_page_of_a_pdf_becomes_its_thumbnail(curator_client):
    document = DocumentFactory()
    upload(curator_client, document, "telegram.pdf", pdf_bytes())
    scan = Scan.objects.get(document=document)
    with scan.thumbnail.open("rb") as thumb:
        red, green, blue = Image.open(thumb).convert("RGB").getpixel((10, 10))
    assert red > 200 and green < 60 and blue < 60
    assert (scan.width, scan.height, scan.page_count) == (300, 400, 1)


def test_derivatives_of_a_photo_with_gps_carry_no_exif(curator_client):
    data = gps_jpeg()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    document = DocumentFactory()
    upload(curator_client, document, "photo.jpg", data)
    scan = Scan.objects.get(document=document)
    for derivative in (scan.thumbnail, scan.display_image):
        with derivative.open("rb") as handle:
            raw = handle.read()
        image = Image.open(io.BytesIO(raw))
        assert not image.getexif()
        assert "exif" not in image.info
        assert b"Exif" not in raw[:200] and b"Archive scanner" not in raw


def test_eps_is_refused_even_when_named_like_a_pdf(curator_client):
    document = DocumentFactory()
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    response = upload(curator_client, document, "scan.pdf", eps)
    assert "EPS (PostScript) files are refused" in scan_errors(response)
    assert not Scan.objects.exists()


def test_the_type_is_read_from_the_contents_not_the_name(curator_client):
    document = DocumentFactory()
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    response = upload(curator_client, document, "scan.jpg", gif.getvalue())
    assert "This file is a GIF image" in scan_errors(response)
    html = upload(curator_client, document, "scan.png", b"<html><script>alert(1)</script>")
    assert "HTML" in scan_errors(html)
    assert not Scan.objects.exists()


def test_a_png_saved_as_jpg_is_stored_as_png(curator_client):
    document = DocumentFactory()
    upload(curator_client, document, "mislabelled.jpg", image_bytes("PNG"))
    scan = Scan.objects.get()
    assert scan.media_type == "image/png" and scan.file.name.endswith(".png")


def test_files_over_the_size_cap_are_refused_with_the_limit(curator_client, settings):
    settings.SCAN_MAX_BYTES = 1000
    document = DocumentFactory()
    big = image_bytes("TIFF", size=(400, 400))
    response = upload(curator_client, document, "big.tif", big)
    assert "scans can be at most 0.0 MB" in scan_errors(response)
    assert not Scan.objects.exists()


def test_images_with_too_many_pixels_are_refused_before_decoding(curator_client, settings):
    settings.SCAN_MAX_PIXELS = 10_000
    document = DocumentFactory()
    response = upload(curator_client, document, "bomb.png", image_bytes("PNG", size=(200, 100)))
    assert "200 × 100 pixels" in scan_errors(response)
    assert "at most 0 megapixels" in scan_errors(response)
    assert not Scan.objects.exists()


def test_a_truncated_image_is_kept_and_marked_as_not_processed_with_the_reason(curator_client):
    # The header is read in the request; decoding, which finds the damage, happens in the worker.
    document = DocumentFactory()
    data = image_bytes("PNG", size=(300, 300), color="blue")
    response = upload(curator_client, document, "cut.png", data[: len(data) // 2])
    assert response.status_code == 302, scan_errors(response)
    scan = Scan.objects.get()
    assert scan.processing == Scan.Processing.FAILED
    assert scan.processing_status().startswith(
        "Could not be processed: The file starts like a PNG image but cannot be read"
    )
    change_page = curator_client.get(
        reverse("admin:documents_document_change", args=[document.pk])
    ).content.decode()
    assert "Could not be processed: The file starts like a PNG image" in change_page
    assert not scan.thumbnail


def test_the_same_file_cannot_be_attached_twice_to_a_document(curator_client):
    document = DocumentFactory()
    data = image_bytes("PNG")
    upload(curator_client, document, "a.png", data)
    response = upload(curator_client, document, "b.png", data)
    assert "already attached to this document" in scan_errors(response)


def test_published_documents_show_their_scans_publicly(curator_client, client):
    document = DocumentFactory(status=Status.PUBLISHED)
    upload(curator_client, document, "page.jpg", image_bytes("JPEG"), caption="First page")
    scan = Scan.objects.get()
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Scans of the original" in page
    assert scan.thumbnail.url in page and "First page" in page


def file_details(client, document):
    """The text of each scan's "file details" cell on the document form, and its markup."""
    page = client.get(reverse("admin:documents_document_change", args=[document.pk]))
    cells = re.findall(r'<td class="field-details">(.*?)</td>', page.content.decode(), re.S)
    # Without the label a cell carries for narrow screens.
    cells = [re.sub(r'<span class="cell-label">.*?</span>', "", cell) for cell in cells]
    texts = [" ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in cells]
    return [(text, cell) for text, cell in zip(texts, cells, strict=True) if "SHA" in text]


def test_a_processed_image_shows_its_size_dimensions_checksum_and_state(curator_client):
    document = DocumentFactory()
    data = image_bytes("PNG", size=(1200, 800))
    upload(curator_client, document, "page.png", data)
    scan = Scan.objects.get()
    [(text, html)] = file_details(curator_client, document)
    assert text.startswith(f"PNG · {len(data) / 1024:.1f} KB · 1,200 × 800 px")
    assert f"SHA-256 {scan.sha256[:12]}…" in text
    assert f'title="{scan.sha256}"' in html
    assert text.endswith("Processed: thumbnail and page images made")


def test_a_pdf_shows_its_page_count_and_its_first_pages_size(curator_client):
    buffer = io.BytesIO()
    pages = [Image.new("RGB", (300, 400), "white") for _ in range(3)]
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:])
    document = DocumentFactory()
    upload(curator_client, document, "cable.pdf", buffer.getvalue())
    [(text, _html)] = file_details(curator_client, document)
    assert " · 3 pages · 300 × 400 pt (first page)" in text
    assert text.startswith("PDF · ")


def test_a_large_scan_gives_its_size_in_megabytes(curator_client):
    document = DocumentFactory()
    upload(curator_client, document, "page.png", image_bytes("PNG"))
    Scan.objects.update(byte_size=2_500_000)
    [(text, _html)] = file_details(curator_client, document)
    assert text.startswith("PNG · 2.4 MB · 60 × 40 px")


def test_a_scan_waiting_for_the_worker_says_it_is_queued(curator_client):
    document = DocumentFactory()
    upload(curator_client, document, "page.jpg", image_bytes("JPEG", size=(640, 480)))
    Scan.objects.update(processing=Scan.Processing.PENDING, thumbnail="", display_image="")
    [(text, _html)] = file_details(curator_client, document)
    assert "640 × 480 px" in text
    assert text.endswith("Queued: waiting for the worker to make its thumbnail")


def test_a_scan_that_could_not_be_processed_shows_why(curator_client):
    document = DocumentFactory()
    data = image_bytes("PNG", size=(300, 300), color="blue")
    upload(curator_client, document, "cut.png", data[: len(data) // 2])
    [(text, html)] = file_details(curator_client, document)
    assert "300 × 300 px" in text
    assert "Could not be processed: The file starts like a PNG image but cannot be read" in text
    assert 'class="scan-processing scan-failed"' in html


def test_a_scan_saved_before_its_dimensions_were_read_still_shows_its_details(curator_client):
    # Django shows "-" for a cell whose code raised; a scan missing facts must not do that.
    document = DocumentFactory()
    upload(curator_client, document, "page.tif", image_bytes("TIFF"))
    Scan.objects.update(width=None, height=None, byte_size=0)
    [(text, _html)] = file_details(curator_client, document)
    assert text.startswith("TIFF · 0 bytes SHA-256 ")
    assert text.endswith("Processed: thumbnail and page images made")
