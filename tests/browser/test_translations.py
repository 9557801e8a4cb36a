"""A visitor reads a document in two translations, switching between them, with the transcript."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from documents.models import Contribution, DocumentText, Language
from tests.browser.test_curator_journey import PASSWORD, pick
from tests.browser.test_deleted_records import both_widths, shots
from tests.browser.test_public_quality import AXE, WCAG_22_A_AA, axe_violations
from tests.factories import ContributionFactory, DocumentFactory, PersonFactory

ENGLISH = "Cde. Pishevari! It seems to me that you misjudge the situation in Iran."
GERMAN = "Genosse Pischewari! Mir scheint, Sie beurteilen die Lage im Iran falsch."
RUSSIAN = "Тов. Пишевари! Мне кажется, что Вы неверно оцениваете ситуацию в Иране."


@pytest.fixture
def letter(transactional_db):
    russian = Language.objects.create(name="Russian", code="ru")
    german = Language.objects.create(name="German", code="de")
    document = DocumentFactory(
        title="Letter, I. V. Stalin to Cde. Pishevari",
        text="\n\n".join([ENGLISH] * 6),
        transcript="\n\n".join([RUSSIAN] * 6),
    )
    document.languages.add(russian)
    ContributionFactory(
        document=document,
        person=PersonFactory(name="Gary Goldberg"),
        role=Contribution.Role.TRANSLATOR,
    )
    DocumentText.objects.create(
        document=document,
        language=german,
        text="\n\n".join([GERMAN] * 6),
        translator=PersonFactory(name="Hannelore Brandt"),
        note="Translated from the Russian original for the Berlin edition.",
    )
    return document


@pytest.mark.django_db(transaction=True)
def test_a_visitor_switches_between_two_translations_beside_the_transcript(
    live_server, page, letter, tmp_path
):
    folder = shots(tmp_path)
    url = f"{live_server.url}{letter.get_absolute_url()}"
    page.goto(url)
    switch = page.get_by_role("tablist")
    english = switch.get_by_role("tab", name="English")
    german = switch.get_by_role("tab", name="German")
    expect(english).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text(ENGLISH).first).to_be_visible()
    expect(page.get_by_text(GERMAN).first).to_be_hidden()
    expect(page.locator(".reading-credit", has_text="Translated by Gary Goldberg.")).to_be_visible()
    # The transcript in the original language stands beside the translation on a wide screen.
    transcript = page.locator("#transcript")
    expect(transcript).to_contain_text(RUSSIAN)
    translation_box = page.locator("#translation").bounding_box()
    transcript_box = transcript.bounding_box()
    assert transcript_box["x"] > translation_box["x"] + translation_box["width"] - 1
    # ... level with it: the two headings on one line.
    headings = [
        page.locator(f"#{name}-heading").bounding_box()["y"]
        for name in ("translation", "transcript")
    ]
    assert abs(headings[0] - headings[1]) < 4
    both_widths(page, folder, "translations-english")

    german.click()
    expect(german).to_have_attribute("aria-selected", "true")
    expect(english).to_have_attribute("aria-selected", "false")
    expect(page.get_by_text(GERMAN).first).to_be_visible()
    expect(page.get_by_text(ENGLISH).first).to_be_hidden()
    expect(
        page.locator(".reading-credit", has_text="Translated by Hannelore Brandt.")
    ).to_be_visible()
    expect(
        page.get_by_text("Translated from the Russian original for the Berlin edition.")
    ).to_be_visible()
    expect(transcript).to_be_visible()
    assert page.evaluate("location.hash").startswith("#translation-")
    both_widths(page, folder, "translations-german")
    assert axe_violations(page, page.url) == []

    # The keyboard moves between the tabs; a link to the German text opens on it.
    page.goto(page.url)
    expect(page.get_by_role("tab", name="German")).to_have_attribute("aria-selected", "true")
    page.get_by_role("tab", name="German").focus()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("tab", name="English")).to_be_focused()
    expect(page.get_by_text(ENGLISH).first).to_be_visible()

    # On a phone the transcript comes below the translation.
    page.set_viewport_size({"width": 390, "height": 900})
    translation_box = page.locator("#translation").bounding_box()
    assert (
        page.locator("#transcript").bounding_box()["y"]
        > translation_box["y"] + translation_box["height"] - 1
    )


@pytest.mark.django_db(transaction=True)
def test_without_javascript_every_text_is_shown_with_links_to_each(
    live_server, browser, letter, tmp_path
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{letter.get_absolute_url()}")
    for text in (ENGLISH, GERMAN, RUSSIAN):
        expect(page.get_by_text(text).first).to_be_visible()
    links = page.get_by_role("navigation", name="Translations").get_by_role("link")
    expect(links).to_have_text(["English", "German"])
    links.nth(1).click()
    assert page.evaluate("location.hash").startswith("#translation-")
    both_widths(page, shots(tmp_path), "translations-without-javascript")
    context.close()


def editor_role():
    """The Editor role as its data migrations make it (a transactional test run before this one
    empties the tables, and with them the roles the migrations wrote)."""
    roles = importlib.import_module("documents.migrations.0003_curator_roles")
    texts = importlib.import_module("documents.migrations.0029_further_texts")
    wanted = [perm.split(".") for perm in roles.ROLES["Editor"]]
    wanted += [("documents", f"{action}_documenttext") for action in texts.GRANTS["Editor"]]
    group, _created = Group.objects.get_or_create(name="Editor")
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in wanted
    )
    return group


@pytest.mark.django_db(transaction=True)
def test_an_editor_adds_a_second_translation_in_the_document_form(
    live_server, page, browser, letter, django_user_model, tmp_path
):
    folder = shots(tmp_path)
    user = django_user_model.objects.create_user("ines", password=PASSWORD, is_staff=True)
    user.groups.add(editor_role())
    Language.objects.create(name="Persian", code="fa")
    PersonFactory(name="Kaveh Bayat")
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/admin/documents/document/{letter.pk}/change/")
    texts = page.locator("#texts-group")
    expect(texts).to_contain_text("Further translations and transcripts")
    texts.locator(".add-row a").click()
    row = texts.locator(".inline-related").nth(1)
    row.locator("select[name$='-kind']").select_option("translation")
    pick(page, row.locator(".field-language"), "Persian")
    pick(page, row.locator(".field-translator"), "Bayat")
    row.locator("textarea[name$='-text']").fill("رفیق پیشه‌وری! ترجمه فارسی.")
    row.locator("input[name$='-note']").fill("Translated from the Russian in Tehran.")
    # The inline fits the screen: none of its fields reaches past the window.
    right = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('#texts-group *')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert right <= 1280
    texts.scroll_into_view_if_needed()
    both_widths(page, folder, "admin-further-texts")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert letter.texts.filter(language__name="Persian", translator__name="Kaveh Bayat").exists()

    page.goto(f"{live_server.url}{letter.get_absolute_url()}")
    page.get_by_role("tab", name="Persian").click()
    expect(page.get_by_text("رفیق پیشه‌وری! ترجمه فارسی.")).to_be_visible()
    expect(page.locator(".reading-credit", has_text="Translated by Kaveh Bayat.")).to_be_visible()

    # The inline, with its two rows, is accessible (the rest of the form is another's). axe
    # adds a <style> of its own as it checks the admin's form, which the site's policy refuses:
    # it runs in a context of its own that lets it.
    context = browser.new_context(bypass_csp=True)
    checker = context.new_page()
    checker.goto(f"{live_server.url}/admin/login/")
    checker.get_by_label("Username").fill("ines")
    checker.get_by_label("Password").fill(PASSWORD)
    checker.get_by_role("button", name="Log in").click()
    checker.goto(f"{live_server.url}/admin/documents/document/{letter.pk}/change/")
    checker.evaluate(AXE.read_text())
    result = checker.evaluate(
        "tags => axe.run('#texts-group', {runOnly: {type: 'tag', values: tags}})", WCAG_22_A_AA
    )
    problems = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]
    context.close()
    assert problems == []
