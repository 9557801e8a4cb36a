"""The API's Swagger page works under the site's Content-Security-Policy: its scripts and styles
are our own static files (drf-spectacular-sidecar), and chromium refuses nothing on it."""

import pytest
from playwright.sync_api import expect

from tests.discovery.records import build_open_archive


@pytest.mark.django_db(transaction=True)
def test_the_api_docs_page_lists_every_endpoint_and_tries_one(live_server, page, csp_watch):
    build_open_archive()
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_text("Digital Archive API").first).to_be_visible()
    for path in ("/api/documents/", "/api/people/{slug}/", "/api/places/"):
        expect(page.get_by_text(path, exact=True).first).to_be_visible()
    page.get_by_text("/api/subjects/", exact=True).first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".response .microlight").first).to_contain_text("Iran Crisis, 1946")
    csp_watch.settle()
