"""The scans on a document page: small labelled thumbnails by the viewer, in the scans' order."""

import re

import pytest

from documents.models import Scan, Status
from tests.factories import DocumentFactory
from tests.iiif.conftest import add_scan, pdf, photo

pytestmark = pytest.mark.django_db


def tiles(client, document):
    """[(label, viewer page or None)] of the thumbnails, as the page shows them."""
    body = client.get(document.get_absolute_url()).content.decode()
    grid = re.search(r'<ul class="scan-grid".*?</ul>', body, re.S).group(0)
    return [
        (re.sub(r"</?bdi>", "", label), int(page) if page else None)
        for page, label in re.findall(
            r'<a class="scan-tile" href="[^"]+"(?: data-viewer-page="(\d+)"[^>]*)?>.*?'
            r'<span class="scan-label">(.*?)</span>',
            grid,
            re.S,
        )
    ]


def test_thumbnails_are_labelled_by_caption_or_page_and_open_their_page_in_the_viewer(client):
    document = DocumentFactory(status=Status.PUBLISHED)
    add_scan(document, "envelope.png", photo(), order=1)
    add_scan(document, "letter.pdf", pdf((595, 842), (842, 595), (595, 842)), order=2)
    add_scan(document, "annex.png", photo(), caption="Annex", order=3)
    add_scan(document, "last.png", photo(), order=4)
    assert tiles(client, document) == [
        ("Page 1", 0),
        ("Pages 2–4 (PDF, 3 pages)", 1),
        ("Annex", 4),
        ("Page 6", 5),
    ]


def test_the_thumbnails_come_before_the_translation(client):
    document = DocumentFactory(status=Status.PUBLISHED, text="The translation begins here.")
    add_scan(document, "page.png", photo(), caption="Page one of the telegram")
    body = client.get(document.get_absolute_url()).content.decode()
    assert body.index('class="scan-grid"') < body.index("The translation begins here.")


def test_a_scan_not_ready_is_left_out_and_the_pages_count_only_those_shown(client):
    document = DocumentFactory(status=Status.PUBLISHED)
    waiting = add_scan(document, "first.png", photo(), order=1)
    Scan.objects.filter(pk=waiting.pk).update(processing=Scan.Processing.PENDING)
    add_scan(document, "second.png", photo(), order=2)
    assert tiles(client, document) == [("Page 1", 0)]


def test_a_caption_is_escaped(client):
    document = DocumentFactory(status=Status.PUBLISHED)
    add_scan(document, "page.png", photo(), caption="<img src=x onerror=alert(1)>")
    body = client.get(document.get_absolute_url()).content.decode()
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
