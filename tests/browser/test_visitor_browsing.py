"""The browse pages and the timeline in a browser: axe-core, the Nu HTML Checker, the keyboard.

Screenshots of the pages are written to the test's temporary folder (BROWSE_SCREENSHOTS names
another folder to keep them), for a person to look at.
"""

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from archive_collections.models import Collection
from documents.models import Status
from tests.browser.test_public_quality import VNU, axe_violations
from tests.factories import DocumentFactory
from tests.public.records import build_archive

DATES = ["1940s", "1945/1946", "circa 1946", "March 1947", "1950 or earlier", "undated", "1953"]


@pytest.fixture
def records(transactional_db):
    records = build_archive()
    for text in DATES:
        records.collection.documents.add(DocumentFactory(date_text=text, title=f"On {text}"))
    DocumentFactory(date_text="1938", status=Status.DRAFT)
    return records


def browse_pages(records):
    return {
        "people": "/people/",
        "people by letter": "/people/?letter=M",
        "people found": "/people/?q=Bagriov",
        "people not found": "/people/?q=Churchill",
        "subjects": "/subjects/",
        "places": "/places/",
        "document list with the timeline": "/documents/?place=tabriz",
        "collection with the timeline": records.collection.get_absolute_url(),
    }


def screenshots(tmp_path):
    folder = Path(os.environ.get("BROWSE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.django_db(transaction=True)
def test_browse_pages_and_the_timeline_have_no_wcag_22_a_or_aa_violations(
    live_server, page, records, tmp_path
):
    problems = {}
    folder = screenshots(tmp_path)
    for name, path in browse_pages(records).items():
        if violations := axe_violations(page, live_server.url + path):
            problems[name] = violations
        page.screenshot(path=folder / f"{name.replace(' ', '-')}.png", full_page=True)
    # The table behind the chart, opened, and a narrow screen, where the chart scrolls.
    page.goto(live_server.url + records.collection.get_absolute_url())
    page.get_by_text("The documents per year as a table").click()
    page.screenshot(path=folder / "timeline-table.png", full_page=True)
    page.set_viewport_size({"width": 380, "height": 800})
    if violations := axe_violations(page, live_server.url + "/documents/"):
        problems["narrow document list"] = violations
    page.screenshot(path=folder / "timeline-narrow.png", full_page=True)
    assert problems == {}


@pytest.mark.django_db(transaction=True)
def test_browse_pages_and_the_timeline_are_valid_html(live_server, records, tmp_path):
    java = shutil.which("java")
    assert java, "The Nu HTML Checker needs Java (apt-get install default-jre-headless)."
    files = {}
    for name, path in browse_pages(records).items():
        html = urllib.request.urlopen(live_server.url + path).read()  # noqa: S310 - local server
        target = tmp_path / f"{name.replace(' ', '-')}.html"
        target.write_bytes(html)
        files[str(target)] = name
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'))}: line {m.get('lastLine')}: "
        f"{m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_a_keyboard_user_chooses_a_year_from_the_timeline_and_gets_that_years_documents(
    live_server, page, records
):
    collection = Collection.objects.get(pk=records.collection.pk)
    page.goto(live_server.url + collection.get_absolute_url())
    bar = page.locator('.timeline-chart a[aria-label^="1947:"]')
    assert bar.get_attribute("aria-label") == "1947: 2 documents"  # 1940s and March 1947
    bar.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**date_from=1947&date_to=1947")
    assert page.locator(".result-count").inner_text().startswith("2 documents")
    assert page.locator("#date-from").input_value() == "1947"


@pytest.mark.django_db(transaction=True)
def test_a_visitor_finds_a_person_by_a_misspelling_and_opens_their_page(live_server, page, records):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.get_by_label("Find a person by any name they are written under").fill("Bagriov")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="M. D. Bagirov").click()
    assert page.locator("h1").inner_text() == "M. D. Bagirov"
