"""Further translations and transcripts of a document: shown with a switch, found, reverted."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from documents.history import versions_of
from documents.models import Contribution, DocumentText, Language, Status
from tests.admin.conftest import form_data
from tests.factories import ContributionFactory, DocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def languages():
    return {
        "German": Language.objects.create(name="German", code="de"),
        "Persian": Language.objects.create(name="Persian", code="fa"),
        "Russian": Language.objects.create(name="Russian", code="ru"),
    }


@pytest.fixture
def letter(languages):
    document = DocumentFactory(
        title="Letter, I. V. Stalin to Cde. Pishevari",
        text="Cde. Pishevari! It seems to me that you misjudge the situation.",
        transcript="Тов. Пишевари! Мне кажется, что Вы неверно оцениваете ситуацию.",
    )
    document.languages.add(languages["Russian"])
    ContributionFactory(
        document=document,
        person=PersonFactory(name="Gary Goldberg"),
        role=Contribution.Role.TRANSLATOR,
    )
    DocumentText.objects.create(
        document=document,
        language=languages["German"],
        text="Genosse Pischewari! Mir scheint, Sie beurteilen die Lage falsch. Zwiebelturm.",
        translator=PersonFactory(name="Hannelore Brandt"),
        note="Translated from the Russian original for the Berlin edition.",
        position=1,
    )
    DocumentText.objects.create(
        document=document,
        kind=DocumentText.Kind.TRANSCRIPT,
        language=languages["Persian"],
        text="رفیق پیشه‌وری!",
        position=1,
    )
    return document


def test_a_further_text_is_named_by_its_kind_and_language_and_credits_its_translator(letter):
    german, persian = letter.texts.order_by("-kind")
    assert str(german) == "Translation (German)"
    assert german.credit_line() == "Translated by Hannelore Brandt."
    assert str(persian) == "Transcript (Persian)" and persian.credit_line() == ""


def test_a_transcript_with_a_translator_is_refused(letter, languages):
    text = DocumentText(
        document=letter,
        kind=DocumentText.Kind.TRANSCRIPT,
        language=languages["Russian"],
        text="Тов.",
        translator=PersonFactory(),
    )
    with pytest.raises(ValidationError, match="A transcript has no translator"):
        text.full_clean()


def test_the_page_offers_a_switch_between_the_translations_with_their_credits(client, letter):
    german = letter.texts.get(kind="translation")
    page = client.get(letter.get_absolute_url()).content.decode()
    switch = page[page.index('aria-label="Translations"') :]
    switch = switch[: switch.index("</nav>")]
    assert 'href="#translation"' in switch and 'hreflang="en"' in switch
    assert f'href="#translation-{german.pk}"' in switch and 'hreflang="de"' in switch
    assert "<bdi>English</bdi>" in switch and "<bdi>German</bdi>" in switch
    # Every text is on the page (without JavaScript the links lead to them), each credited.
    assert f'id="translation-{german.pk}"' in page
    assert "Translation (German)" in page and "Translation (English)" in page
    assert "Translated by <bdi>Hannelore Brandt</bdi>." in page
    assert "Translated by <bdi>Gary Goldberg</bdi>." in page
    assert "Translated from the Russian original for the Berlin edition." in page
    assert '<div class="reading-body" lang="de">' in page
    # The transcripts, in the original languages, beside the translations.
    assert 'class="document-texts with-transcript"' in page
    transcripts = page[page.index('aria-label="Transcripts in the original language"') :]
    assert "<bdi>Russian</bdi>" in transcripts and "<bdi>Persian</bdi>" in transcripts
    assert "Transcript (Russian)" in page and 'lang="ru"' in page and 'lang="fa"' in page
    assert "رفیق پیشه‌وری!" in page


def test_a_document_with_one_text_has_no_switch(client, db):
    document = DocumentFactory(text="Only an English translation.")
    page = client.get(document.get_absolute_url()).content.decode()
    assert "language-switch" not in page and 'class="document-text"' in page
    assert "Only an English translation." in page


def test_the_texts_of_a_draft_are_never_shown_to_visitors(client, letter):
    letter.status = Status.DRAFT
    letter.save()
    assert client.get(letter.get_absolute_url()).status_code == 404
    page = client.get("/documents/", {"q": "Zwiebelturm"}).content.decode()
    assert "Pishevari" not in page
    assert client.get(f"/api/documents/{letter.record_id}/").status_code == 404


def test_search_finds_a_word_only_in_the_second_translation(client, letter):
    page = client.get("/documents/", {"q": "Zwiebelturm"}).content.decode()
    assert "Letter, I. V. Stalin to Cde. Pishevari" in page
    page = client.get("/documents/", {"q": "Brandt"}).content.decode()
    assert "Letter, I. V. Stalin to Cde. Pishevari" in page


def test_editing_a_further_text_refreshes_the_search_and_renaming_its_translator_too(
    client, letter
):
    german = letter.texts.get(kind="translation")
    german.text = "Genosse Pischewari! Kirschblüte."
    german.save()
    assert "Pishevari" not in client.get("/documents/", {"q": "Zwiebelturm"}).content.decode()
    assert "Pishevari" in client.get("/documents/", {"q": "Kirschblüte"}).content.decode()
    translator = german.translator
    translator.name = "Hannelore Brandt-Wegener"
    translator.save()
    assert "Pishevari" in client.get("/documents/", {"q": "Wegener"}).content.decode()


def test_the_api_gives_the_further_texts(client, letter):
    data = client.get(f"/api/documents/{letter.record_id}/").json()
    assert [(t["kind"], t["language"]["name"]) for t in data["texts"]] == [
        ("transcript", "Persian"),
        ("translation", "German"),
    ]
    german = data["texts"][1]
    assert german["translator"]["name"] == "Hannelore Brandt"
    assert german["note"].startswith("Translated from the Russian original")


def change_url(document):
    return reverse("admin:documents_document_change", args=[document.pk])


def signed_in(client, django_user_model, role):
    user = django_user_model.objects.create_user(role.lower(), password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


@pytest.fixture
def curator_client(client, django_user_model):
    return signed_in(client, django_user_model, "Curator")


def test_an_editor_adds_a_further_translation_in_the_document_form(
    client, django_user_model, letter, languages
):
    signed_in(client, django_user_model, "Editor")
    response = client.get(change_url(letter))
    assert response.status_code == 200
    data = form_data(
        response,
        **{
            "texts-TOTAL_FORMS": "3",
            "texts-2-kind": "translation",
            "texts-2-language": str(languages["Persian"].pk),
            "texts-2-text": "Persian translation, long\n\nwith paragraphs.",
            "texts-2-note": "",
            "texts-2-position": "2",
        },
    )
    response = client.post(change_url(letter), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    assert letter.texts.filter(kind="translation").count() == 2


def test_the_form_refuses_more_further_texts_of_a_kind_than_the_spreadsheet_holds(
    curator_client, letter, languages
):
    DocumentText.objects.create(
        document=letter, language=languages["Persian"], text="Second further translation."
    )
    response = curator_client.get(change_url(letter))
    data = form_data(
        response,
        **{
            "texts-TOTAL_FORMS": "4",
            "texts-3-kind": "translation",
            "texts-3-language": str(languages["Russian"].pk),
            "texts-3-text": "A third one.",
            "texts-3-position": "3",
        },
    )
    response = curator_client.post(change_url(letter), data)
    assert response.status_code == 200
    assert "at most 2 further translations" in response.content.decode()
    assert letter.texts.filter(kind="translation").count() == 2


def test_reverting_a_document_restores_its_further_texts(curator_client, letter):
    response = curator_client.get(change_url(letter))
    curator_client.post(change_url(letter), form_data(response, title="Letter to Pishevari"))
    response = curator_client.get(change_url(letter))
    german = letter.texts.get(kind="translation")
    index = [f.instance.pk for f in response.context["inline_admin_formsets"][1].formset.forms]
    data = form_data(response, **{f"texts-{index.index(german.pk)}-DELETE": "on"})
    curator_client.post(change_url(letter), data)
    assert not letter.texts.filter(kind="translation").exists()

    first = list(versions_of(letter))[-1]
    response = curator_client.post(
        reverse("admin:documents_document_revert", args=[letter.pk, first.pk])
    )
    assert response.status_code == 302
    restored = letter.texts.get(kind="translation")
    assert restored.text.endswith("Zwiebelturm.") and restored.language.name == "German"
    assert restored.translator.name == "Hannelore Brandt"
    page = Client().get("/documents/", {"q": "Zwiebelturm"}).content.decode()
    assert "Letter, I. V. Stalin to Cde. Pishevari" in page


def test_the_roles_may_do_with_further_texts_what_they_may_with_a_documents_other_rows(db):
    for role, allowed in {
        "Curator": {"view", "add", "change", "delete"},
        "Editor": {"view", "add", "change", "delete"},
        "Importer": {"view"},
        "Viewer": {"view"},
    }.items():
        granted = set(
            Group.objects.get(name=role)
            .permissions.filter(codename__endswith="_documenttext")
            .values_list("codename", flat=True)
        )
        assert granted == {f"{action}_documenttext" for action in allowed}, role


def test_merging_a_translator_moves_their_translation_and_undoing_it_gives_it_back(
    letter, django_user_model
):
    from documents.workflows.merging import merge_people, undo_merge

    curator = django_user_model.objects.create_user("curator", password="x" * 20, is_staff=True)
    german = letter.texts.get(kind="translation")
    duplicate = german.translator
    kept = PersonFactory(name="H. Brandt")
    merge = merge_people(kept, duplicates=[duplicate], by=curator)
    german.refresh_from_db()
    assert german.translator == kept

    undo_merge(merge, by=curator)
    german.refresh_from_db()
    assert german.translator.name == "Hannelore Brandt" and german.translator.pk == duplicate.pk


def test_a_deleted_document_is_restored_with_its_further_texts(curator_client, letter):
    from documents.history import deleted_versions
    from documents.models import Document
    from documents.workflows.restoring import restore_deleted

    response = curator_client.post(
        reverse("admin:documents_document_delete", args=[letter.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not DocumentText.objects.exists()

    version = deleted_versions(Document).get(object_id=str(letter.pk))
    restore_deleted(version, by=response.wsgi_request.user, publish=True)

    texts = {t.language.name: t for t in Document.objects.get(pk=letter.pk).texts.all()}
    assert set(texts) == {"German", "Persian"}
    assert texts["German"].translator.name == "Hannelore Brandt"
    assert "Pishevari" in Client().get("/documents/", {"q": "Zwiebelturm"}).content.decode()


def test_harvesters_are_given_the_further_translations_translators(client, letter):
    from tests.oai.helpers import NS, ask, identifier

    tree = ask(client, verb="GetRecord", identifier=identifier(letter), metadataPrefix="mods")
    names = {
        name.findtext("mods:namePart", namespaces=NS): [
            term.text for term in name.iterfind("mods:role/mods:roleTerm", NS)
        ]
        for name in tree.iterfind(".//mods:mods/mods:name", NS)
    }
    assert names["Hannelore Brandt"] == ["trl", "Translator"]
    assert names["Gary Goldberg"] == ["trl", "Translator"]
    tree = ask(client, verb="GetRecord", identifier=identifier(letter), metadataPrefix="oai_dc")
    contributors = [c.text for c in tree.iterfind(".//dc:contributor", NS)]
    assert contributors == ["Gary Goldberg", "Hannelore Brandt"]
