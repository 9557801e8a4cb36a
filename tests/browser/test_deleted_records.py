"""A curator deletes a published document, finds it under Deleted records and restores it."""

import os
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from documents.models import Document, Status
from tests.admin.conftest import image_bytes
from tests.admin.test_scans import upload
from tests.browser.test_import_reconciliation import curator_role
from tests.browser.test_public_quality import axe_violations
from tests.factories import CitationFactory, ContributionFactory, DocumentFactory, PersonFactory

PASSWORD = "a-long-test-password"
TITLE = "Telegram from Bagirov on the Tabriz oil concession"


def shots(tmp_path):
    """Where the screenshots go: SCREENSHOTS if set (to look at them), else the test's folder."""
    folder = Path(os.environ.get("SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def both_widths(page, folder, name):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_a_curator_deletes_a_document_finds_it_by_title_and_restores_it(
    live_server, page, django_user_model, tmp_path
):
    folder = shots(tmp_path)
    user = django_user_model.objects.create_user("mila", password=PASSWORD, is_staff=True)
    user.groups.add(curator_role())
    document = DocumentFactory(title=TITLE)
    ContributionFactory(document=document, person=PersonFactory(name="M. D. Bagirov"))
    CitationFactory(document=document)
    uploader = Client()
    uploader.force_login(user)
    upload(uploader, document, "page-1.jpg", image_bytes(size=(600, 800)), caption="Page 1")
    public_url = f"{live_server.url}{document.get_absolute_url()}"

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("mila")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Deleting several: the published ones are named, with Withdraw instead.
    DocumentFactory(title="A draft telegram", status=Status.DRAFT)
    page.goto(f"{live_server.url}/admin/documents/document/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("delete_selected")
    page.locator("button[name=index]").first.click()
    expect(page.locator(".delete-published")).to_contain_text(f"“{TITLE}” is published")
    both_widths(page, folder, "delete-selected-published")
    page.get_by_role("link", name="No, take me back").click()

    # Deleting: the page warns that the document is public and offers Withdraw instead.
    page.goto(f"{live_server.url}/admin/documents/document/{document.pk}/delete/")
    expect(page.locator(".delete-published")).to_contain_text("is published")
    expect(page.get_by_role("button", name="Withdraw it instead")).to_be_visible()
    both_widths(page, folder, "delete-published-document")
    assert axe_violations(page, page.url) == []
    page.get_by_role("button", name="Yes, I’m sure").click()
    expect(page.locator(".messagelist")).to_contain_text("deleted successfully")
    assert not Document.objects.filter(pk=document.pk).exists()
    gone = page.context.new_page()
    assert gone.goto(public_url).status == 410
    expect(gone.locator("main")).to_contain_text("was deleted from the archive on")
    both_widths(gone, folder, "deleted-document-public-410")
    gone.close()

    # Finding it: from the admin's home, then by its title.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Deleted records").click()
    page.get_by_label("Title or record ID").fill("tabriz oil")
    page.get_by_role("button", name="Search deleted documents").click()
    row = page.locator("#deleted-records tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("mila")
    both_widths(page, folder, "deleted-records")
    assert axe_violations(page, page.url) == []

    row.get_by_role("link", name="Restore…").click()
    expect(page.locator(".restore-parts")).to_contain_text("M. D. Bagirov")
    expect(page.locator(".restore-parts")).to_contain_text("Page 1")
    both_widths(page, folder, "restore-document")
    assert axe_violations(page, page.url) == []
    page.get_by_label("Restore it published").check()
    page.get_by_role("button", name="Restore", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was restored as published")

    restored = Document.objects.get(pk=document.pk)
    assert restored.status == Status.PUBLISHED
    visitor = page.context.browser.new_context()
    public = visitor.new_page()
    response = public.goto(public_url)
    assert response.status == 200
    expect(public.locator("main")).to_contain_text("M. D. Bagirov")
    expect(public.locator("main")).to_contain_text("RGASPI")
    expect(public.locator(".document-scans img").first).to_be_visible()
    visitor.close()
