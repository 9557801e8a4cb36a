"""The Atom feeds, read by feedparser as a feed reader would, and linked from the pages."""

from functools import cache
from pathlib import Path

import feedparser
import rnc2rng
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from documents.models import Document
from tests.discovery.records import HIDDEN_PEOPLE, HIDDEN_TITLES

DATA = Path(__file__).parent / "data"


@cache
def atom_schema():
    """RFC 4287's RELAX NG grammar (compact syntax, shipped as data/atom.rnc), for lxml."""
    grammar = rnc2rng.dumps(rnc2rng.loads((DATA / "atom.rnc").read_text()))
    # The converter declares the grammar's empty "local" prefix, which XML forbids; its rules
    # name that namespace by ns="" attributes, so the declaration is not needed.
    grammar = grammar.replace(' xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(grammar.encode()))


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    schema = atom_schema()
    assert schema.validate(etree.fromstring(response.content)), schema.error_log
    return feed


def test_archive_feed_lists_newly_published_documents_newest_first(client, archive):
    feed = read(client, "/documents/feed/")
    assert feed.feed.title == "Digital Archive: newly published documents"
    assert feed.feed.link == "http://testserver/documents/"
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "Letter, I. V. Stalin to Cde. Pishevari (May 8, 1946)",
        "Letter from Bagirov to Stalin and Molotov about Qavam delaying talks with the "
        "Iranian Azerbaijani government (April 20, 1946)",
        "Telegram from Baku to Moscow, M.D. Bagriov and I.I. Maslennikov to Cdes. Stalin, "
        "Molotov, Beria, and Malenkov (November 23, 1945)",
    ]


def test_a_feed_entry_has_its_summary_authors_categories_dates_and_a_stable_id(client, archive):
    telegram = Document.objects.get(pk=archive.baku_telegram.pk)
    entry = read(client, "/documents/feed/").entries[-1]
    address = f"http://testserver{telegram.get_absolute_url()}"
    assert entry.id == address and entry.link == address
    assert entry.summary == telegram.summary
    assert [author.name for author in entry.authors] == ["M. D. Bagirov", "I. I. Maslennikov"]
    assert entry.authors[0].href == f"http://testserver{archive.bagirov.get_absolute_url()}"
    assert {tag.term for tag in entry.tags} == {"Telegram", "Tabriz"}
    assert entry.published_parsed[:6] == telegram.first_published_at.utctimetuple()[:6]
    assert entry.updated_parsed[:6] == telegram.updated_at.utctimetuple()[:6]
    again = read(client, "/documents/feed/").entries[-1]
    assert again.id == entry.id


def test_feeds_never_show_drafts_withdrawn_records_or_their_people(client, archive):
    for url in ("/documents/feed/", f"/collections/{archive.collection.slug}/feed/"):
        feed = read(client, url)
        text = str(feed)
        for hidden in HIDDEN_TITLES + HIDDEN_PEOPLE:
            assert hidden not in text, (url, hidden)


def test_a_collection_feed_holds_its_published_documents_only(client, archive):
    feed = read(client, f"/collections/{archive.crisis.slug}/feed/")
    assert feed.feed.title == "The Iran/Azerbaijan Crisis, 1946: newly published documents"
    assert [entry.link for entry in feed.entries] == [
        f"http://testserver{archive.stalin_letter.get_absolute_url()}"
    ]


def test_an_unpublished_collection_has_no_feed(client, archive):
    response = client.get(f"/collections/{archive.unfinished.slug}/feed/")
    assert response.status_code == 404


def test_a_feed_costs_the_same_queries_however_many_entries_it_has(client, archive):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            read(client, f"/collections/{archive.collection.slug}/feed/")
        return len(captured)

    before = queries()
    for number in range(20):
        document = Document.objects.create(title=f"New {number}", status="published")
        archive.collection.documents.add(document)
        document.subjects.add(archive.oil)
        document.contributions.create(person=archive.stalin, role="author")
    assert queries() == before


def test_pages_link_their_feeds_for_readers_and_people(client, archive):
    home = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Digital Archive: newly published documents" href="/documents/feed/">'
    ) in home
    assert 'href="/documents/feed/" type="application/atom+xml">Newly published' in home
    listing = client.get("/documents/").content.decode()
    assert 'href="/documents/feed/" type="application/atom+xml">Newly published' in listing
    page = client.get(archive.collection.get_absolute_url()).content.decode()
    feed = f"/collections/{archive.collection.slug}/feed/"
    assert (
        'type="application/atom+xml" title="Iran-Soviet Relations: newly published documents" '
        f'href="{feed}">' in page
    )
    assert f'<a href="{feed}" type="application/atom+xml">Follow this collection' in page


def test_cached_feeds_sitemaps_and_api_pages_follow_a_publication(
    client, archive, page_cache, curator
):
    from documents.workflows.publishing import publish, withdraw

    def shows(url, document):
        # The feed and the API show the title; the sitemap names the address.
        content = client.get(url).content.decode()
        return document.title in content or f"/documents/{document.record_id}/" in content

    urls = ["/documents/feed/", "/sitemap-documents.xml", "/api/documents/"]
    for url in urls:
        assert client.get(url)["X-Archive-Cache"] == "miss"
        assert client.get(url)["X-Archive-Cache"] == "hit"
        assert not shows(url, archive.draft)
    publish(Document.objects.filter(pk=archive.draft.pk), by=curator)
    withdraw(Document.objects.filter(pk=archive.stalin_letter.pk), by=curator)
    for url in urls:
        assert shows(url, archive.draft), url
        assert not shows(url, archive.stalin_letter), url


def test_a_feed_without_entries_reads_the_same_at_every_request(client, archive):
    from archive_collections.models import Collection

    empty = Collection.objects.create(title="Nothing published yet", status="published")
    first = read(client, f"/collections/{empty.slug}/feed/")
    assert first.entries == []
    assert first.feed.updated_parsed[:6] == empty.updated_at.utctimetuple()[:6]
    assert (
        client.get(f"/collections/{empty.slug}/feed/").content
        == client.get(f"/collections/{empty.slug}/feed/").content
    )
