"""The document page as researchers and their tools read it: links, metadata, withdrawn records."""

import json
import re

import pytest

from documents.models import Status
from tests.factories import ContributionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def page(client, document):
    return client.get(document.get_absolute_url()).content.decode()


def meta(body, name):
    return re.findall(rf'<meta name="{re.escape(name)}" content="([^"]*)">', body)


def test_document_page_links_people_subjects_places_and_languages(client, archive):
    body = page(client, archive.bagirov_letter)
    assert '<a href="/people/m-d-bagirov/"><bdi>M. D. Bagirov</bdi></a>' in body
    assert (
        '<dt>Recipient</dt>\n      <dd><a href="/people/i-v-stalin/"><bdi>I. V. Stalin</bdi></a>; '
        in body
    )
    assert '<a href="/documents/?subject=oil"><bdi>Oil</bdi></a>' in body
    assert '<a href="/documents/?place=tabriz"><bdi>Tabriz</bdi></a>' in body
    assert '<a href="/documents/?language=az"><bdi>Azerbaijani</bdi></a>' in body
    assert '<a href="/documents/?type=letter"><bdi>Letter</bdi></a>' in body
    assert (
        "GAPPOD, f.1, op.89, d.112. Obtained for <bdi>CWIHP</bdi> by <bdi>Jamil Hasanli</bdi> "
        "and translated for <bdi>CWIHP</bdi> by <bdi>Gary Goldberg</bdi>." in body
    )


def test_document_page_names_its_published_collections_only(client, archive):
    body = page(client, archive.stalin_letter)
    assert "Iran-Soviet Relations" in body
    assert "The Iran/Azerbaijan Crisis, 1946" in body
    body = page(client, archive.bagirov_letter)
    assert "Unfinished collection" not in body


def test_the_spelling_a_document_uses_is_shown_beside_the_persons_name(client, archive):
    assert "M. D. Bagirov</bdi></a> (as “<bdi>M.D. Bagriov</bdi>”)" in page(
        client, archive.baku_telegram
    )


def test_highwire_and_dublin_core_metadata_describe_the_record(client, archive):
    body = page(client, archive.baku_telegram)
    assert meta(body, "citation_title") == [archive.baku_telegram.title]
    # Zotero would replace the recipients and translators with Highwire authors: see meta_tags.
    assert meta(body, "citation_author") == []
    assert meta(body, "citation_publication_date") == ["1945/11/23"]
    assert meta(body, "citation_date") == []
    assert meta(body, "citation_publisher") == ["Digital Archive"]
    assert meta(body, "citation_archive_location") == [
        "RGASPI, f. 558, op. 11, d. 99, ll. 0049-0051"
    ]
    assert meta(body, "citation_language") == ["ru"]
    assert meta(body, "DC.creator") == ["Bagirov, M. D.", "Maslennikov, I. I."]
    assert meta(body, "DC.date") == ["1945-11-23"]
    assert meta(body, "DC.type") == ["Telegram", "Text"]
    assert meta(body, "DC.source") == []
    assert meta(body, "z.itemType") == ["letter"]
    assert meta(body, "z.recipients") == ["Stalin, I. V."]
    assert meta(body, "z.translators") == ["Goldberg, Gary"]
    assert meta(body, "z.archive") == ["Russian State Archive of Socio-Political History"]
    assert meta(body, "z.archiveLocation") == ["f. 558, op. 11, d. 99, ll. 0049-0051"]
    url = f"http://testserver/documents/{archive.baku_telegram.record_id}/"
    assert meta(body, "DC.identifier") == [url]
    assert f'<link rel="canonical" href="{url}">' in body


def test_json_ld_describes_the_record_for_search_engines(client, archive):
    body = page(client, archive.stalin_letter)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    )
    assert data["@type"] == ["ArchiveComponent", "Message"]
    assert data["name"] == "Letter, I. V. Stalin to Cde. Pishevari"
    assert data["dateCreated"] == "1946-05-08"
    assert data["author"] == [{"@type": "Person", "name": "I. V. Stalin"}]
    assert data["translator"] == [{"@type": "Person", "name": "Gary Goldberg"}]
    assert data["holdingArchive"]["name"] == "Russian State Archive of Socio-Political History"
    assert data["recipient"] == [{"@type": "Person", "name": "Ja'far Pishevari"}]
    assert data["about"] == [{"@type": "Thing", "name": "Iran Crisis, 1946"}]


def test_markup_in_a_title_stays_text_in_meta_tags_and_json_ld(client, db):
    title = "</script><script>alert('x')</script> Cable \"quoted\""
    document = DocumentFactory(title=title, summary="<img src=x onerror=alert(1)>")
    ContributionFactory(document=document, person__name="<b>Bold</b> Person")
    body = page(client, document)
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "<b>Bold" not in body
    escaped = (
        "&lt;/script&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Cable &quot;quoted&quot;"
    )
    assert meta(body, "citation_title") == [escaped]
    json_text = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(
        1
    )
    assert json.loads(json_text)["name"] == title
    assert "\\u003C/script\\u003E" in json_text


def test_withdrawn_record_answers_gone_with_a_way_on(client, archive):
    archive.stalin_letter.status = Status.WITHDRAWN
    archive.stalin_letter.save()
    response = client.get(archive.stalin_letter.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 410
    assert "This record has been withdrawn" in body
    # Named, as it was public, but its text is gone (tests/public/test_withdrawn_pages.py).
    assert archive.stalin_letter.title in body
    assert archive.stalin_letter.text[:80] not in body
    assert 'action="/documents/"' in body
    assert 'href="/collections/"' in body
    assert client.get(f"/documents/{archive.stalin_letter.record_id}/cite.ris").status_code == 410


def test_staff_still_preview_a_withdrawn_record(client, curator, archive):
    archive.stalin_letter.status = Status.WITHDRAWN
    archive.stalin_letter.save()
    client.force_login(curator)
    response = client.get(archive.stalin_letter.get_absolute_url())
    assert response.status_code == 200
    assert "is not shown to the public" in response.content.decode()


def test_unknown_page_helps_the_visitor_on(client, db):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in body
    assert 'action="/documents/"' in body and 'href="/collections/"' in body


def test_server_error_page_helps_the_visitor_on(rf, settings):
    from documents.views import server_error

    settings.ARCHIVE_NAME = "Another Archive"
    response = server_error(rf.get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "Another Archive" in body
    assert 'action="/documents/"' in body
