"""Review before publishing: an Editor submits, a Curator sends it back, then publishes it."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from documents.models import Document, Status
from tests.browser.test_deleted_records import both_widths, shots
from tests.browser.test_public_quality import axe_violations
from tests.factories import ContributionFactory, DocumentFactory, PersonFactory

PASSWORD = "a-long-test-password"
TITLE = "Telegram from Bagirov to Stalin on the Azerbaijani oil fields"


def role(name):
    """A role as its data migration makes it (a transactional test before this one empties the
    tables, and with them the roles the migration wrote)."""
    roles = importlib.import_module("documents.migrations.0003_curator_roles")
    group, _created = Group.objects.get_or_create(name=name)
    wanted = [perm.split(".") for perm in roles.ROLES[name]]
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in wanted
    )
    return group


def signed_in(browser, live_server, django_user_model, username, role_name):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(role(role_name))
    page = browser.new_page()
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(username)
    return page


@pytest.mark.django_db(transaction=True)
def test_an_editor_submits_a_draft_a_curator_sends_it_back_then_publishes_it(
    live_server, new_context, django_user_model, tmp_path
):
    folder = shots(tmp_path)
    document = DocumentFactory(title=TITLE, status=Status.DRAFT, summary="Bagirov reports.")
    ContributionFactory(document=document, person=PersonFactory(name="M. D. Bagirov"))
    change_url = f"{live_server.url}/admin/documents/document/{document.pk}/change/"
    public_url = f"{live_server.url}{document.get_absolute_url()}"

    editor_context, curator_context, visitor_context = new_context(), new_context(), new_context()
    editor = signed_in(editor_context, live_server, django_user_model, "anna", "Editor")
    curator = signed_in(curator_context, live_server, django_user_model, "mila", "Curator")
    visitor = visitor_context.new_page()
    assert visitor.goto(public_url).status == 404

    # The Editor submits the draft with a note.
    editor.goto(change_url)
    editor.get_by_label("Note for the reviewer (optional)").fill("Names checked against the scan.")
    editor.get_by_role("button", name="Save and submit for review").click()
    expect(editor.locator(".messagelist")).to_contain_text("was saved and submitted for review")
    expect(editor.locator(".review-notice")).to_contain_text("Awaiting review")
    expect(editor.get_by_role("button", name="Save and submit for review")).to_have_count(0)

    # The Curator finds it in the queue, opens the review page and the preview.
    curator.goto(f"{live_server.url}/admin/documents/document/")
    curator.locator("#changelist-filter").get_by_role("link", name="Awaiting review").click()
    expect(curator.locator("#result_list tbody tr")).to_have_count(1)
    curator.locator("#result_list").get_by_role("link", name=TITLE).click()
    expect(curator.locator(".review-notice")).to_contain_text("submitted by anna")
    curator.get_by_role("link", name="Review it: preview, publish or send back").click()
    expect(curator.locator(".review-note")).to_contain_text("Names checked against the scan.")
    both_widths(curator, folder, "review-page")
    assert axe_violations(curator, curator.url) == []
    review_url = curator.url
    curator.get_by_role("link", name="Open the preview").click()
    expect(curator.locator(".preview-banner")).to_contain_text("draft")
    expect(curator.locator("main")).to_contain_text("M. D. Bagirov")
    curator.go_back()

    # Sending back needs a comment; then the comment goes back to the Editor.
    curator.get_by_role("button", name="Send back with comment").click()
    expect(curator.locator(".errornote")).to_contain_text("Nothing was changed")
    expect(curator.locator(".review-decision .errorlist")).to_contain_text("Write a comment")
    both_widths(curator, folder, "review-page-comment-missing")
    curator.get_by_label("Comment for the editor").fill(
        "Please add the date of receipt to the summary."
    )
    curator.get_by_role("button", name="Send back with comment").click()
    expect(curator.locator(".messagelist")).to_contain_text("was sent back to anna")

    # The Editor sees who sent it back, when, and why; fixes it and resubmits.
    editor.goto(change_url)
    notice = editor.locator(".review-returned")
    expect(notice).to_contain_text("Returned for changes by mila")
    expect(notice).to_contain_text("Please add the date of receipt to the summary.")
    both_widths(editor, folder, "review-returned-notice")
    editor.get_by_label("Summary").fill("Bagirov reports; received in Moscow on 8 May 1946.")
    editor.get_by_role("button", name="Save and resubmit for review").click()
    expect(editor.locator(".messagelist")).to_contain_text("was saved and resubmitted for review")

    # The Curator sees what changed since and publishes it.
    curator.goto(review_url)
    expect(curator.locator("#content-main")).to_contain_text("What changed since it was sent back")
    expect(curator.locator(".diff-table")).to_contain_text("received in Moscow on 8 May 1946")
    curator.get_by_role("button", name="Publish").click()
    expect(curator.locator(".messagelist")).to_contain_text("was published after review")
    assert Document.objects.get(pk=document.pk).status == Status.PUBLISHED

    # The public sees it; the history shows every step and who took it.
    assert visitor.goto(public_url).status == 200
    expect(visitor.locator("main")).to_contain_text("received in Moscow on 8 May 1946")
    curator.goto(f"{live_server.url}/admin/documents/document/{document.pk}/history/")
    history = curator.locator("#change-history")
    for step in (
        "Submitted for review by anna: “Names checked against the scan.”",
        "Returned for changes by mila: “Please add the date of receipt to the summary.”",
        "Resubmitted for review by anna.",
        "Published after review by mila.",
    ):
        expect(history).to_contain_text(step)
    both_widths(curator, folder, "review-history")
