"""Invisible direction controls (U+202A-U+202E, U+2066-U+2069) are refused in one-line texts,
by the admin's forms and by the spreadsheet import alike, with the field or row and column named;
long texts refuse only the overrides and keep the marks (LRM, RLM) of mixed-direction text."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.models import Document, Person, Subject
from documents.parsing.bidi import CONTROLS
from documents.spreadsheets.importing import import_documents
from tests.factories import DocumentFactory, PersonFactory
from tests.importing.conftest import write_csv

pytestmark = pytest.mark.django_db

TITLE = "نامه قوام السلطنه به سادچیکوف، 12 مه 1946"
EVERY_CONTROL = sorted(CONTROLS)


def _hex(character):
    return f"U+{ord(character):04X}"


@pytest.mark.parametrize("control", EVERY_CONTROL, ids=_hex)
def test_a_title_with_a_direction_control_is_refused_with_the_field_and_character_named(control):
    document = DocumentFactory.build(title=f"Letter from Qavam {control}{TITLE}")

    with pytest.raises(ValidationError) as refused:
        document.full_clean()

    [message] = refused.value.message_dict["title"]
    assert message.startswith(f"The title contains the invisible {CONTROLS[control][0]} ")
    assert _hex(control) in message and message.endswith("remove it.")


def test_the_right_to_left_override_message_says_what_it_does():
    document = DocumentFactory.build(title="Letter \u202eto Sadchikov")

    with pytest.raises(ValidationError) as refused:
        document.full_clean()

    assert refused.value.message_dict["title"] == [
        "The title contains the invisible right-to-left override character U+202E, "
        "which reverses the text after it; remove it."
    ]


def test_persian_titles_and_names_with_marks_and_zero_width_non_joiners_are_accepted():
    person = PersonFactory.build(name="جعفر پیشه\u200cوری", sort_name="پیشه\u200cوری، جعفر")
    person.full_clean()
    document = DocumentFactory.build(title=f"{TITLE}\u200f (copy)", date_text="12 May 1946")
    document.full_clean()


def test_a_long_text_keeps_embeddings_but_refuses_an_override():
    embedded = "The reply reads: \u202bپاسخ قوام\u202c, dated 1325.\n\nSecond paragraph \u200f."
    DocumentFactory.build(text=embedded, transcript=f"\u2067{TITLE}\u2069").full_clean()

    with pytest.raises(ValidationError) as refused:
        DocumentFactory.build(summary="Stalin \u202ewrote to Bagirov").full_clean()

    assert refused.value.message_dict["summary"] == [
        "The summary contains the invisible right-to-left override character U+202E, "
        "which reverses the text after it; remove it."
    ]


def test_a_variant_name_with_an_override_is_refused_in_the_admin(client, curator):
    person = PersonFactory(name="Ja'far Pishevari")
    client.force_login(curator)
    url = reverse("admin:documents_person_change", args=[person.pk])
    form = {
        "name": "Ja'far Pishevari",
        "sort_name": "Pishevari, Ja'far",
        "birth_year": "1893",
        "death_year": "1947",
        "note": "",
        "wikidata_id": "",
        "viaf_id": "",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
        "variants-0-name": "جعفر \u202eپیشه\u200cوری",
        "variants-0-kind": "transliteration",
    }

    response = client.post(url, form)

    assert response.status_code == 200
    errors = [
        str(e)
        for f in response.context["inline_admin_formsets"][0].formset
        for e in f.errors.get("name", [])
    ]
    assert errors == [
        "The name contains the invisible right-to-left override character U+202E, "
        "which reverses the text after it; remove it."
    ]
    assert not person.variants.exists()


def test_a_document_title_with_an_isolate_is_refused_in_the_admin_form(client, curator):
    document = DocumentFactory(title="Letter")
    client.force_login(curator)
    url = reverse("admin:documents_document_change", args=[document.pk])
    response = client.get(url)
    form = response.context["adminform"].form
    data = {name: value for name, value in _form_data(response).items()}
    data["title"] = f"\u2067{TITLE}"

    response = client.post(url, data)

    assert response.status_code == 200, form
    assert response.context["adminform"].form.errors["title"] == [
        "The title contains the invisible right-to-left isolate character U+2067, "
        "which makes the text after it run right to left; remove it."
    ]
    document.refresh_from_db()
    assert document.title == "Letter"


def _form_data(response):
    """The change form's fields as the browser would post them unchanged."""
    data = {}
    for form in (
        [response.context["adminform"].form]
        + [f for inline in response.context["inline_admin_formsets"] for f in inline.formset.forms]
        + [inline.formset.management_form for inline in response.context["inline_admin_formsets"]]
    ):
        for bound in form:
            value = bound.value()
            if value is None:
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            else:
                data[bound.html_name] = str(value)
    return data


# The import ---------------------------------------------------------------------------------


@pytest.mark.parametrize("control", EVERY_CONTROL, ids=_hex)
def test_the_import_refuses_a_title_with_a_direction_control_naming_row_and_column(
    tmp_path, control
):
    path = write_csv(
        tmp_path / "titles.csv",
        [["title", "date"], [TITLE, "12 May 1946"], [f"{TITLE}{control} (copy)", "1946"]],
    )

    result = import_documents(path)

    [error] = result.errors
    assert (error.row, error.column) == (3, "title")
    assert str(error).startswith(
        f"Row 3, column title: The title contains the invisible {CONTROLS[control][0]} "
        f"character {_hex(control)}"
    )
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("column", "cell", "noun"),
    [
        ("date", "12 \u202eMay 1946", "date as written"),
        ("subjects", "Azerbaijan Crisis; \u202bفرقه دموکرات\u202c", "name"),
        ("places", "\u2066Tabriz\u2069", "name"),
        ("source", "RGASPI, f. 17, op. 128, \u202ed. 1019", "reference"),
        ("funders", "MacArthur \u202dFoundation", "name"),
        ("type", "Letter\u202e", "name"),
        ("classification", "\u202aSecret", "name"),
        ("languages", "Persian; \u2068Russian", "name"),
        ("collections", "Iran-Soviet \u202eRelations", "title"),
    ],
)
def test_the_import_refuses_direction_controls_in_every_one_line_column(
    tmp_path, column, cell, noun
):
    path = write_csv(tmp_path / "cells.csv", [["title", column], [TITLE, cell]])

    result = import_documents(path, create_missing=True)

    [error] = result.errors
    assert (error.row, error.column) == (2, column)
    assert error.message.startswith(f"The {noun} contains the invisible ")
    assert not Document.objects.exists()
    assert not Subject.objects.exists()


def test_the_import_keeps_embeddings_in_a_transcript_but_refuses_an_override(tmp_path):
    transcript = f"\u202b{TITLE}\u202c\n\nجعفر پیشه\u200cوری\u200f"
    kept = write_csv(tmp_path / "kept.csv", [["title", "transcript"], [TITLE, transcript]])
    refused = write_csv(
        tmp_path / "refused.csv", [["title", "transcript"], ["Second letter", "نامه\u202e"]]
    )

    assert import_documents(kept).ok
    [error] = import_documents(refused).errors

    assert (error.row, error.column) == (2, "transcript")
    assert "right-to-left override character U+202E" in error.message
    assert Document.objects.get().transcript == transcript


def test_persian_people_and_titles_import_unchanged(tmp_path):
    path = write_csv(
        tmp_path / "persian.csv",
        [["title", "date", "authors"], [TITLE, "12 May 1946", "جعفر پیشه\u200cوری"]],
    )

    result = import_documents(path)

    assert result.ok, result.errors
    assert Document.objects.get().title == TITLE
    assert Person.objects.get().name == "جعفر پیشه\u200cوری"


def test_the_import_refuses_an_override_in_whom_a_credited_person_acted_for(tmp_path):
    path = write_csv(
        tmp_path / "credits.csv",
        [["title", "obtained_by", "obtained_for"], [TITLE, "Jamil Hasanli", "\u202eCWIHP"]],
    )

    [error] = import_documents(path, create_missing=True).errors

    assert (error.row, error.column) == (2, "obtained_for")
    assert error.message.startswith("The name contains the invisible right-to-left override")


def test_the_import_refuses_a_person_named_with_a_direction_control(tmp_path):
    path = write_csv(tmp_path / "people.csv", [["title", "authors"], [TITLE, "جعفر \u202eپیشه‌وری"]])

    [error] = import_documents(path).errors

    assert (error.row, error.column) == (2, "authors")
    assert error.message == (
        "The name contains the invisible right-to-left override character U+202E, "
        "which reverses the text after it; remove it."
    )
    assert not Person.objects.exists()
