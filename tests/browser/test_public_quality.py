"""Accessibility (axe-core) and HTML validity (the Nu HTML Checker) of the public pages.

Both checkers come from npm (package.json; `make test` installs them with `npm ci`): axe-core is
injected into Debian's chromium by Playwright, and vnu-jar runs on the machine's Java.
"""

import json
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from documents.models import Status
from tests.public.records import build_archive

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_22_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def public_pages(records):
    return {
        "home": "/",
        "collections": "/collections/",
        "collection": records.collection.get_absolute_url(),
        "search results": "/documents/?q=Tabriz&place=tabriz",
        "browse with an invalid date": "/documents/?date_from=1946-02-31",
        "document": records.bagirov_letter.get_absolute_url(),
        "person": records.bagirov.get_absolute_url(),
        "not found": "/no-such-page/",
        "withdrawn": records.withdrawn.get_absolute_url(),
    }


@pytest.fixture
def records(transactional_db):
    records = build_archive()
    records.withdrawn = records.draft
    records.draft.status = Status.WITHDRAWN
    records.draft.save()
    return records


def axe_violations(page, url, *, read_imported_css=True):
    """axe-core's WCAG 2.2 A and AA violations on `url`, one line each.

    `read_imported_css=False` for pages whose stylesheets @import others (Django admin's
    forms.css imports widgets.css): axe copies such sheets into inline <style> elements to read
    them, which the site's CSP refuses. Only the css-orientation-lock rule reads them, and no
    stylesheet of the admin (Django's, adminsortable2's or ours) has an orientation query.
    """
    assert AXE.exists(), f"{AXE} is missing: run `make test` (it installs npm tools with npm ci)."
    page.goto(url)
    # Evaluated through the DevTools protocol: a <script> tag would be refused by the site's CSP.
    page.evaluate(AXE.read_text())
    options = {"runOnly": {"type": "tag", "values": WCAG_22_A_AA}}
    if not read_imported_css:
        options["preload"] = {"assets": ["media"]}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.mark.django_db(transaction=True)
def test_public_pages_have_no_wcag_22_a_or_aa_violations(live_server, page, records):
    problems = {}
    for name, path in public_pages(records).items():
        if violations := axe_violations(page, live_server.url + path):
            problems[name] = violations
    assert problems == {}


@pytest.mark.django_db(transaction=True)
def test_public_pages_are_valid_html(live_server, records, tmp_path):
    assert VNU.exists(), f"{VNU} is missing: run `make test` (it installs npm tools with npm ci)."
    java = shutil.which("java")
    assert java, "The Nu HTML Checker needs Java (apt-get install default-jre-headless)."
    files = {}
    for name, path in public_pages(records).items():
        try:
            response = urllib.request.urlopen(live_server.url + path)  # noqa: S310 - local server
            html = response.read()
        except urllib.error.HTTPError as error:  # 404 and 410 pages are checked too
            html = error.read()
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
        f"{page_name(files, m)}: line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == []


def page_name(files, message):
    url = message.get("url", "")
    return files.get(url.removeprefix("file:"), url)
