"""A researcher searches, narrows with filters, pages through results and cites a document."""

import re

import pytest
from playwright.sync_api import expect

from documents.models import Contribution, Document, Status
from tests.public.records import build_archive

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def records(transactional_db):
    return build_archive()


def test_researcher_searches_from_home_and_narrows_with_facets(live_server, page, records):
    page.goto(live_server.url)
    page.get_by_label("Search titles, texts, summaries").fill("Bagriov")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results")
    expect(page.get_by_role("status").first).to_contain_text("2 documents matching “Bagriov”")

    facets = page.get_by_role("navigation", name="Narrow the results")
    facets.get_by_role("link", name=re.compile(r"^Telegram 1$")).click()
    expect(page.get_by_role("status").first).to_contain_text("1 document matching")
    expect(page.get_by_role("link", name=records.baku_telegram.title)).to_be_visible()
    assert "type=telegram" in page.url and "q=Bagriov" in page.url

    page.get_by_role("link", name="Remove filter Type: Telegram").click()
    expect(page.get_by_role("status").first).to_contain_text("2 documents matching")

    page.get_by_label("From").fill("1946")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("status").first).to_contain_text("1 document matching")
    expect(page.get_by_role("link", name=records.bagirov_letter.title)).to_be_visible()


def test_researcher_pages_through_a_collection_and_sorts_it(live_server, page, records):
    for n in range(25):
        document = Document.objects.create(
            title=f"Cable {n:02d} from Tabriz", date_text=f"{1900 + n}", status=Status.PUBLISHED
        )
        records.collection.documents.add(document)
    page.goto(live_server.url + records.collection.get_absolute_url())
    expect(page.get_by_role("status").first).to_contain_text("28 documents, showing 1–20.")
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_role("status").first).to_contain_text("showing 21–28")
    expect(page.get_by_role("link", name="Page 1", exact=True)).to_be_visible()

    page.get_by_label("Sort by").select_option("-date")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("status").first).to_contain_text("showing 1–20")
    first = page.locator(".results .document-summary h3").first
    expect(first).to_have_text(records.stalin_letter.title)

    page.get_by_role("link", name=re.compile(r"^Tabriz 2$")).click()
    expect(page.get_by_role("status").first).to_contain_text("2 documents")
    assert "sort=-date" in page.url and "place=tabriz" in page.url


def test_researcher_copies_the_citation_and_downloads_ris(live_server, page, records):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + records.stalin_letter.get_absolute_url())
    page.get_by_role("link", name="Cite this document").click()
    cite = page.locator("section.cite")
    expect(cite.get_by_role("heading", name="Cite this")).to_be_visible()
    cite.get_by_role("button", name="Copy citation").click()
    expect(cite.get_by_role("status")).to_have_text("Citation copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("I. V. Stalin to Ja'far Pishevari, “Letter, I. V. Stalin to Cde.")
    assert copied.endswith(")."), copied

    with page.expect_download() as download:
        cite.get_by_role("link", name="RIS").click()
    assert download.value.suggested_filename == f"record-{records.stalin_letter.record_id}.ris"
    # A letter: RIS PCOMM, which Zotero's RIS translator imports as a Letter.
    assert "TY  - PCOMM" in open(download.value.path(), encoding="utf-8").read()


def test_document_people_and_places_lead_to_their_pages(live_server, page, records):
    page.goto(live_server.url + records.baku_telegram.get_absolute_url())
    page.get_by_role("link", name="M. D. Bagirov").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("M. D. Bagirov")
    expect(page.get_by_text("Also written: Bagirov; M.D. Bagriov")).to_be_visible()
    page.get_by_role("link", name=re.compile("Search and filter the 2 documents")).click()
    expect(page.get_by_role("status").first).to_contain_text("2 documents")
    page.get_by_role("link", name=records.baku_telegram.title).click()
    page.get_by_role("link", name="Tabriz", exact=True).click()
    expect(page.get_by_role("link", name="Remove filter Places: Tabriz")).to_be_visible()


def test_keyboard_alone_reaches_the_search_and_the_results(live_server, page, records):
    page.goto(live_server.url + "/documents/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Search", exact=True)).to_be_focused()
    page.keyboard.type("Pishevari")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("matching “Pishevari”")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.results h3') !== null"):
            break
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == records.stalin_letter.title


def test_pages_fit_a_phone_without_sideways_scrolling(live_server, page, records):
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        "/",
        records.collection.get_absolute_url(),
        "/documents/?q=Tabriz",
        records.baku_telegram.get_absolute_url(),
        records.bagirov.get_absolute_url(),
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_a_printed_document_leaves_out_navigation_and_buttons(live_server, page, records):
    page.goto(live_server.url + records.stalin_letter.get_absolute_url())
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator(".site-search")).to_be_hidden()
    expect(page.locator(".cite-downloads")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#chicago-note")).to_be_visible()


def test_drafts_never_appear_in_the_browser(live_server, page, records):
    Contribution.objects.filter(document=records.draft).update(role="author")
    page.goto(live_server.url + "/documents/?q=Tabriz")
    expect(page.get_by_text(records.draft.title)).to_have_count(0)
