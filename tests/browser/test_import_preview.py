"""An Importer checks a spreadsheet in the admin: the form, then a preview with a new row's
values, a word diff of a long translation and what confirming creates; confirms, then undoes."""

import csv
import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from documents.models import Document, ImportJob, Person, Place, Status, Subject
from tests.browser.test_deleted_records import both_widths, shots
from tests.browser.test_public_quality import AXE, WCAG_22_A_AA, axe_violations
from tests.factories import DocumentFactory

PASSWORD = "a-long-test-password"
NEW_TITLE = "Telegram from Tabriz on the oil concession"


def importer_role():
    """The Importer role as its data migrations make it (a transactional test run before this
    one empties the tables, and with them the roles the migrations wrote)."""
    roles = importlib.import_module("documents.migrations.0003_curator_roles")
    group, _created = Group.objects.get_or_create(name="Importer")
    wanted = [perm.split(".") for perm in roles.ROLES["Importer"]]
    wanted.append(["documents", "add_document"])  # 0031_importer_adds_documents
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in wanted
    )
    return group


def axe_here(page):
    """axe-core's WCAG 2.2 A and AA violations of the page as it is (a POST's answer)."""
    assert AXE.exists(), f"{AXE} is missing: run `make test` (it installs npm tools with npm ci)."
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_A_AA
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.mark.django_db(transaction=True)
def test_an_importer_previews_a_new_row_and_a_long_text_edit_confirms_and_undoes(
    live_server, page, django_user_model, tmp_path
):
    folder = shots(tmp_path)
    user = django_user_model.objects.create_user("ida", password=PASSWORD, is_staff=True)
    user.groups.add(importer_role())
    # Updating a record by import needs the permission to change documents, as the form does:
    # this Importer has been given it; the role alone imports new drafts only.
    user.user_permissions.add(Permission.objects.get(codename="change_document"))
    Place.objects.create(name="Tabriz")
    translation = " ".join(
        f"Sentence {n} of the report on the situation in Southern Azerbaijan." for n in range(320)
    )
    assert len(translation) > 20_000
    draft = DocumentFactory(title="Report on Southern Azerbaijan", text=translation)
    draft.status = Status.DRAFT
    draft.save()
    edited = translation.replace("Sentence 317 of the report", "Sentence 317 of the corrected")
    sheet = tmp_path / "telegrams.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["record_id", "title", "date", "summary", "authors", "subjects", "places", "text"],
                [
                    "",
                    NEW_TITLE,
                    "9 May 1946",
                    "Bagirov reports on the concession talks.",
                    "Mir Teymur Yaqubov",
                    "Oil concessions",
                    "Tabriz",
                    "The talks resumed on 8 May.",
                ],
                [draft.record_id, draft.title, draft.date_text, draft.summary, "", "", "", edited],
            ]
        )
    people = Person.objects.count()

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("ida")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The form: what it takes, the template, the limits.
    import_url = f"{live_server.url}/admin/documents/document/import/"
    assert axe_violations(page, import_url) == []
    intro = page.locator(".import-intro")
    expect(intro).to_contain_text("CSV (UTF-8 or Windows-1252), XLSX or ODS")
    expect(intro).to_contain_text("imported in the background")
    expect(intro.get_by_role("link", name="documents-template.xlsx")).to_be_visible()
    both_widths(page, folder, "import-form")

    # A file of another kind: refused on the form, the field named.
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"not a spreadsheet")
    page.get_by_label("Spreadsheet (CSV, XLSX or ODS)").set_input_files(notes)
    page.get_by_role("button", name="Check the file (nothing is written yet)").click()
    expect(page.locator(".errornote")).to_have_text("Please correct the error below.")
    expect(page.locator(".field-import_file .errorlist")).to_contain_text(
        "'notes.docx' is not a CSV, XLSX or ODS file"
    )
    both_widths(page, folder, "import-form-error")
    assert axe_here(page) == []

    # A row that would publish: refused, named with its row and the reason; nothing to confirm.
    published = tmp_path / "published.csv"
    published.write_text("title,date,status\nA telegram to publish at once,10 May 1946,published\n")
    page.get_by_label("Spreadsheet (CSV, XLSX or ODS)").set_input_files(published)
    page.get_by_role("button", name="Check the file (nothing is written yet)").click()
    refused = page.locator(".import-errors tbody tr")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("2")
    expect(refused).to_contain_text("You may import new records only as drafts")
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    both_widths(page, folder, "import-preview-refused")
    assert axe_here(page) == []

    page.get_by_label("Spreadsheet (CSV, XLSX or ODS)").set_input_files(sheet)
    page.get_by_label("Create missing values").check()
    page.get_by_role("button", name="Check the file (nothing is written yet)").click()

    expect(page.locator(".import-summary")).to_contain_text(
        "Would create 1, would update 1, unchanged 0"
    )
    values = page.locator(".import-values")
    expect(values).to_contain_text("Bagirov reports on the concession talks.")
    expect(values).to_contain_text("Tabriz")
    inline = page.locator(".import-inline")
    expect(inline.locator("ins")).to_have_text("corrected")
    expect(inline.locator("del")).to_have_text("report")
    expect(inline.locator(".diff-gap").first).to_contain_text("unchanged words")
    created = page.locator(".import-created")
    expect(created).to_contain_text("Mir Teymur Yaqubov")
    expect(created).to_contain_text("Oil concessions")
    assert Person.objects.count() == people and not Subject.objects.exists()
    both_widths(page, folder, "import-preview")
    assert axe_here(page) == []

    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist")).to_contain_text("Created 1, updated 1")
    draft.refresh_from_db()
    assert draft.text == edited
    assert Document.objects.filter(title=NEW_TITLE, status=Status.DRAFT).exists()

    page.get_by_role("link", name="Undo this import…").click()
    page.get_by_role("button", name="Yes, undo this import").click()
    expect(page.locator(".messagelist")).to_contain_text("undone")
    both_widths(page, folder, "import-undone")

    draft.refresh_from_db()
    assert draft.text == translation
    assert not Document.objects.filter(title=NEW_TITLE).exists()
    assert ImportJob.objects.get().outcome == ImportJob.Outcome.UNDONE
    assert Person.objects.count() == people
