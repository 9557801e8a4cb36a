"""What the index holds: every declared column reaches it, under its weight, on both databases."""

import pytest
from django.db import connection

from documents import search
from documents.models import Document, Subject
from documents.search.columns import COLUMNS, NAMES
from tests.factories import CitationFactory, ContributionFactory, DocumentFactory

pytestmark = pytest.mark.django_db

WORD = "Vladikavkaz"
# How a curator puts a word into each column (a new column in COLUMNS needs a line here).
PUT_IN = {
    "title": lambda: DocumentFactory(title=f"Telegram from {WORD}", text="Nothing else."),
    "people": lambda: (
        ContributionFactory(
            person__name=f"Ivan {WORD}", document__title="Cable", document__text="Nothing else."
        ).document
    ),
    "terms": lambda: _with_subject(
        DocumentFactory(title="Minutes", text="Nothing else."), f"{WORD} garrison"
    ),
    "summary": lambda: DocumentFactory(
        title="Memorandum", summary=f"On the garrison at {WORD}.", text="Nothing else."
    ),
    "citations": lambda: (
        CitationFactory(
            reference=f"f. 1, {WORD} series", document__title="Note", document__text="Nothing else."
        ).document
    ),
    "body": lambda: DocumentFactory(
        title="Report", summary="A report.", text=f"The garrison at {WORD} reported."
    ),
}


def _with_subject(document, name):
    document.subjects.add(Subject.objects.create(name=name))
    return document


def found_in_order(query):
    results = search.search(Document.objects.published(), query).order_by("-relevance", "pk")
    return [document.pk for document in results]


@pytest.mark.parametrize("column", NAMES)
def test_a_word_in_any_indexed_column_finds_the_document(column):
    document = PUT_IN[column]()
    assert found_in_order(WORD) == [document.pk]


def test_a_match_ranks_by_the_weight_of_the_column_it_is_in():
    # The first column of each weight: the title (A), the names (B), the summary (C), the text
    # (D). (Within a weight, FTS5's bm25 also weighs how long the column is.)
    first_of_weight = {}
    for column in COLUMNS:
        first_of_weight.setdefault(column.weight, column.name)
    weight = {PUT_IN[name]().pk: weight for weight, name in first_of_weight.items()}
    ranked = [weight[pk] for pk in found_in_order(WORD)]
    assert ranked == sorted(weight.values())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_the_sqlite_index_table_has_the_declared_columns_in_their_order():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pragma_table_info('documents_search')")
        assert tuple(name for (name,) in cursor.fetchall()) == NAMES
