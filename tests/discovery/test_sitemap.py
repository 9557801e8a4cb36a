"""The sitemap: valid for sitemaps.org's schemas, read by a real sitemap crawler, and naming
every published document, published collection and public person, and nothing else."""

from pathlib import Path
from urllib.robotparser import RobotFileParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from archive_collections.models import Collection
from documents.discovery import sitemaps
from documents.models import Document, Person
from tests.discovery.records import build_open_archive

DATA = Path(__file__).parent / "data"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def schema(name):
    return etree.XMLSchema(etree.parse(str(DATA / name)))


def valid(content, name):
    document = etree.fromstring(content)
    xsd = schema(name)
    assert xsd.validate(document), xsd.error_log
    return document


def section_locations(client, section):
    response = client.get(f"/sitemap-{section}.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    urlset = valid(response.content, "sitemap.xsd")
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in urlset.findall("s:url", NS)
    }


def test_sitemap_index_names_each_section_and_validates(client, archive):
    response = client.get("/sitemap.xml")
    index = valid(response.content, "siteindex.xsd")
    locations = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert locations == [
        "http://testserver/sitemap-documents.xml",
        "http://testserver/sitemap-collections.xml",
        "http://testserver/sitemap-people.xml",
    ]
    assert len([s.text for s in index.findall("s:sitemap/s:lastmod", NS) if s.text]) == 3


def test_sitemap_lists_published_documents_with_their_last_change(client, archive):
    locations = section_locations(client, "documents")
    published = Document.objects.published()
    assert set(locations) == {f"http://testserver{d.get_absolute_url()}" for d in published}
    letter = archive.stalin_letter
    letter.refresh_from_db()
    stamp = locations[f"http://testserver{letter.get_absolute_url()}"]
    assert stamp == letter.updated_at.isoformat(timespec="seconds")
    for hidden in (archive.draft, archive.withdrawn):
        assert f"http://testserver{hidden.get_absolute_url()}" not in locations


def test_sitemap_lists_published_collections_only(client, archive):
    locations = section_locations(client, "collections")
    assert set(locations) == {
        f"http://testserver{c.get_absolute_url()}" for c in Collection.objects.published()
    }
    assert f"http://testserver{archive.unfinished.get_absolute_url()}" not in locations


def test_sitemap_lists_exactly_the_people_whose_page_a_visitor_can_open(client, archive):
    locations = section_locations(client, "people")
    for person in Person.objects.all():
        address = f"http://testserver{person.get_absolute_url()}"
        opens = client.get(person.get_absolute_url()).status_code == 200
        assert (address in locations) == opens, person.name
    assert f"http://testserver{archive.draft_only.get_absolute_url()}" not in locations
    assert f"http://testserver{archive.withdrawn_only.get_absolute_url()}" not in locations


def test_a_person_is_dated_by_the_latest_published_document_naming_them(client, archive):
    locations = section_locations(client, "people")
    latest = max(d.updated_at for d in Document.objects.published().filter(people=archive.bagirov))
    stamp = locations[f"http://testserver{archive.bagirov.get_absolute_url()}"]
    assert stamp == latest.isoformat(timespec="seconds")


def test_a_long_section_is_split_into_pages_the_index_names(client, archive, monkeypatch):
    monkeypatch.setattr(sitemaps.DocumentSitemap, "limit", 2)
    index = valid(client.get("/sitemap.xml").content, "siteindex.xsd")
    locations = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert "http://testserver/sitemap-documents.xml?p=2" in locations
    first = section_locations(client, "documents")
    second = valid(client.get("/sitemap-documents.xml?p=2").content, "sitemap.xsd")
    assert len(first) == 2 and len(second.findall("s:url", NS)) == 1
    assert client.get("/sitemap-documents.xml?p=3").status_code == 404
    assert client.get("/sitemap-documents.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_sitemap_page_costs_the_same_queries_whatever_it_holds(client, archive):
    def queries(section):
        client.get(f"/sitemap-{section}.xml")  # the public index takes the archive's changes
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/sitemap-{section}.xml").status_code == 200
        return len(captured)

    before = {section: queries(section) for section in sitemaps.SITEMAPS}
    for number in range(30):
        Document.objects.create(title=f"More {number}", status="published")
    person = Person.objects.create(name="Another Person")
    person.contributions.create(document=Document.objects.last(), role="author")
    Collection.objects.create(title="Another collection", status="published")
    assert {section: queries(section) for section in sitemaps.SITEMAPS} == before


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, archive):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    robots = RobotFileParser()
    robots.parse(response.content.decode().splitlines())
    assert robots.site_maps() == ["http://testserver/sitemap.xml"]
    assert not robots.can_fetch("*", "http://testserver/admin/")
    assert not robots.can_fetch("*", "http://testserver/api/documents/")
    for page in ("/", "/documents/", archive.stalin_letter.get_absolute_url(), "/sitemap.xml"):
        assert robots.can_fetch("*", f"http://testserver{page}"), page


@pytest.mark.django_db(transaction=True)
def test_a_sitemap_crawler_finds_every_public_page_from_robots_txt(live_server):
    from usp.tree import sitemap_tree_for_homepage

    archive = build_open_archive()
    tree = sitemap_tree_for_homepage(live_server.url + "/", use_known_paths=False)
    found = {page.url for page in tree.all_pages()}
    expected = {
        *(d.get_absolute_url() for d in Document.objects.published()),
        *(c.get_absolute_url() for c in Collection.objects.published()),
        archive.stalin.get_absolute_url(),
        archive.bagirov.get_absolute_url(),
    }
    assert {live_server.url + path for path in expected} <= found
    hidden = [archive.draft, archive.withdrawn, archive.unfinished, archive.draft_only]
    assert not {live_server.url + record.get_absolute_url() for record in hidden} & found
    assert all(page.last_modified for page in tree.all_pages())


def test_a_section_whose_items_have_no_date_is_still_served(client, db):
    from tests.factories import CollectionFactory

    CollectionFactory()
    assert client.get("/sitemap-collections.xml").status_code == 200


def test_an_empty_section_is_left_out_of_the_index_and_not_served(client, db):
    from tests.factories import CollectionFactory

    CollectionFactory()  # a published collection, and no published document or person yet
    index = valid(client.get("/sitemap.xml").content, "siteindex.xsd")
    locations = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert locations == ["http://testserver/sitemap-collections.xml"]
    assert client.get("/sitemap-documents.xml").status_code == 404
    assert client.get("/sitemap-people.xml").status_code == 404
    valid(client.get("/sitemap-collections.xml").content, "sitemap.xsd")
