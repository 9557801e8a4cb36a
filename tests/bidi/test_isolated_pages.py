"""Public pages show each Persian title and name in its own direction: the heading or paragraph
that holds it has dir="auto", an inline title or name is in <bdi>; read from the parsed page."""

import pytest
from django.urls import reverse

from documents.models import Citation, Contribution, Language, PersonName, Place, Subject
from tests.bidi.pages import isolations, unisolated
from tests.factories import (
    CollectionFactory,
    ContributionFactory,
    DocumentFactory,
    PersonFactory,
    RepositoryFactory,
)

pytestmark = pytest.mark.django_db

TITLE = "نامه قوام السلطنه به سادچیکوف، 12 مه 1946"
PISHEVARI = "جعفر پیشه‌وری"
SUBJECT = "فرقه دموکرات آذربایجان"
PLACE = "تبریز"


@pytest.fixture
def persian():
    """A Persian letter among Latin ones, with Persian people, subject, place and collection."""
    document = DocumentFactory(
        title=TITLE,
        date_text="22 Ordibehesht 1325",
        date_edtf="1946-05-12",
        summary="قوام به سادچیکوف درباره نفت شمال می‌نویسد.\n\nA second paragraph in English.",
        text="Esteemed Mr. Ambassador!\n\nمتن ترجمه.",
    )
    DocumentFactory(title="Telegram from Baku to Moscow", date_text="May 13, 1946")
    author = PersonFactory(name=PISHEVARI)
    PersonName.objects.create(person=author, name="Ja'far Pishevari")
    translator = PersonFactory(name="حسن تقی‌زاده")
    ContributionFactory(document=document, person=author, role=Contribution.Role.AUTHOR)
    ContributionFactory(
        document=document,
        person=translator,
        role=Contribution.Role.TRANSLATOR,
        name_as_written="تقی زاده",
    )
    document.subjects.add(Subject.objects.create(name=SUBJECT))
    document.places.add(Place.objects.create(name=PLACE))
    document.languages.add(Language.objects.create(name="فارسی", code="fa"))
    Citation.objects.create(
        document=document, repository=RepositoryFactory(), reference="f. 17, op. 128, d. 1019"
    )
    collection = CollectionFactory(title="بحران آذربایجان", description="مجموعه اسناد.\n\nEnglish.")
    collection.documents.add(document)
    return document


def test_the_document_page_isolates_its_title_people_terms_and_paragraphs(client, persian):
    body = client.get(persian.get_absolute_url()).content.decode()

    [heading] = [e for e in isolations(body, TITLE) if e.tag == "h1"]
    assert heading.attrs["dir"] == "auto"
    for name in [PISHEVARI, "حسن تقی‌زاده", "تقی زاده", SUBJECT, PLACE, "فارسی", "بحران آذربایجان"]:
        assert [e.tag for e in isolations(body, name)] >= ["bdi"], name
    for paragraph in ["قوام به سادچیکوف درباره نفت شمال می‌نویسد.", "متن ترجمه."]:
        [block] = isolations(body, paragraph)
        assert (block.tag, block.attrs["dir"]) == ("p", "auto")
    assert unisolated(body, PISHEVARI) == []
    assert unisolated(body, TITLE) == []


def test_the_chicago_note_isolates_the_title_and_names_but_copies_as_plain_text(client, persian):
    body = client.get(persian.get_absolute_url()).content.decode()

    note = next(e for e in isolations(body, TITLE) if e.parent.attrs.get("id") == "chicago-note")
    assert note.tag == "bdi"
    assert note.parent.text().startswith(
        f"{PISHEVARI}, “{TITLE},” 22 Ordibehesht 1325 [May 12, 1946], RGASPI"
    )
    assert "trans. حسن تقی‌زاده" in note.parent.text()
    source = next(e for e in parse_all(body) if e.attrs.get("class") == "source")
    assert [e.text() for e in source.walk() if e.tag == "bdi"] == ["حسن تقی‌زاده"]


def test_the_citation_downloads_carry_no_markup(client, persian):
    for name in ["cite-ris", "cite-bibtex", "cite-csl"]:
        response = client.get(reverse(f"documents:{name}", args=[persian.record_id]))
        text = response.content.decode()
        assert TITLE in text and PISHEVARI in text, name
        assert "bdi" not in text and "\ue000" not in text and "\ue001" not in text


def test_the_list_the_search_and_the_facets_isolate_persian_titles_and_labels(client, persian):
    for params in [{}, {"q": "سادچیکوف"}, {"q": "Pishevari"}]:
        body = client.get("/documents/", params).content.decode()

        [heading] = isolations(body, TITLE)
        assert (heading.tag, heading.attrs["dir"]) == ("h3", "auto")
        for label in [PISHEVARI, SUBJECT, PLACE]:
            assert [e.tag for e in isolations(body, label)] == ["bdi"], (params, label)
        assert unisolated(body, TITLE) == []

    body = client.get("/documents/", {"q": "سادچیکوف"}).content.decode()
    assert [e.tag for e in isolations(body, "سادچیکوف")] == ["bdi"]  # "matching “...”"


def test_person_and_collection_pages_isolate_names_titles_and_descriptions(client, persian):
    person = persian.people.get(name=PISHEVARI)
    body = client.get(person.get_absolute_url()).content.decode()
    assert [e.tag for e in isolations(body, PISHEVARI)][:1] == ["h1"]
    assert "bdi" in [e.tag for e in isolations(body, PISHEVARI)]
    assert [e.tag for e in isolations(body, TITLE)] == ["h3"]

    collection = persian.collections.get()
    body = client.get(collection.get_absolute_url()).content.decode()
    assert [e.tag for e in isolations(body, "بحران آذربایجان")] == ["h1"]
    assert [e.tag for e in isolations(body, "مجموعه اسناد.")] == ["p"]
    assert [e.tag for e in isolations(body, TITLE)] == ["h3"]

    body = client.get("/collections/").content.decode()
    assert [e.tag for e in isolations(body, "بحران آذربایجان")] == ["bdi"]


def parse_all(body):
    from tests.bidi.pages import parse

    return list(parse(body).walk())
