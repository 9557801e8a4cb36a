"""A visitor's view of the collections page, a withdrawn record and a date filter that explains
itself: at 1,280 and 390 px, by keyboard, with no WCAG 2.2 A or AA violations."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import expect

from documents.models import Status
from tests.admin.conftest import image_bytes
from tests.browser.test_deleted_records import PASSWORD, both_widths, shots
from tests.browser.test_import_reconciliation import curator_role
from tests.browser.test_public_quality import axe_violations
from tests.factories import CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fits(page, width=390):
    page.set_viewport_size({"width": width, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_collections_page_shows_each_collection_with_its_documents_and_years(
    live_server, page, tmp_path
):
    iran = CollectionFactory(
        title="Iran Crisis of 1946",
        description=(
            "Soviet and Iranian documents on the crisis over Azerbaijan and Kurdistan, from the "
            "occupation of northern Iran in 1941 to the withdrawal of the Red Army in May 1946 "
            "and the fall of the Azerbaijan People's Government at the end of that year."
        ),
    )
    iran.image.save("tehran.jpg", ContentFile(image_bytes(size=(320, 220), color="#7a6a58")))
    for written in ("May 8, 1946", "November 1945", "1941"):
        iran.documents.add(DocumentFactory(date_text=written))
    iran.documents.add(DocumentFactory(date_text="1990", status=Status.DRAFT))
    soviet = CollectionFactory(title="Soviet Foreign Policy", description="Letters and cables.")
    soviet.documents.add(DocumentFactory(date_text="1953"))
    CollectionFactory(title="A draft collection", status=Status.DRAFT)

    page.goto(live_server.url + "/collections/")
    entries = page.locator(".collection-entry")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("Iran Crisis of 1946")
    expect(entries.first).to_contain_text("3 documents · 1941–1946")
    expect(entries.nth(1)).to_contain_text("1 document · 1953")
    expect(page.locator("main")).not_to_contain_text("A draft collection")
    # By keyboard, from the skip link to the first collection.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name="Iran Crisis of 1946")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + iran.get_absolute_url())

    page.goto(live_server.url + "/collections/")
    both_widths(page, shots(tmp_path), "collections-page")
    fits(page)
    assert axe_violations(page, page.url) == []


def test_a_curator_withdraws_a_document_with_a_public_reason_and_visitors_read_it(
    live_server, page, django_user_model, tmp_path
):
    folder = shots(tmp_path)
    document = DocumentFactory(
        title="Telegram from Bagirov to Stalin on the Tabriz oil concession",
        date_text="05/08/1946",
    )
    user = django_user_model.objects.create_user("mila", password=PASSWORD, is_staff=True)
    user.groups.add(curator_role())
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("mila")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Withdraw from the list, then give the reason beside the status in the form.
    page.goto(live_server.url + reverse("admin:documents_document_changelist"))
    page.locator(f"input[name=_selected_action][value='{document.pk}']").check()
    page.locator("select[name=action]").select_option("withdraw_selected")
    page.locator(".actions button[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("Withdrew 1 document")
    page.goto(live_server.url + reverse("admin:documents_document_change", args=[document.pk]))
    reason = page.get_by_label("Public reason for withdrawal")
    expect(page.locator(".field-withdrawal_reason")).to_contain_text("Public: shown on the")
    reason.fill(
        "Withdrawn at the request of the rights holder while the translation is checked "
        "against the original."
    )
    reason.scroll_into_view_if_needed()
    both_widths(page, folder, "admin-withdrawal-reason")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    visitor = page.context.browser.new_page()
    response = visitor.goto(live_server.url + document.get_absolute_url())
    assert response.status == 410
    expect(visitor.get_by_role("heading", level=1)).to_have_text(document.title)
    expect(visitor.locator(".record-facts")).to_contain_text(str(document.record_id))
    expect(visitor.locator(".record-facts")).to_contain_text("May 8, 1946")
    expect(visitor.locator(".withdrawal-reason")).to_contain_text("at the request of the rights")
    expect(visitor.locator(".citation-note")).to_contain_text("your citation remains a record")
    both_widths(visitor, folder, "withdrawn-document")
    fits(visitor)
    assert axe_violations(visitor, visitor.url) == []

    # A collection, the same way.
    collection = CollectionFactory(title="Iran Crisis of 1946")
    page.goto(live_server.url + reverse("admin:collections_collection_changelist"))
    page.locator(f"input[name=_selected_action][value='{collection.pk}']").check()
    page.locator("select[name=action]").select_option("withdraw_selected")
    page.locator(".actions button[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("Withdrew 1 collection")
    page.goto(
        live_server.url + reverse("admin:collections_collection_change", args=[collection.pk])
    )
    page.get_by_label("Public reason for withdrawal").fill(
        "Merged into the collection Azerbaijan Crisis."
    )
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    response = visitor.goto(live_server.url + collection.get_absolute_url())
    assert response.status == 410
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Iran Crisis of 1946")
    expect(visitor.locator(".withdrawal-reason")).to_contain_text("Azerbaijan Crisis")
    both_widths(visitor, folder, "withdrawn-collection")
    assert axe_violations(visitor, visitor.url) == []
    visitor.close()


def test_the_date_filter_refuses_a_reversed_range_and_explains_wide_dates(
    live_server, page, tmp_path
):
    DocumentFactory(title="Telegram of May 8", date_text="May 8, 1946")
    DocumentFactory(title="Notes of the 1940s", date_text="1940s")
    DocumentFactory(title="A letter of 1950", date_text="1950")

    page.goto(live_server.url + "/documents/")
    page.get_by_role("textbox", name="From", exact=True).fill("1947")
    page.get_by_role("textbox", name="To", exact=True).fill("1946-05")
    page.get_by_role("button", name="Apply").click()
    error = page.locator("#date-to-error")
    expect(error).to_have_text(
        "The dates are the wrong way round: To (1946-05) is before From (1947). "
        "Put the earlier date in From."
    )
    expect(page.get_by_role("textbox", name="To", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_role("textbox", name="From", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    both_widths(page, shots(tmp_path), "date-filter-reversed")
    fits(page)
    assert axe_violations(page, page.url) == []

    # Swapped, by keyboard: one day, and the 1940s document says why it is there.
    page.get_by_role("textbox", name="From", exact=True).fill("1946-05-08")
    page.get_by_role("textbox", name="To", exact=True).fill("1946-05-08")
    page.get_by_role("textbox", name="To", exact=True).press("Enter")
    expect(error).to_have_count(0)
    notes = page.locator(".document-summary .date-note")
    expect(notes).to_have_count(1)
    expect(notes).to_have_text("Dated 1940s: could fall on the day you asked, or outside it.")
    expect(page.locator(".document-summary")).to_have_count(2)
    both_widths(page, shots(tmp_path), "date-filter-one-day")
    assert axe_violations(page, page.url) == []
