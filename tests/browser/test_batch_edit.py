"""A curator filters the document list to 500 documents, adds a subject to all of them in one
batch edit, sees them changed on the public site, then undoes it."""

import pytest
from playwright.sync_api import expect

from archive_collections.models import Collection
from documents import changes
from documents.models import Document, Status, Subject
from tests.browser.test_deleted_records import PASSWORD, both_widths, shots
from tests.browser.test_import_reconciliation import curator_role
from tests.browser.test_public_quality import AXE, WCAG_22_A_AA, axe_violations

COUNT = 500


def violations_here(page):
    """axe on the page as it is (a page a form's POST answered cannot be fetched again).

    Without axe's preloading of the style sheets: it copies an `@import` (Django's forms.css
    imports widgets.css) into a <style> element, which the site's Content-Security-Policy
    refuses, and the test would fail on axe's own doing. Only css-orientation-lock needs it."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, preload: false})",
        WCAG_22_A_AA,
    )
    return [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def archive():
    collection = Collection.objects.create(title="Iran-Soviet Relations", status=Status.PUBLISHED)
    documents = Document.objects.bulk_create(
        [
            Document(
                title=f"Telegram {n} on the Azerbaijan crisis",
                record_id=20_000 + n,
                slug=f"telegram-{n}-on-the-azerbaijan-crisis",
                date_text="May 8, 1946",
                status=Status.PUBLISHED,
            )
            for n in range(COUNT)
        ]
    )
    for document in documents:
        document.normalize_date()
    Document.objects.bulk_update(documents, ["date_start", "date_end"])
    Collection.documents.through.objects.bulk_create(
        [Collection.documents.through(collection=collection, document=d) for d in documents]
    )
    Document.objects.create(title="A telegram in no collection", status=Status.PUBLISHED)
    Subject.objects.create(name="Oil")
    Subject.objects.create(name="Oil concessions")
    changes.rebuild()  # bulk writes: the indexes are built once from the database
    return collection


def oil_facet(page):
    return page.locator("section.facet", has=page.locator("h3", has_text="Subject"))


@pytest.mark.django_db(transaction=True)
def test_a_curator_batch_adds_a_subject_to_500_documents_and_undoes_it(
    live_server, page, django_user_model, tmp_path
):
    folder = shots(tmp_path)
    user = django_user_model.objects.create_user("mila", password=PASSWORD, is_staff=True)
    user.groups.add(curator_role())
    collection = archive()
    public_url = f"{live_server.url}{collection.get_absolute_url()}"

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("mila")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/admin/documents/document/?collection={collection.pk}")
    page.get_by_role("link", name="Batch edit this list").click()
    expect(page.locator(".batch-edit-selection")).to_contain_text(
        "Every document the list matches: 500 documents"
    )
    page.get_by_label("Action").select_option(label="Add")
    page.locator(".select2-selection--multiple").click()
    page.locator(".select2-search__field").fill("Oil")
    page.locator(".select2-results__option", has_text="Oil").first.click()
    expect(page.locator(".select2-selection__choice")).to_contain_text("Oil")
    both_widths(page, folder, "batch-edit-form")
    assert violations_here(page) == []

    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".batch-edit-summary")).to_contain_text(
        "This will add subject 'Oil' to 500 documents"
    )
    expect(page.locator(".batch-edit-table tbody tr")).to_have_count(10)
    expect(page.locator(".batch-edit-table tbody tr").first).to_contain_text("20000")
    expect(page.locator(".batch-edit-table td.after").first).to_have_text("Oil")
    both_widths(page, folder, "batch-edit-preview")
    assert violations_here(page) == []

    page.get_by_role("button", name="Confirm: change 500 documents").click()
    expect(page.locator(".messagelist")).to_contain_text("done: changed 500 documents")
    expect(page.locator(".field-status")).to_contain_text("Done: changed 500 of 500 documents")
    both_widths(page, folder, "batch-edit-done")
    assert violations_here(page) == []
    assert Subject.objects.get(name="Oil").documents.count() == COUNT

    visitor = page.context.browser.new_context()
    public = visitor.new_page()
    public.goto(public_url)
    expect(oil_facet(public)).to_contain_text("Oil 500")

    page.goto(f"{live_server.url}/admin/documents/batchedit/")
    row = page.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("add subject 'Oil'")
    expect(row).to_contain_text("mila")
    both_widths(page, folder, "batch-edit-history")
    assert axe_violations(page, page.url) == []

    page.get_by_role("link", name="Undo batch edit").click()
    expect(page.locator("#content-main")).to_contain_text("Undoing it puts back")
    both_widths(page, folder, "batch-edit-undo")
    assert violations_here(page) == []
    page.get_by_role("button", name="Yes, undo this batch edit").click()
    expect(page.locator(".messagelist")).to_contain_text("undone: 500 documents hold again")
    assert not Subject.objects.get(name="Oil").documents.exists()
    public.goto(public_url)
    expect(public.locator(".result-count")).to_contain_text("500 documents")
    expect(oil_facet(public)).to_have_count(0)
    visitor.close()
