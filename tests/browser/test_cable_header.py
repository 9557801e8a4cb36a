"""A curator enters a cable's header in the admin, and the public page shows it above the text."""

import pytest
from playwright.sync_api import expect

from documents.models import Document, Place
from tests.browser.test_curator_journey import PASSWORD, pick
from tests.browser.test_import_reconciliation import curator_role
from tests.browser.test_public_quality import AXE, WCAG_22_A_AA
from tests.factories import PersonFactory


def axe_problems(page):
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_A_AA
    )
    return [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:4]}"
        for v in result["violations"]
    ]


@pytest.mark.django_db(transaction=True)
def test_a_curator_enters_a_cables_header_and_the_public_page_shows_it_above_the_text(
    live_server, page, django_user_model
):
    user = django_user_model.objects.create_user("mila", password=PASSWORD, is_staff=True)
    user.groups.add(curator_role())
    PersonFactory(name="I. V. Sadchikov")
    PersonFactory(name="A. Ya. Vyshinsky")
    Place.objects.create(name="Tehran")

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("mila")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/admin/documents/document/add/")
    page.locator("#id_date_text").fill("8 May 1946")
    page.locator("#id_title").fill("Letter, I. V. Stalin to Cde. Pishevari")
    page.locator("#id_text").fill("Read my following letter to Cde. Pishevari.")
    page.locator("#id_status").select_option("published")

    # A new document is not a cable yet: the fieldset is folded away until opened.
    transmission = page.locator("fieldset.transmission")
    expect(transmission.locator("#id_outgoing_number")).to_be_hidden()
    transmission.get_by_text("Transmission", exact=True).click()
    page.locator("#id_outgoing_number").fill("8924")
    page.locator("#id_form_number").fill("18")
    page.locator("#id_special_numbers").fill("484-487")
    page.locator("#id_copy_number").fill("1")
    page.locator("#id_received_text").fill("0450, 8 May 1946")
    page.locator("#id_sent_text").fill("0850, 8 May 1946")
    pick(page, transmission.locator(".field-destination"), "Tehran")
    page.locator("#id_addressee").fill("TO SADCHIKOV")

    people = page.locator("#contributions-group")
    people.locator(".add-row a").click()
    pick(page, people.locator("#contributions-0 td.field-person"), "Sadchikov")
    page.locator("#id_contributions-0-role").select_option("recipient")
    people.locator(".add-row a").click()
    pick(page, people.locator("#contributions-1 td.field-person"), "Vyshinsky")
    page.locator("#id_contributions-1-role").select_option("copied_to")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    # The saved cable opens with its header unfolded, and says how the times were read.
    expect(page.locator("#id_outgoing_number")).to_be_visible()
    expect(page.locator(".fieldBox.field-sent_read_as")).to_contain_text("8 May 1946, 08:50")

    document = Document.objects.get(title="Letter, I. V. Stalin to Cde. Pishevari")
    assert (document.sent_at, document.received_at) == ("1946-05-08T08:50", "1946-05-08T04:50")

    page.goto(live_server.url + document.get_absolute_url())
    header = page.locator(".cable-header")
    expect(header).to_contain_text("Outgoing Nº")
    expect(header.locator("dd").first).to_have_text("8924")
    expect(header).to_contain_text("Spets. Nº")
    expect(header.locator("time[datetime='1946-05-08T08:50']")).to_have_text("0850, 8 May 1946")
    expect(header).to_contain_text("Tehran")
    expect(header.get_by_role("link", name="TO SADCHIKOV")).to_have_attribute(
        "href", document.contributions.get(role="recipient").person.get_absolute_url()
    )
    expect(header.get_by_role("link", name="A. Ya. Vyshinsky")).to_be_visible()
    # Nothing not entered is shown.
    expect(header).not_to_contain_text("Sent by")
    header_box = header.bounding_box()
    text_box = page.locator(".document-text").bounding_box()
    assert header_box["y"] + header_box["height"] <= text_box["y"]
    assert axe_problems(page) == []


@pytest.mark.django_db(transaction=True)
def test_a_time_the_archive_cannot_read_is_refused_with_the_fieldset_open(
    live_server, page, django_user_model
):
    user = django_user_model.objects.create_user("mila", password=PASSWORD, is_staff=True)
    user.groups.add(curator_role())
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("mila")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/documents/document/add/")
    page.locator("#id_title").fill("A cable")
    page.get_by_text("Transmission", exact=True).click()
    page.locator("#id_sent_text").fill("0850")
    page.get_by_role("button", name="Save", exact=True).click()
    error = page.locator(".field-sent_text .errorlist")
    expect(error).to_be_visible()
    expect(error).to_contain_text("gives the time but not the day")
    assert not Document.objects.exists()
