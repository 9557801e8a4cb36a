"""Every line of every scraped seed page appears on our own page for that record, in order.

The seed pages in tests/seed_pages/ are the archive's public pages as scraped: the fixture in
fixtures/seed.json must hold them faithfully, and our templates must show all of it again.
"""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from archive_collections.models import Collection
from documents.models import Document, RightsStatement

pytestmark = pytest.mark.django_db

SEED_PAGES = Path(__file__).parent / "seed_pages"
DOCUMENT_SEEDS = ["000", "001", "002", "004"]
COLLECTION_SEED = "003"

# Cloudflare's email obfuscation replaced the rights contact address in the scraped pages
# (as "[email<no-break space>protected]"; seed lines are compared whitespace-collapsed).
HIDDEN_EMAIL = "[email protected]"


class _TextExtractor(HTMLParser):
    """Collect the visible text of <body>; block-level tags separate words, inline tags do not."""

    BLOCK_TAGS = {
        "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "main", "nav", "ol", "p", "section", "summary", "table", "td", "th", "tr", "ul",
    }  # fmt: skip
    HIDDEN_TAGS = {"head", "script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN_TAGS:
            self.hidden += 1
        elif tag in self.BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN_TAGS:
            self.hidden -= 1
        elif tag in self.BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def collapse(text):
    """Collapse every run of whitespace (no-break spaces included) to one space."""
    return " ".join(text.split())


def page_text(response):
    """The page as a reader sees it: tags stripped, entities unescaped, whitespace collapsed."""
    assert response.status_code == 200
    parser = _TextExtractor()
    parser.feed(response.content.decode())
    parser.close()
    return collapse(html.unescape("".join(parser.parts)))


def seed_lines(prefix):
    """The non-blank lines of a seed page, whitespace-collapsed."""
    (path,) = SEED_PAGES.glob(f"{prefix}_*.txt")
    lines = [collapse(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def assert_in_order(expected_lines, text):
    """Each expected line occurs in `text` after the previous one (earliest match wins)."""
    position = 0
    for number, line in enumerate(expected_lines, start=1):
        found = text.find(line, position)
        assert found != -1, (
            f"Seed line {number} is missing from our page (or out of order): {line!r}\n"
            f"Our page from the last match on: {text[position : position + 300]!r}"
        )
        position = found + len(line)


def with_rights_email(lines):
    email = RightsStatement.default().contact_email
    assert email, "The default rights statement needs the contact email the seed pages hide."
    return [line.replace(HIDDEN_EMAIL, email) for line in lines]


@pytest.mark.parametrize("prefix", DOCUMENT_SEEDS)
def test_document_page_shows_every_line_of_its_seed_page(client, seeds, prefix):
    lines = seed_lines(prefix)
    # Lines 2 and 3 of a document page are its date and title; the title finds our record.
    document = Document.objects.get(title=lines[2])
    text = page_text(client.get(f"/documents/{document.record_id}/"))

    # Exception 1: "Skip to content" is not our content but our page has its own skip link,
    # so the line is still checked like any other (it comes first on both pages).
    assert lines[0] == "Skip to content"
    # Exception 2: the scraped pages hide the rights contact address behind Cloudflare's
    # "[email protected]"; we compare against the address our rights statement holds.
    expected = with_rights_email(lines)

    assert_in_order(expected, text)


@pytest.mark.parametrize("prefix", DOCUMENT_SEEDS)
def test_document_page_shows_the_record_facts_labels_and_its_record_id(client, seeds, prefix):
    document = Document.objects.get(title=seed_lines(prefix)[2])
    text = page_text(client.get(f"/documents/{document.record_id}/"))
    for label in ["Document Information", "Original Uploaded Date", "Record ID"]:
        assert label in text
    assert f"Record ID {document.record_id}" in text


def test_seed_pages_with_a_hidden_email_are_checked_against_the_real_address():
    # Guards the exception above: it must only ever touch the rights contact line.
    hidden = [line for p in DOCUMENT_SEEDS for line in seed_lines(p) if HIDDEN_EMAIL in line]
    assert len(hidden) == 3  # seed 004's notice ends at "... Program at" with no address
    assert all(line.startswith("To enquire about this document's rights") for line in hidden)


def test_collection_page_shows_every_line_of_its_seed_page(client, seeds):
    lines = seed_lines(COLLECTION_SEED)
    collection = Collection.objects.get(title=lines[1])
    text = page_text(client.get(f"/collections/{collection.slug}/"))

    # Exception: the scraped page runs the description and the image caption together on one
    # line ('... "Iran\'s Tudeh Party" (Image: <caption>).'). We store them as two fields and
    # print the caption as "(Image: <caption>)" after the description, so the two halves are
    # checked separately, in the same order.
    (description_line,) = [line for line in lines if " (Image: " in line]
    description, caption = description_line.split(" (Image: ")
    caption = caption.removesuffix(").")
    index = lines.index(description_line)
    expected = [*lines[:index], description, f"(Image: {caption})", *lines[index + 1 :]]

    assert_in_order(expected, text)
    assert collection.description == description
    assert collection.image_caption == caption


def test_collection_page_links_the_collections_it_tells_readers_to_also_see(client, seeds):
    lines = seed_lines(COLLECTION_SEED)
    collection = Collection.objects.get(title=lines[1])
    also_see = re.findall(r'"([^"]+?),?"', collection.description)
    assert also_see == ["The Iran/Azerbaijan Crisis, 1946", "Iran's Tudeh Party"]
    assert sorted(c.title for c in collection.related.all()) == sorted(also_see)
    body = client.get(f"/collections/{collection.slug}/").content.decode()
    for other in collection.related.all():
        link = f'<a href="{other.get_absolute_url()}"><bdi>{html.escape(other.title)}</bdi></a>'
        assert link in body
