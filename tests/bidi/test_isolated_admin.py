"""The admin shows each Persian title and name in its own direction: change-list cells, the change
form's heading, breadcrumbs and text boxes, the history, the delete and the merge pages."""

import pytest
from django.urls import reverse

from documents.models import PersonName, Subject
from tests.bidi.pages import isolations, parse
from tests.factories import CollectionFactory, DocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db

TITLE = "نامه قوام السلطنه به سادچیکوف، 12 مه 1946"
PISHEVARI = "جعفر پیشه‌وری"


@pytest.fixture
def signed_in(client, curator):
    client.force_login(curator)
    return client


def _tags(body, text):
    return [e.tag for e in isolations(body, text)]


def test_change_lists_show_each_cell_in_its_own_direction(signed_in):
    DocumentFactory(title=TITLE)
    DocumentFactory(title="Telegram from Baku")
    person = PersonFactory(name="Ja'far Pishevari", sort_name="پیشه‌وری، جعفر")
    PersonName.objects.create(person=person, name=PISHEVARI)
    PersonName.objects.create(person=person, name="Pishavari")
    Subject.objects.create(name="فرقه دموکرات آذربایجان")
    CollectionFactory(title="بحران آذربایجان")

    documents = signed_in.get(reverse("admin:documents_document_changelist")).content.decode()
    people = signed_in.get(reverse("admin:documents_person_changelist")).content.decode()
    subjects = signed_in.get(reverse("admin:documents_subject_changelist")).content.decode()

    # The title is the row's link: the cell isolates it.
    [cell] = [e for e in isolations(documents, TITLE) if e.tag in ("td", "th")]
    assert "field-title" in cell.attrs["class"]
    assert "td" in _tags(people, "پیشه‌وری، جعفر")
    # Several names in one cell: each in its own direction.
    assert _tags(people, PISHEVARI) == ["bdi"] and _tags(people, "Pishavari") == ["bdi"]
    assert set(_tags(subjects, "فرقه دموکرات آذربایجان")) & {"td", "th"}
    # The list filters beside the list, too.
    assert _tags(documents, "بحران آذربایجان") == ["bdi"]


def test_the_change_form_heading_breadcrumbs_and_text_boxes_run_in_their_own_direction(
    signed_in,
):
    document = DocumentFactory(title=TITLE)

    body = signed_in.get(reverse("admin:documents_document_change", args=[document.pk]))
    body = body.content.decode()

    assert "h2" in _tags(body, TITLE)
    [crumb] = [e for e in isolations(body, TITLE) if e.tag == "bdi"]
    assert "breadcrumbs" in crumb.parent.attrs.get("class", "")
    boxes = {e.attrs.get("name"): e for e in parse(body).walk() if e.tag in ("input", "textarea")}
    for name in ["title", "date_text", "summary", "text", "transcript"]:
        assert boxes[name].attrs.get("dir") == "auto", name
    assert boxes["contributions-__prefix__-name_as_written"].attrs.get("dir") == "auto"


def test_history_delete_and_merge_pages_isolate_the_names(signed_in):
    person = PersonFactory(name=PISHEVARI)
    other = PersonFactory(name="Ja'far Pishevari")

    history = signed_in.get(reverse("admin:documents_person_history", args=[person.pk]))
    delete = signed_in.get(reverse("admin:documents_person_delete", args=[person.pk]))
    merge = signed_in.get(
        reverse("admin:documents_person_merge"), {"ids": f"{person.pk},{other.pk}"}
    )

    assert _tags(history.content.decode(), PISHEVARI) == ["bdi"]
    assert _tags(delete.content.decode(), PISHEVARI).count("bdi") == 2  # crumbs, question
    assert "bdi" in _tags(merge.content.decode(), PISHEVARI)
