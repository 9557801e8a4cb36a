"""The timeline of documents per year on /documents/ and the collection pages."""

import random
from datetime import date

import numpy as np
import pytest

from documents.browse import index, timeline
from documents.models import Status
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

DATES = [
    "May 8, 1946",
    "November 1945",
    "1945/1946",  # counted in 1945 and in 1946
    "1940s",  # in each year of the decade
    "circa 1946",
    "1950 or earlier",  # one bound only: in no bar
    "undated",
    "undated",
    "1952",
]


@pytest.fixture
def dated(archive):
    for text in DATES:
        document = DocumentFactory(date_text=text, title=f"Dated {text}")
        archive.collection.documents.add(document)
    DocumentFactory(date_text="1938", status=Status.DRAFT)
    DocumentFactory(date_text="1939", status=Status.WITHDRAWN)
    return archive


def chart(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.context["timeline"]


def listed(client, url, bar_url):
    return client.get(url + bar_url).context["paginator"].count


@pytest.mark.parametrize(
    "params", [{}, {"place": "tabriz"}, {"type": "letter"}, {"q": "Dated"}], ids=str
)
def test_each_bar_counts_the_documents_the_list_filtered_by_its_year_shows(client, dated, params):
    drawn = chart(client, "/documents/", params)
    assert drawn.step == 1
    for bar in drawn.bars:
        if bar.count:
            assert listed(client, "/documents/", bar.url) == bar.count, bar.years
        else:
            assert bar.url == ""


def test_a_bar_keeps_the_lists_other_filters(client, dated):
    drawn = chart(client, "/documents/", {"place": "tabriz", "page": "2"})
    bar = next(bar for bar in drawn.bars if bar.count)
    assert bar.url == f"?place=tabriz&date_from={bar.first}&date_to={bar.last}"


def test_documents_over_several_years_count_in_each_and_drafts_in_none(client, dated):
    counts = {bar.first: bar.count for bar in chart(client, "/documents/").bars}
    # 1940s in every year of the decade and 1945/1946 in both years; November 1945 and the Baku
    # telegram in 1945; the two seed letters of 1946, May 8, 1946 and circa 1946 in 1946. The
    # draft of 1938 and the withdrawn record of 1939 in none.
    assert 1938 not in counts and 1939 not in counts
    assert counts[1940] == 1
    assert counts[1945] == 1 + 1 + 2
    assert counts[1946] == 1 + 1 + 2 + 2
    assert counts[1952] == 1
    assert min(counts) == 1940
    assert max(counts) == 1952


def test_undated_and_open_ended_documents_are_counted_in_words(client, dated):
    drawn = chart(client, "/documents/")
    assert (drawn.undated, drawn.open_ended) == (2, 1)
    body = client.get("/documents/").content.decode()
    assert "2 documents are undated and" in body
    assert "1 document has only an earliest or a latest date" in body


def test_the_collection_page_draws_the_collections_own_documents(client, dated):
    url = dated.collection.get_absolute_url()
    drawn = chart(client, url)
    assert sum(bar.count for bar in drawn.bars if bar.first == 1946) == 6
    for bar in drawn.bars:
        if bar.count:
            assert listed(client, url, bar.url) == bar.count
    crisis = chart(client, dated.crisis.get_absolute_url())
    assert [(bar.first, bar.count) for bar in crisis.bars] == [(1946, 1)]


def test_a_wide_range_is_drawn_in_spans_whose_links_list_as_many(client, archive):
    for text in ("1703", "1850", "1991", "1990s"):
        DocumentFactory(date_text=text)
    drawn = chart(client, "/documents/")
    assert drawn.step == 5
    assert len(drawn.bars) <= timeline.MOST_BARS
    for bar in drawn.bars:
        assert bar.last - bar.first == 4
        if bar.count:
            assert listed(client, "/documents/", bar.url) == bar.count
    # Two bars of five years are too narrow for a label each decade: every twenty years.
    assert [tick.text for tick in drawn.ticks][:2] == ["1700", "1720"]


def test_a_list_without_documents_draws_no_timeline(client, archive):
    assert chart(client, "/documents/", {"q": "nothing-matches-this"}) is None
    assert 'class="timeline"' not in client.get("/documents/?q=zzzz").content.decode()


def test_the_chart_is_an_svg_of_links_with_a_table_for_screen_readers(client, dated):
    body = client.get("/documents/").content.decode()
    assert '<svg class="timeline-chart"' in body
    assert 'role="group" aria-labelledby="timeline-title"' in body
    assert '<a href="?date_from=1946&amp;date_to=1946" aria-label="1946: 6 documents">' in body
    assert '<text x="' in body and ">1940</text>" in body and ">1950</text>" in body
    assert '<details class="timeline-table">' in body
    assert '<th scope="row">1946</th><td><a href="?date_from=1946&amp;date_to=1946">6</a>' in body


def test_the_counts_in_memory_equal_counting_each_documents_years(archive):
    rng = random.Random(13)
    for _ in range(60):
        year = rng.randint(1900, 1999)
        text = rng.choice([str(year), f"{year}/{year + rng.randint(1, 3)}", f"{year // 10}0s"])
        DocumentFactory(date_text=text, status=rng.choice([Status.PUBLISHED, Status.DRAFT]))
    public = index.public_index()
    mask = np.ones(len(public.ids), dtype=bool)
    mask[rng.sample(range(len(mask)), 10)] = False
    for most in (200, 30, 8):
        counts = timeline.year_counts(public, mask, most=most)
        expected = {}
        for position in np.flatnonzero(mask):
            start = date.fromordinal(
                index.EPOCH.toordinal() + int(public.columns["date_start"][position])
            )
            end = date.fromordinal(
                index.EPOCH.toordinal() + int(public.columns["date_end"][position])
            )
            spans = range(
                (start.year - counts.first) // counts.step,
                (end.year - counts.first) // counts.step + 1,
            )
            for span in spans:
                expected[span] = expected.get(span, 0) + 1
        assert {i: int(c) for i, c in enumerate(counts.counts) if c} == expected
        assert len(counts.counts) <= most
