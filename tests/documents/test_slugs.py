"""One slug scheme: saving, importing and generating give a record the same address."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from archive_collections.models import Collection
from documents.models import Document, Person, Slugs, unique_slug
from documents.spreadsheets.importing import import_documents
from tests.importing.conftest import write_csv

pytestmark = pytest.mark.django_db


def test_saving_and_importing_number_a_shared_title_in_turn(tmp_path):
    Document.objects.create(title="Report")
    path = write_csv(tmp_path / "reports.csv", [["title", "date"], ["Report", "1946"]])
    import_documents(path)
    Collection.objects.create(title="Report")

    Document.objects.create(title="Report")

    assert sorted(Document.objects.values_list("slug", flat=True)) == [
        "report",
        "report-2",
        "report-3",
    ]
    assert Collection.objects.get().slug == "report"


def test_generated_records_get_the_slugs_saving_them_would_give():
    call_command("generate_archive", documents=60, seed=3, verbosity=0)

    for model, text in ((Document, "title"), (Person, "name")):
        rows = list(model.objects.values_list(text, "slug"))
        bases = Counter(slugify(value)[:200].strip("-") for value, _slug in rows)
        for value, slug in rows:
            base = slugify(value)[:200].strip("-")
            # A text of its own keeps its plain slug; the second of a shared one gets -2, ...
            stem, _dash, number = slug.rpartition("-")
            assert slug == base or (bases[base] > 1 and stem == base and number.isdigit())
        assert len({slug for _value, slug in rows}) == len(rows)


def test_a_much_used_title_finds_its_next_number_in_a_few_queries():
    Document.objects.create(title="Letter")
    for number in range(2, 41):
        Document.objects.create(title=f"Letter {number}")  # letter-2 ... letter-40, taken

    with CaptureQueriesContext(connection) as queries:
        slug = unique_slug(Document(title="Letter"), "Letter")

    assert slug == "letter-41"
    assert len(queries) <= 4


def test_a_long_title_is_cut_so_its_number_fits():
    title = "Memorandum " * 40
    first = Document.objects.create(title=title)

    second = Document.objects.create(title=title)

    assert len(first.slug) <= 200 and second.slug.endswith("-2") and len(second.slug) <= 200
    assert second.slug[:-2] == first.slug[: len(second.slug) - 2]


def test_a_batch_of_new_records_gets_distinct_slugs_beside_the_taken_ones():
    Document.objects.create(title="Report")
    Document.objects.create(title="Report 2")

    slugs = Slugs(Document).make(["Report", "Report", "Report 3", "", "Report"])

    assert slugs == ["report-4", "report-5", "report-3", "document", "report-6"]
