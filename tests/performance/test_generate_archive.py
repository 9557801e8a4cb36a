"""The benchmark archive generator: realistic, reproducible, valid data."""

import csv
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from archive_collections.models import Collection, FeaturedDocument
from documents.management.commands.generate_archive import (
    CSV_COLUMNS,
    build_plan,
    iter_document_plans,
)
from documents.models import (
    Citation,
    Contribution,
    Document,
    Person,
    PersonName,
    Place,
    Repository,
    Status,
    Subject,
)
from documents.parsing.names import sound_key


def plans(documents, seed):
    plan = build_plan(documents=documents, seed=seed)
    return plan, list(iter_document_plans(plan, first_record_id=1))


@pytest.mark.django_db
def test_generated_archive_has_the_promised_shape():
    call_command("generate_archive", documents=300, seed=3, verbosity=0, stdout=None)
    assert Document.objects.count() == 300
    # About N/5 people, plus the handful of translators credited across the archive.
    assert 60 <= Person.objects.count() <= 60 + 15
    assert PersonName.objects.exists()
    assert Collection.objects.count() == 50
    assert Subject.objects.count() == 200
    assert Place.objects.count() == 500
    assert Repository.objects.count() == 10
    assert Citation.objects.count() == 300
    assert FeaturedDocument.objects.exists()
    per_document = Counter(Contribution.objects.values_list("document_id", flat=True))
    assert set(per_document.values()) <= set(range(3, 9))
    roles = set(Contribution.objects.values_list("role", flat=True))
    assert {"author", "recipient", "translator"} <= roles
    statuses = Counter(Document.objects.values_list("status", flat=True))
    assert statuses[Status.DRAFT] and statuses[Status.WITHDRAWN]
    assert statuses[Status.PUBLISHED] > 0.8 * 300


@pytest.mark.django_db
def test_generated_records_pass_model_validation():
    call_command("generate_archive", documents=40, seed=4, verbosity=0)
    for document in Document.objects.all()[:40]:
        edtf, start, end = document.date_edtf, document.date_start, document.date_end
        document.full_clean()
        # Derived fields are exactly what save() would have computed.
        assert (document.date_edtf, document.date_start, document.date_end) == (edtf, start, end)
    for person in Person.objects.all()[:40]:
        person.full_clean()
    for citation in Citation.objects.select_related("repository")[:40]:
        citation.full_clean()
        assert citation.fond and citation.delo or not citation.reference.startswith("f. ")


@pytest.mark.django_db
def test_generating_again_adds_documents_after_the_highest_record_id():
    call_command("generate_archive", documents=20, seed=1, verbosity=0)
    call_command("generate_archive", documents=20, seed=2, verbosity=0)
    assert Document.objects.count() == 40
    assert sorted(Document.objects.values_list("record_id", flat=True)) == list(range(1, 41))
    new = Document(title="Written by a curator")
    new.save()
    assert new.record_id == 41


@pytest.mark.django_db
def test_generating_zero_documents_is_refused():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_archive", documents=0, verbosity=0)


def test_the_same_seed_gives_the_same_archive_and_another_seed_a_different_one():
    _plan, first = plans(200, seed=7)
    _plan, again = plans(200, seed=7)
    _plan, other = plans(200, seed=8)
    assert first == again
    assert [d.title for d in first] != [d.title for d in other]


def test_dates_texts_and_statuses_have_realistic_proportions():
    _plan, documents = plans(3000, seed=1)
    imprecise = sum(1 for d in documents if len(d.date_edtf) != len("1946-05-08"))
    assert 0.10 < imprecise / len(documents) < 0.20
    assert any(d.date_edtf == "" for d in documents)
    assert any(d.date_edtf.endswith("~") for d in documents)
    assert any("/" in d.date_edtf for d in documents)
    years = [int(d.date_edtf[:4]) for d in documents if d.date_edtf[:4].isdigit()]
    assert min(years) >= 1917 and max(years) <= 1991
    sizes = [len(d.text.encode()) for d in documents]
    assert min(sizes) >= 1024 and max(sizes) <= 20 * 1024
    assert max(sizes) > 12 * 1024
    statuses = Counter(d.status for d in documents)
    assert 0.85 < statuses[Status.PUBLISHED] / len(documents) < 0.95


def test_people_have_transliterated_variants_that_name_matching_recognizes():
    plan, _documents = plans(2000, seed=1)
    assert 350 <= len(plan.people) <= 400
    transliterations = [
        (person.name, variant)
        for person in plan.people
        for variant, kind in person.variants
        if kind == PersonName.Kind.TRANSLITERATION
    ]
    assert len(transliterations) > 100
    matching = [pair for pair in transliterations if sound_key(pair[0]) == sound_key(pair[1])]
    assert len(matching) > len(transliterations) / 2


@pytest.mark.django_db
def test_csv_spreadsheet_has_the_import_columns_and_one_row_per_document(tmp_path):
    path = tmp_path / "import.csv"
    call_command("generate_archive", documents=50, seed=2, csv=str(path), verbosity=0)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == 50
    assert [int(row["record_id"]) for row in rows] == list(range(1, 51))
    assert all(row["title"] and row["text"] and row["authors"] for row in rows)
    assert any(";" in row["subjects"] for row in rows)
    assert not Document.objects.exists(), "--csv writes a file, not the database"
    again = tmp_path / "again.csv"
    call_command("generate_archive", documents=50, seed=2, csv=str(again), verbosity=0)
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.django_db
def test_generating_after_the_seed_records_adds_to_them(seeds):
    before = Document.objects.count()
    call_command("generate_archive", documents=30, seed=5, verbosity=0)
    assert Document.objects.count() == before + 30


def _sounding_alike(name):
    """Another person's name that differs by one vowel only: a likely match, not the same name."""
    for i in range(len(name) - 1, 0, -1):
        if name[i] in "aeiou" and name[i - 1].isalpha():
            return name[:i] + ("o" if name[i] != "o" else "u") + name[i + 1 :]
    raise AssertionError(name)


@pytest.mark.django_db
def test_generated_benchmark_spreadsheet_imports_without_refused_rows(tmp_path):
    from documents.spreadsheets.importing import import_documents

    call_command("generate_archive", documents=300, seed=1, verbosity=0)
    plan, documents = plans(300, 2)
    named = [plan.people[who].name for who, _r, _w in documents[0].people[:2]]
    # People already in the archive whom the file's people could be taken for: one whose name
    # sounds like the first person's, and two who share the second person's name.
    Person.objects.create(name=_sounding_alike(named[0]))
    shared = [Person.objects.create(name=named[1]).pk for _twice in range(2)]
    path = tmp_path / "import.csv"
    call_command(
        "generate_archive", documents=300, seed=2, csv=str(path), first_record_id=301, verbosity=0
    )
    text = path.read_text(encoding="utf-8")
    assert f"{named[0]} [new]" in text
    assert f"{named[1]} [#{min(shared)}]" in text

    result = import_documents(path, create_missing=True)

    assert result.errors == [] and result.failed == 0
    assert (result.created, result.updated, result.unchanged) == (300, 0, 0)
    assert Person.objects.filter(name=named[0]).count() == 1
    again = import_documents(path, create_missing=True)
    assert (again.failed, again.created, again.updated, again.unchanged) == (0, 0, 0, 300)
