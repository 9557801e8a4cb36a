"""The admin as a Curator sees it: the document form fits the screen, and axe-core finds no WCAG
2.2 A or AA violation on the pages a curator works in, at 1,280 and at 390 px."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from archive_collections.models import Collection
from documents.models import Contribution, Document, Funding, Organization, Status
from tests.admin.conftest import form_data, image_bytes
from tests.admin.test_scans import upload
from tests.browser.test_deleted_records import PASSWORD, both_widths, shots
from tests.browser.test_import_reconciliation import curator_role
from tests.browser.test_public_quality import axe_violations
from tests.factories import CitationFactory, CollectionFactory, DocumentFactory, PersonFactory

TITLE = (
    "Telegram from Baku to Moscow, M.D. Bagriov and I.I. Maslennikov to Cdes. Stalin and Molotov"
)


def pdf_bytes(pages=2):
    buffer = io.BytesIO()
    images = [Image.new("RGB", (300, 400), "white") for _ in range(pages)]
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


@pytest.fixture
def archive(transactional_db, django_user_model):
    """A curator, and a document with every inline filled as a seed record has them: people in
    roles with the names as written, a citation, a funder and two scans; one edit in its history;
    a person, a collection, and a deleted document."""
    curator = django_user_model.objects.create_user("mila", password=PASSWORD, is_staff=True)
    curator.groups.add(curator_role())
    document = DocumentFactory(title=TITLE, status=Status.DRAFT)
    cwihp = Organization.objects.create(name="Cold War International History Project")
    people = [
        ("M. D. Bagirov", Contribution.Role.AUTHOR, "M.D. Bagriov"),
        ("I. I. Maslennikov", Contribution.Role.AUTHOR, "I.I. Maslennikov"),
        ("I. V. Stalin", Contribution.Role.RECIPIENT, "Cdes. Stalin"),
        ("V. M. Molotov", Contribution.Role.RECIPIENT, "Molotov"),
        ("Gary Goldberg", Contribution.Role.TRANSLATOR, ""),
    ]
    for order, (name, role, written) in enumerate(people):
        Contribution.objects.create(
            document=document,
            person=PersonFactory(name=name),
            role=role,
            name_as_written=written,
            on_behalf_of=cwihp if role == Contribution.Role.TRANSLATOR else None,
            order=order,
        )
    CitationFactory(document=document, reference="f. 558, op. 11, d. 99, ll. 0049-0051")
    Funding.objects.create(
        document=document, organization=Organization.objects.create(name="Leon Levy Foundation")
    )
    client = Client()
    client.force_login(curator)
    upload(
        client,
        document,
        "page-1.jpg",
        image_bytes(size=(1600, 2200), color="tan"),
        caption="Page 1",
    )
    upload(client, document, "cable.pdf", pdf_bytes(), caption="The cable, both pages")
    change_url = reverse("admin:documents_document_change", args=[document.pk])
    edited = client.post(
        change_url, form_data(client.get(change_url), summary="Bagirov reports on Tabriz.")
    )
    assert edited.status_code == 302
    collection = CollectionFactory(title="Iran Crisis, 1946")
    collection.documents.add(document)
    gone = DocumentFactory(title="A telegram entered twice", status=Status.DRAFT)
    delete_url = reverse("admin:documents_document_delete", args=[gone.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    return document


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("mila")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def overflow(page):
    """How many pixels the page is wider than the window (0: no horizontal scroll)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def delete_boxes(page):
    """The Delete checkbox of every inline row on the form: its name, left and right edges."""
    return page.evaluate(
        """() => [...document.querySelectorAll('td.delete input[type=checkbox]')].map(box => {
            const r = box.getBoundingClientRect();
            return [box.name, r.left, r.right];
        })"""
    )


@pytest.mark.django_db(transaction=True)
def test_the_document_form_fits_at_1280_px_with_every_inlines_delete_box_on_screen(
    live_server, page, archive, tmp_path
):
    sign_in(page, live_server)
    url = reverse("admin:documents_document_change", args=[archive.pk])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{url}")
    # The navigation sidebar open, as Django shows it at first: the narrowest the form gets.
    assert page.locator("#nav-sidebar").is_visible()
    both_widths(page, shots(tmp_path), "document-form")
    boxes = delete_boxes(page)
    prefixes = {name.split("-")[0] for name, _left, _right in boxes}
    assert prefixes == {"contributions", "citations", "fundings", "scans"}
    assert len(boxes) == 5 + 1 + 1 + 2
    assert [name for name, left, right in boxes if left < 0 or right > 1280] == []
    assert overflow(page) == 0

    # On a phone each row is a card whose boxes are labelled, Delete among them.
    page.set_viewport_size({"width": 390, "height": 900})
    assert overflow(page) == 0
    assert [name for name, left, right in delete_boxes(page) if left < 0 or right > 390] == []
    first = page.locator("#contributions-0")
    assert first.get_by_text("Name as written", exact=True).is_visible()
    page.get_by_label("Delete M. D. Bagirov").check()
    assert page.locator("#id_contributions-0-DELETE").is_checked()
    page.get_by_label("Delete M. D. Bagirov").uncheck()

    # The scans' rows keep adminsortable2's handles: the PDF moved first stays first.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#scans-1").get_by_role("button", name="Move to first position").click()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    captions = list(archive.scans.order_by("order").values_list("caption", flat=True))
    assert captions == ["The cable, both pages", "Page 1"]


@pytest.mark.django_db(transaction=True)
def test_the_pages_a_curator_works_in_have_no_wcag_22_a_or_aa_violations(
    live_server, page, archive
):
    person = archive.contributions.first().person
    collection = Collection.objects.get()
    pages = {
        "admin index": reverse("admin:index"),
        "document list, filtered": reverse("admin:documents_document_changelist")
        + "?status__exact=draft&q=Baku",
        "new document": reverse("admin:documents_document_add"),
        "document with its inlines": reverse("admin:documents_document_change", args=[archive.pk]),
        "people": reverse("admin:documents_person_changelist"),
        "person": reverse("admin:documents_person_change", args=[person.pk]),
        "collection": reverse("admin:collections_collection_change", args=[collection.pk]),
        "import": reverse("admin:documents_document_import"),
        "deleted documents": reverse("admin:documents_document_deleted"),
        "history": reverse("admin:documents_document_history", args=[archive.pk]),
    }
    sign_in(page, live_server)
    problems = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            url = live_server.url + path
            if violations := axe_violations(page, url, read_imported_css=False):
                problems[f"{name} at {width} px"] = violations
    page.set_viewport_size({"width": 1280, "height": 900})
    assert problems == {}
    # The pages showed what they are about: the filtered list found the document, the deleted
    # list the deleted one.
    page.goto(live_server.url + pages["document list, filtered"])
    assert page.locator("#result_list").get_by_text(TITLE).is_visible()
    page.goto(live_server.url + pages["deleted documents"])
    assert page.get_by_role("rowheader", name="A telegram entered twice").is_visible()
    assert Document.objects.filter(pk=archive.pk, summary="Bagirov reports on Tabriz.").exists()
