"""A curator imports the issue-12 proof sheet and answers its questions in the admin preview."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from documents.models import Person
from documents.spreadsheets.importing import import_documents
from tests.importing import proof

PASSWORD = "a-long-test-password"


def curator_role():
    """The Curator role as its data migration makes it: a transactional test run before this
    one empties the tables, and with them the roles the migration wrote."""
    import importlib

    from django.contrib.auth.models import Permission

    roles = importlib.import_module("documents.migrations.0003_curator_roles")
    group, _created = Group.objects.get_or_create(name="Curator")
    wanted = [perm.split(".") for perm in roles.ROLES["Curator"]]
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in wanted
    )
    return group


@pytest.mark.django_db(transaction=True)
def test_curator_answers_the_imports_questions_in_the_preview_without_editing_the_file(
    live_server, page, seeds, django_user_model, tmp_path
):
    before = proof.set_up_archive()
    people_before = set(Person.objects.values_list("pk", flat=True))
    user = django_user_model.objects.create_user("mila", password=PASSWORD, is_staff=True)
    user.groups.add(curator_role())
    # The questions as the preview asks them: with the proposals taken for what is not answered
    # yet (a person new in the file by one answer may be a candidate in a later question).
    questions = import_documents(
        proof.SHEET, dry_run=True, create_missing=True, accept_suggestions=True
    ).questions
    answers = proof.right_answers(questions, before)
    explicit = [q.key for q, _answer in proof.explicit_answers(questions, before)]

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("mila")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/documents/document/import/")
    page.get_by_label("Spreadsheet (CSV, XLSX or ODS)").set_input_files(proof.SHEET)
    page.get_by_label("Create missing values").check()
    page.get_by_role("button", name="Check the file (nothing is written yet)").click()

    expect(page.locator("#questions")).to_contain_text(f"Questions ({len(questions)}")
    keys = page.locator("input[type=hidden][name^='question-']")
    expect(keys).to_have_count(len(questions))
    page.screenshot(path=tmp_path / "import-preview.png", full_page=True)
    assert Person.objects.count() == len(people_before)
    changed = []
    for n in range(len(questions)):
        key = page.locator(f"input[name='question-{n}']").get_attribute("value")
        answer = page.locator(f"input[name='answer-{n}'][value='{answers[key]}']")
        if not answer.is_checked():
            answer.check()
            changed.append(key)
    page.screenshot(path=tmp_path / "import-preview-answered.png", full_page=True)
    page.get_by_role("button", name="Confirm import").click()

    expect(page.locator(".messagelist")).to_be_visible()
    page.screenshot(path=tmp_path / "import-done.png", full_page=True)
    assert changed == explicit
    assert changed, "The curator changed no proposed answer."
    problems = proof.check_archive(people_before)
    assert problems == [], "\n".join(problems)
