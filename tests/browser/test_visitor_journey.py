"""A visitor finds a collection from the home page and opens one of its documents."""

import pytest
from playwright.sync_api import expect

from tests.factories import CollectionFactory, DocumentFactory


@pytest.mark.django_db(transaction=True)
def test_visitor_reaches_a_document_from_the_home_page(live_server, page):
    collection = CollectionFactory(title="Iran-Soviet Relations")
    document = DocumentFactory(title="Letter, I. V. Stalin to Cde. Pishevari")
    collection.documents.add(document)

    page.goto(live_server.url)
    page.get_by_role("link", name="Iran-Soviet Relations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Iran-Soviet Relations")
    page.get_by_role("link", name=document.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(document.title)
    expect(page.get_by_text("Document Information")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_skip_link_is_the_first_thing_the_keyboard_reaches(live_server, page):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
