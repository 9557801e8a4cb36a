"""Documents with real scans for the IIIF tests: uploads checked and processed as the admin does
(the derivatives made in the child process, by the immediate task backend)."""

import io

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from iiif_validator.validator import ValidationInfo
from PIL import Image

from documents.models import Scan, Status
from documents.scans import apply_upload, check_upload
from documents.tasks import scans as scan_tasks
from tests.factories import DocumentFactory


def validator_test_image():
    """The IIIF validator's test image: 1000 × 1000 pixels, 10 × 10 squares of the colours its
    `id_squares` test looks for (column x, row y has `colorInfo[x][y]`)."""
    colours = ValidationInfo().colorInfo
    image = Image.new("RGB", (1000, 1000), "white")
    for x in range(10):
        for y in range(10):
            image.paste(colours[x][y], (x * 100, y * 100, x * 100 + 100, y * 100 + 100))
    return _png(image)


def photo(width=1300, height=900, colour=(120, 90, 60)):
    return _png(Image.new("RGB", (width, height), colour))


def pdf(*pages):
    """A PDF with pages of the given sizes in points, e.g. ((595, 842), (842, 595))."""
    document = pypdfium2.PdfDocument.new()
    for width, height in pages:
        document.new_page(width, height)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


def _png(image):
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def add_scan(document, name, data, *, caption="", order=0):
    """A scan of `document` from the file `data`, with its derivatives made."""
    upload = SimpleUploadedFile(name, data)
    checked = check_upload(upload)
    scan = Scan(document=document, caption=caption, order=order)
    apply_upload(scan, upload, checked)
    scan.save()
    scan_tasks.schedule(scan)
    scan.refresh_from_db()
    assert scan.processing == Scan.Processing.READY, scan.processing_error
    return scan


@pytest.fixture
def scanned_document(db):
    """A published document with a photo and a two-page PDF: three canvases."""
    document = DocumentFactory(status=Status.PUBLISHED, title="Telegram to Moscow")
    add_scan(document, "photo.png", photo(), caption="Envelope", order=1)
    add_scan(document, "letter.pdf", pdf((595, 842), (842, 595)), caption="Letter", order=2)
    return document
