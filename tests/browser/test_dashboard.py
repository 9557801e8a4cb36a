"""A curator signs in and starts the day from the dashboard: a draft of theirs, what others
changed, an import under way, and the records that need attention, each a link to its list."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from documents.models import ImportJob, Status
from documents.tasks import progress
from documents.workflows import reviewing
from tests.admin.test_dashboard import failed_scan, saved_by
from tests.browser.test_deleted_records import PASSWORD, both_widths, shots
from tests.browser.test_import_reconciliation import curator_role
from tests.browser.test_public_quality import axe_violations
from tests.factories import CitationFactory, DocumentFactory, PersonFactory


@pytest.mark.django_db(transaction=True)
def test_a_curator_opens_the_dashboard_and_follows_its_counts_to_the_lists(
    live_server, page, django_user_model, tmp_path
):
    folder = shots(tmp_path)
    curator = django_user_model.objects.create_user("mila", password=PASSWORD, is_staff=True)
    curator.groups.add(curator_role())
    editor = django_user_model.objects.create_user("omid", is_staff=True)
    # An editor: may change documents (and so submit them for review), not publish them.
    editor.user_permissions.add(Permission.objects.get(codename="change_document"))
    cited = DocumentFactory(title="Telegram from Bagirov to Stalin on the Tabriz events")
    CitationFactory(document=cited)
    saved_by(editor, cited, title="Telegram from M. D. Bagirov to Stalin on the Tabriz events")
    no_summary = DocumentFactory(title="Letter, I. V. Stalin to Cde. Pishevari", summary="")
    CitationFactory(document=no_summary)
    undated = DocumentFactory(title="Note on the Azerbaijani Democratic Party", date_text="undated")
    CitationFactory(document=undated)
    failed_scan(DocumentFactory(title="Report on the oil concession", status=Status.DRAFT))
    submitted = DocumentFactory(title="Cable from Tabriz, names checked", status=Status.DRAFT)
    reviewing.submit(submitted, by=editor, note="Names checked against the scan.")
    PersonFactory(name="Ja'far Pishevari")
    PersonFactory(name="Jafar Pishevari")
    job = ImportJob.objects.create(
        user=editor, file_name="cables-1946.xlsx", outcome="running", total_rows=12_000
    )
    progress.Reporter(job.pk, 12_000)(3_000)
    ImportJob.objects.create(
        user=editor, file_name="letters.csv", outcome="imported", rows=40, created=40
    )

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("mila")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # A draft of mine: added in the admin, saved as a draft.
    page.goto(f"{live_server.url}/admin/documents/document/add/")
    page.locator("#id_date_text").fill("8 May 1946")
    page.locator("#id_title").fill("Telegram from Sadchikov to Molotov")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(f"{live_server.url}/admin/")
    drafts = page.locator("#dashboard-my-drafts")
    expect(drafts).to_contain_text("1 draft")
    expect(drafts).to_contain_text("Telegram from Sadchikov to Molotov")
    expect(page.locator("#dashboard-review-queue")).to_contain_text("1 draft awaiting review")
    changes = page.locator("#dashboard-recent-changes-by-others")
    expect(changes).to_contain_text("Telegram from M. D. Bagirov to Stalin")
    expect(changes).to_contain_text("by omid")
    imports = page.locator("#dashboard-imports")
    expect(imports).to_contain_text("1 import waiting or running")
    expect(imports).to_contain_text("Importing: 3,000 of 12,000 rows (25%)")
    expect(imports).to_contain_text("letters.csv")
    expect(page.locator("#dashboard-possible-duplicate-people")).to_contain_text("1 pair")
    expect(page.locator("#dashboard-with-a-scan-that-could-not-be-processed")).to_contain_text(
        "Report on the oil concession"
    )
    expect(page.locator("#content-main")).to_contain_text("Everything in the archive")
    both_widths(page, folder, "dashboard")
    assert axe_violations(page, page.url) == []

    # A count opens the list of exactly those records.
    page.locator("#dashboard-published-without-a-summary .dashboard-count a").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("Letter, I. V. Stalin to Cde. Pishevari")
    expect(page.locator("#changelist-filter")).to_contain_text("Published, without a summary")
    both_widths(page, folder, "dashboard-no-summary-list")
    assert axe_violations(page, page.url) == []

    page.goto(f"{live_server.url}/admin/")
    page.locator("#dashboard-my-drafts .dashboard-count a").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("Telegram from Sadchikov to Molotov")

    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Telegram from M. D. Bagirov to Stalin").click()
    expect(page.locator("#content")).to_contain_text("omid")

    page.goto(f"{live_server.url}/admin/")
    page.locator("#dashboard-possible-duplicate-people .dashboard-count a").click()
    both_widths(page, folder, "dashboard-duplicates-by-keys")
    expect(page.locator(".possible-duplicates > tbody > tr")).to_have_count(1)
    progress.forget(job.pk)
