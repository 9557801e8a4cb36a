"""A curator adds a document with a person, a citation and a scan, publishes it, and corrects it."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from documents.models import Document
from tests.browser.test_import_reconciliation import curator_role
from tests.factories import PersonFactory, RepositoryFactory

PASSWORD = "a-long-test-password"


def scan_file(tmp_path):
    path = tmp_path / "telegram-page-1.png"
    image = Image.new("RGB", (600, 800), "white")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def pick(page, container, text):
    """Choose `text` in an admin autocomplete inside `container`."""
    container.locator(".select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


@pytest.mark.django_db(transaction=True)
def test_curator_creates_publishes_corrects_and_reverts_a_document(
    live_server, page, new_context, django_user_model, tmp_path
):
    user = django_user_model.objects.create_user("mila", password=PASSWORD, is_staff=True)
    # As its migration makes it: a transactional test run before this one empties the tables.
    user.groups.add(curator_role())
    PersonFactory(name="Ja'far Pishevari")
    RepositoryFactory(abbreviation="RGASPI")

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("mila")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/admin/documents/document/add/")
    page.locator("#id_date_text").fill("8 May 1946")
    expect(page.locator("#date-reading")).to_contain_text("EDTF 1946-05-08")
    page.locator("#id_title").fill("Letter, I. V. Stalin to Cde. Pishevari")
    page.locator("#id_text").fill("To Cde. Pishevari.\n\nI think you are mistaken.")

    people = page.locator("#contributions-group")
    people.locator(".add-row a").click()
    pick(page, people.locator("#contributions-0 td.field-person"), "Pishevari")
    page.locator("#id_contributions-0-role").select_option("recipient")

    citations = page.locator("#citations-group")
    citations.locator(".add-row a").click()
    pick(page, citations.locator("#citations-0 td.field-repository"), "RGASPI")
    page.locator("#id_citations-0-reference").fill("f. 558, op. 11, d. 317, ll. 0069-0072")

    scans = page.locator("#scans-group")
    scans.locator(".add-row a").click()
    page.locator("#id_scans-0-file").set_input_files(scan_file(tmp_path))
    page.locator("#id_scans-0-caption").fill("Page 1")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    document = Document.objects.get(title="Letter, I. V. Stalin to Cde. Pishevari")
    assert document.status == "draft"
    assert document.scans.get().sha256

    # Publish from the list.
    page.locator(f"input[name=_selected_action][value='{document.pk}']").check()
    page.locator("select[name=action]").select_option("publish_selected")
    page.locator(".actions button[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("Published 1 document")

    # A visitor finds it on its public page.
    visitor = new_context().new_page()
    visitor.goto(f"{live_server.url}{document.get_absolute_url()}")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(document.title)
    expect(visitor.locator(".document-date")).to_have_text("8 May 1946")
    expect(visitor.get_by_text("RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072.")).to_be_visible()
    # The scan's thumbnail, in a link named by its caption (the image itself is unnamed).
    expect(visitor.get_by_role("link", name="Page 1").locator("img")).to_be_visible()
    visitor.close()

    # Correct the date.
    page.goto(f"{live_server.url}/admin/documents/document/{document.pk}/change/")
    page.locator("#id_date_text").fill("9 May 1946")
    expect(page.locator("#date-reading")).to_contain_text("EDTF 1946-05-09")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(".field-date_understood")).to_contain_text("1946-05-09")

    # Revert the correction from the history.
    page.get_by_role("link", name="History").click()
    page.get_by_role("link", name="Show changes / revert").first.click()
    expect(page.locator(".diff-table").last).to_contain_text("9 May 1946")
    page.get_by_role("button", name="Revert to this version").click()
    expect(page.locator(".messagelist")).to_contain_text("was reverted")
    document.refresh_from_db()
    assert (document.date_text, document.date_edtf) == ("8 May 1946", "1946-05-08")
    assert document.contributions.get().person.name == "Ja'far Pishevari"
    assert document.citations.get().folios == "0069-0072"
