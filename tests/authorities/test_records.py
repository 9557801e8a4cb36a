"""Possible duplicate records (documents/authorities/records.py): the rule on real title pairs
in both directions, on normalised dates, against records and earlier rows, in few queries, and
the side-by-side comparison the preview shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.authorities.records import (
    DuplicateFinder,
    Row,
    compare_titles,
    side_by_side,
)
from documents.parsing.dates import parse_date
from tests.authorities.title_pairs import PAIRS
from tests.factories import DocumentFactory


def row(number, title, date_text):
    parsed = parse_date(date_text)
    return Row(number, title, parsed.start, parsed.end, date_text)


def directions():
    for one, other, duplicate, why in PAIRS:
        for stored, written in ((one, other), (other, one)):
            verdict = "is a possible duplicate of" if duplicate else "is not a duplicate of"
            yield pytest.param(
                stored, written, duplicate, id=f"{why}: '{written}' {verdict} '{stored}'"
            )


@pytest.mark.parametrize(("stored", "written", "duplicate"), list(directions()))
def test_a_title_on_the_same_date_is_a_possible_duplicate_as_the_table_says(
    stored, written, duplicate
):
    assert (compare_titles(written, stored) is not None) == duplicate


pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_the_same_title_with_the_date_written_otherwise_is_a_possible_duplicate():
    record = DocumentFactory(
        title="Letter, I. V. Stalin to Cde. Pishevari", date_text="12 December 1945"
    )
    found = DuplicateFinder().find(
        [row(2, "Letter, I. V. Stalin to Cde. Pishevari", "December 12, 1945")]
    )
    [match] = found[2]
    assert (match.document_id, match.record_id, match.row) == (record.pk, record.record_id, None)
    assert match.score == 100
    assert match.reason == (
        f"Record {record.record_id} has the same date (12 December 1945, written 'December 12, "
        "1945' here), and the same title."
    )


@pytestmark_db
def test_the_same_title_with_a_year_changed_on_the_same_date_is_a_possible_duplicate():
    DocumentFactory(
        title="Report on the Situation in Iranian Azerbaijan, 1945", date_text="1946-01-05"
    )
    found = DuplicateFinder().find(
        [row(2, "Report on the Situation in Iranian Azerbaijan, 1946", "5 January 1946")]
    )
    assert "another year (1946 for 1945)" in found[2][0].reason


@pytestmark_db
def test_a_title_with_a_few_words_inserted_on_the_same_date_is_a_possible_duplicate():
    DocumentFactory(
        title="Record of Conversation between Molotov and Qavam", date_text="April 4, 1946"
    )
    found = DuplicateFinder().find(
        [
            row(
                2,
                "Record of Conversation between V. M. Molotov and Prime Minister Qavam",
                "4 April 1946",
            )
        ]
    )
    assert "'prime', 'minister'" in found[2][0].reason


@pytestmark_db
@pytest.mark.parametrize(
    ("record_date", "row_date"),
    [
        ("1945", "December 12, 1945"),
        ("December 1945", "December 12, 1945"),
        ("undated", "1945"),
        ("December 13, 1945", "December 12, 1945"),
        ("1945/1946", "1946"),
    ],
)
def test_a_date_that_only_holds_or_overlaps_the_other_is_no_evidence(record_date, row_date):
    DocumentFactory(title="Telegram from Molotov to Bagirov", date_text=record_date)
    assert DuplicateFinder().find([row(2, "Telegram from Molotov to Bagirov", row_date)]) == {}


@pytestmark_db
def test_circa_a_year_and_the_year_are_the_same_date():
    DocumentFactory(title="Memoir of the Tudeh Party's founding", date_text="circa 1946")
    assert 2 in DuplicateFinder().find([row(2, "Memoir of the Tudeh Party's founding", "1946")])


@pytestmark_db
def test_two_undated_records_with_one_title_are_possible_duplicates():
    record = DocumentFactory(title="Note on the Kurdish Question", date_text="undated")
    found = DuplicateFinder().find([row(2, "Note on the Kurdish Question", "")])
    assert found[2][0].document_id == record.pk
    assert "is undated too" in found[2][0].reason


@pytestmark_db
def test_the_same_title_on_the_same_day_of_another_year_is_a_possible_duplicate():
    record = DocumentFactory(title="Telegram from Molotov to Bagirov", date_text="12 December 1945")
    found = DuplicateFinder().find(
        [row(2, "Telegram from Molotov to Bagirov", "December 12, 1946")]
    )
    assert found[2][0].document_id == record.pk
    assert "the same day in 1945 instead of 1946" in found[2][0].reason


@pytestmark_db
def test_an_earlier_row_of_the_file_is_found_in_the_same_batch_and_in_later_ones():
    finder = DuplicateFinder()
    first = finder.find(
        [
            row(2, "Cable from Maximov to Molotov", "May 8, 1946"),
            row(3, "Cable from Maksimov to Molotov", "8 May 1946"),
        ]
    )
    later = finder.find([row(1002, "Cable from Maximov to Molotov.", "1946-05-08")])
    assert [m.row for m in first[3]] == [2]
    assert 2 not in first
    assert [m.row for m in later[1002]] == [2, 3]
    assert later[1002][0].reason.startswith("Row 2 has the same date (May 8, 1946")


@pytestmark_db
def test_records_excluded_are_never_proposed():
    record = DocumentFactory(title="Cable from Maximov to Molotov", date_text="May 8, 1946")
    finder = DuplicateFinder(exclude={record.pk})
    assert finder.find([row(2, "Cable from Maximov to Molotov", "May 8, 1946")]) == {}


@pytestmark_db
def test_a_batch_of_a_thousand_rows_takes_three_queries():
    for n in range(20):
        DocumentFactory(
            title=f"Telegram number {n} from Baku to Moscow", date_text=f"{1 + n % 28} May 1946"
        )
    DocumentFactory(title="Undated note", date_text="undated")
    rows = [
        row(n, f"Telegram number {n} from Baku to Moscow", f"May {1 + n % 28}, 1946")
        for n in range(990)
    ]
    rows += [row(1000 + n, f"Undated note {n}", "") for n in range(10)]
    finder = DuplicateFinder()
    with CaptureQueriesContext(connection) as queries:
        found = finder.find(rows)
    assert len(queries) == 3
    # Each of the first 20 repeats its number's record; another number is another telegram.
    assert sorted(found) == list(range(20))
    with CaptureQueriesContext(connection) as queries:
        finder.find(rows[:10])
    assert len(queries) == 2  # the undated records are read once


def test_a_row_is_shown_beside_a_record_column_by_column():
    values = {"title": "Letter from I. V. Stalin", "date": ("December 12, 1945", "1945-12-12")}
    state = {
        "title": "Letter, I. V. Stalin",
        "date": ("12 December 1945", "1945-12-12"),
        "summary": "x",
    }
    shown = side_by_side(
        values,
        state,
        show=lambda key, value: value[0] if key == "date" else value,
        same=lambda key, a, b: a[1] == b[1] if key == "date" else a == b,
    )
    assert [(c.key, c.row, c.record, c.same) for c in shown] == [
        ("title", "Letter from I. V. Stalin", "Letter, I. V. Stalin", False),
        ("date", "December 12, 1945", "12 December 1945", True),
    ]
