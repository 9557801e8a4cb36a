"""The deep-zoom scan viewer on a document page (OpenSeadragon fed by the IIIF manifest):
beside the texts, usable with the keyboard alone, paging through a PDF, its labelled thumbnails
opening their pages, passing axe, and the thumbnails and links still there without JavaScript."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from documents.models import ScanImage, Status
from tests.browser.test_deleted_records import both_widths, shots
from tests.browser.test_public_quality import AXE, WCAG_22_A_AA
from tests.factories import DocumentFactory
from tests.iiif.conftest import add_scan, pdf, photo, validator_test_image

VIEWER = Path(settings.BASE_DIR) / "static" / "vendor" / "openseadragon" / "openseadragon.min.js"


@pytest.fixture
def scanned(transactional_db):
    assert VIEWER.exists(), f"{VIEWER} is missing: run `make viewer` (`make test` does)."
    document = DocumentFactory(
        status=Status.PUBLISHED,
        title="Letter from Baku",
        text="First paragraph of the translation.\n\nSecond paragraph.",
        transcript="Первый абзац.\n\nВторой абзац.",
    )
    add_scan(document, "squares.png", validator_test_image(), caption="Envelope", order=1)
    add_scan(
        document, "letter.pdf", pdf((595, 842), (842, 595), (595, 842)), caption="Letter", order=2
    )
    return document


def _open(page, url):
    page.goto(url)
    viewer = page.locator(".viewer")
    expect(viewer).to_be_visible()
    page.wait_for_function(
        "() => { const v = document.querySelector('.viewer').viewer;"
        " return v && v.world.getItemCount() === 1 && v.world.getItemAt(0).getFullyLoaded(); }"
    )
    return viewer


def _shown_image(page):
    """The IIIF image service the viewer shows now."""
    return page.evaluate("document.querySelector('.viewer').viewer.world.getItemAt(0).source.id")


def _zoom(page):
    return page.evaluate(f"{VIEWPORT}.getZoom(true)")


def _wait_for_image(page, key):
    page.wait_for_function(f"() => {ITEM}?.source.id.endsWith('{key}')")


OSD = "document.querySelector('.viewer').viewer"
VIEWPORT = f"{OSD}.viewport"
ITEM = f"{OSD}.world.getItemAt(0)"


def test_the_viewer_opens_the_scan_beside_the_texts_and_works_by_keyboard(
    live_server, page, scanned, tmp_path
):
    failed = []
    page.on(
        "response",
        lambda r: failed.append(r.url) if "/iiif/" in r.url and r.status != 200 else None,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, live_server.url + scanned.get_absolute_url())
    keys = list(ScanImage.objects.order_by("scan__order", "page").values_list("key", flat=True))
    assert _shown_image(page).endswith(keys[0])

    # Beside the translation on a wide screen.
    scans_box = page.locator(".document-scans").bounding_box()
    text_box = page.locator(".document-text").bounding_box()
    assert scans_box["x"] + scans_box["width"] <= text_box["x"]
    assert abs(scans_box["y"] - text_box["y"]) < 80

    # The buttons are reached with Tab, then the image itself, whose focus is visible.
    page.get_by_role("button", name="Fit page").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "openseadragon-canvas" in focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert "Page 1 of 4" in label and "Envelope" in label

    # Zoom with the keyboard, then back to the whole page with 0.
    before = _zoom(page)
    page.keyboard.press("Equal")
    page.keyboard.press("Shift+Equal")  # "+"
    page.wait_for_function(f"() => {VIEWPORT}.getZoom(true) > {before * 1.5}")
    page.keyboard.press("Digit0")
    page.wait_for_function(f"() => Math.abs({VIEWPORT}.getZoom(true) - {before}) < {before * 0.05}")
    page.wait_for_function(f"() => {ITEM}?.getFullyLoaded()")
    # Kept in the test's temporary folder, to look at (pytest --basetemp=DIR keeps it there).
    page.screenshot(path=tmp_path / "scan-viewer.png")

    # Page through the PDF's pages: Page Down, K, and the named button.
    status = page.locator(".viewer-status")
    page.keyboard.press("PageDown")
    expect(status).to_have_text("Page 2 of 4: Letter, page 1")
    _wait_for_image(page, keys[1])
    page.keyboard.press("KeyK")
    expect(status).to_have_text("Page 3 of 4: Letter, page 2")
    page.get_by_role("button", name="Next page").click()
    expect(status).to_have_text("Page 4 of 4: Letter, page 3")
    _wait_for_image(page, keys[3])
    page.keyboard.press("PageUp")
    expect(status).to_have_text("Page 3 of 4: Letter, page 2")
    page.wait_for_function(f"() => {ITEM}?.getFullyLoaded()")
    assert failed == []


def test_the_page_with_the_viewer_open_has_no_wcag_22_a_or_aa_violations(
    live_server, page, scanned
):
    _open(page, live_server.url + scanned.get_absolute_url())
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_A_AA
    )
    violations = [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert violations == []


def test_on_a_phone_the_scans_come_above_the_texts(live_server, page, scanned):
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, live_server.url + scanned.get_absolute_url())
    scans_box = page.locator(".document-scans").bounding_box()
    text_box = page.locator(".document-text").bounding_box()
    assert scans_box["y"] + scans_box["height"] <= text_box["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_without_javascript_the_page_shows_the_thumbnails_and_links(
    live_server, new_context, scanned
):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + scanned.get_absolute_url())
    expect(page.locator(".viewer")).to_be_hidden()
    expect(page.locator(".scan-grid img")).to_have_count(2)
    expect(page.get_by_role("link", name="Letter (PDF, 3 pages)")).to_be_visible()
    manifest = page.get_by_role("link", name="IIIF manifest")
    expect(manifest).to_have_attribute("href", f"/iiif/documents/{scanned.record_id}/manifest.json")
    context.close()  # the policy watch evaluates scripts in open pages; this one runs none


def test_a_single_image_needs_no_page_buttons(live_server, page, transactional_db):
    document = DocumentFactory(status=Status.PUBLISHED)
    add_scan(document, "photo.png", photo(2000, 1400))
    _open(page, live_server.url + document.get_absolute_url())
    expect(page.get_by_role("button", name="Next page")).to_be_hidden()
    expect(page.get_by_role("button", name="Zoom in")).to_be_visible()


def test_the_thumbnails_sit_under_the_viewer_and_open_their_page_by_keyboard(
    live_server, page, scanned, tmp_path
):
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, live_server.url + scanned.get_absolute_url())
    keys = list(ScanImage.objects.order_by("scan__order", "page").values_list("key", flat=True))
    grid = page.locator(".scan-grid")
    envelope = grid.get_by_role("link", name="Envelope")
    letter = grid.get_by_role("link", name="Letter (PDF, 3 pages)")
    expect(envelope).to_have_attribute("aria-current", "true")

    # Small, under the viewer, the two within one screen as the scans stay beside the texts.
    canvas_box = page.locator(".viewer-canvas").bounding_box()
    grid_box = grid.bounding_box()
    assert grid_box["y"] >= canvas_box["y"] + canvas_box["height"]
    assert page.locator(".document-scans").bounding_box()["height"] <= 900
    assert letter.locator("img").bounding_box()["width"] <= 120

    # Tab reaches the thumbnails; Enter shows the page in the viewer and marks it.
    letter.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(page.locator(".viewer-status")).to_have_text("Page 2 of 4: Letter, page 1")
    _wait_for_image(page, keys[1])
    expect(letter).to_have_attribute("aria-current", "true")
    expect(envelope).not_to_have_attribute("aria-current", "true")
    assert page.url.endswith(scanned.get_absolute_url())  # the page stayed, the viewer turned
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".viewer-status")).to_have_text("Page 1 of 4: Envelope")
    page.wait_for_function(f"() => {ITEM}?.getFullyLoaded()")
    both_widths(page, shots(tmp_path), "document-scan-grid")


def test_on_a_phone_the_thumbnails_fit_between_the_viewer_and_the_texts(live_server, page, scanned):
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, live_server.url + scanned.get_absolute_url())
    grid_box = page.locator(".scan-grid").bounding_box()
    text_box = page.locator(".document-text").bounding_box()
    assert grid_box["y"] + grid_box["height"] <= text_box["y"]
    assert grid_box["x"] >= 0 and grid_box["x"] + grid_box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
