"""The seed fixture: it loads idempotently and its hand-written derived fields are consistent.

`load_seeds` deserializes raw, like `loaddata`, so the models' save() never runs on seed rows:
whatever save() would derive (dates, citation parts, slugs) is written in the fixture by hand,
and these tests prove it matches what the code would derive.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils.text import slugify

from archive_collections.models import Collection
from documents.models import Citation, Document, Organization, Person, PersonName
from documents.parsing.names import name_key, sound_key
from documents.parsing.references import parse_reference

pytestmark = pytest.mark.django_db

SEED_PAGES = Path(__file__).parent / "seed_pages"
SEED_APPS = ["documents", "collections"]


def seed_lines(prefix):
    (path,) = SEED_PAGES.glob(f"{prefix}_*.txt")
    lines = [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def counts():
    return {
        model._meta.label: model._default_manager.count()
        for app in SEED_APPS
        for model in apps.get_app_config(app).get_models()
    }


def dump():
    out = StringIO()
    call_command("dumpdata", *SEED_APPS, format="json", indent=1, stdout=out)
    return out.getvalue()


def load_seeds():
    out = StringIO()
    call_command("load_seeds", stdout=out)
    return out.getvalue()


def test_fixture_file_is_a_list_of_model_pk_fields_objects():
    data = json.loads((settings.BASE_DIR / "fixtures" / "seed.json").read_text(encoding="utf-8"))
    assert data and all(set(item) == {"model", "pk", "fields"} for item in data)


def test_loading_the_seeds_twice_changes_nothing(seeds):
    before_counts, before_dump = counts(), dump()
    output = load_seeds()
    assert "0 loaded" in output
    assert counts() == before_counts
    assert dump() == before_dump


def test_a_curators_edit_to_a_seed_document_survives_a_second_load(seeds):
    document = Document.objects.get(record_id=1)
    document.summary = "A curator rewrote this summary."
    document.save()
    load_seeds()
    document.refresh_from_db()
    assert document.summary == "A curator rewrote this summary."


def test_seed_record_ids_are_never_handed_out_again(seeds):
    highest = max(Document.objects.values_list("record_id", flat=True))
    assert Document.objects.create(title="A new record", date_text="1946").record_id == highest + 1


def test_every_seed_documents_stored_dates_are_what_its_date_as_written_derives(seeds):
    documents = list(Document.objects.all())
    assert len(documents) == 9
    for document in documents:
        derived = Document(date_text=document.date_text)
        derived.normalize_date()
        assert (document.date_edtf, document.date_start, document.date_end) == (
            derived.date_edtf,
            derived.date_start,
            derived.date_end,
        ), document.title
        assert document.date_start is not None


def test_every_seed_citations_parts_are_what_its_reference_parses_to(seeds):
    citations = list(Citation.objects.all())
    assert len(citations) == 4
    for citation in citations:
        parts = parse_reference(citation.reference)
        assert (citation.fond, citation.opis, citation.delo, citation.folios) == (
            parts.fond,
            parts.opis,
            parts.delo,
            parts.folios,
        ), citation.reference
        assert citation.fond, f"{citation.reference!r} should name a fond"


def test_seed_people_and_variants_carry_the_keys_saving_would_give(seeds):
    for named in [*Person.objects.all(), *PersonName.objects.all()]:
        assert (named.name_key, named.sound_key) == (name_key(named.name), sound_key(named.name))
        assert named.name_key, named.name


def test_seed_slugs_are_what_saving_would_give(seeds):
    for document in Document.objects.all():
        assert document.slug == slugify(document.title)[:200].strip("-")
    for person in Person.objects.all():
        assert person.slug == slugify(person.name)[:200].strip("-")
        assert person.sort_name
    for organization in Organization.objects.all():
        assert organization.slug == slugify(organization.name)[:200].strip("-")


@pytest.mark.parametrize("spelling", ["Bagriov", "M.D. Bagriov", "Mir Jafar Bagirov", "Bagirov"])
def test_misspellings_of_bagirov_are_variants_of_the_same_person(seeds, spelling):
    bagirov = Person.objects.get(name="M. D. Bagirov")
    assert PersonName.objects.get(name=spelling).person == bagirov


def test_the_misspelled_telegram_is_linked_to_bagirov_as_written(seeds):
    title = seed_lines("004")[2]
    document = Document.objects.get(title=title)
    author = document.contributions.get(role="author", person__name="M. D. Bagirov")
    assert author.name_as_written == "M.D. Bagriov"
    assert "M.D. Bagriov" in title


def test_collection_shows_its_five_popular_documents_in_the_seeds_order(client, seeds):
    lines = seed_lines("003")
    popular = lines[lines.index("Popular Documents") + 1 :]
    # The seed lists each popular document as three lines: date, title, summary.
    seed_titles = popular[1::3]
    assert len(seed_titles) == 5

    collection = Collection.objects.get(title=lines[1])
    assert [entry.document.title for entry in collection.featured_entries.all()] == seed_titles

    body = client.get(collection.get_absolute_url()).content.decode()
    section = body[body.index("Popular Documents") : body.index("Also see</h2>")]
    positions = [section.index(title.replace("'", "&#x27;")) for title in seed_titles]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("prefix", "credit"),
    [
        ("000", "Translated by Gary Goldberg."),
        ("001", "Obtained for CWIHP by Jamil Hasanli and translated for CWIHP by Gary Goldberg."),
        ("002", "Translated by Gary Goldberg."),
        ("004", "Contributed by Jamil Hasanli and translated by Gary Goldberg."),
    ],
)
def test_credit_lines_render_exactly_as_the_seeds_print_them(seeds, prefix, credit):
    lines = seed_lines(prefix)
    document = Document.objects.get(title=lines[2])
    source = lines[lines.index("Document Information") + 1]
    assert source.endswith(f". {credit}")
    assert document.credit_line() == credit
    assert document.source_line() == source


@pytest.mark.parametrize(
    ("prefix", "credited", "footer"),
    [
        ("000", ["MacArthur Foundation"], ["MacArthur Foundation", "Blavatnik Family Foundation"]),
        ("001", [], []),
        ("002", ["MacArthur Foundation"], ["MacArthur Foundation", "Blavatnik Family Foundation"]),
        ("004", ["Leon Levy Foundation"], ["Leon Levy Foundation"]),
    ],
)
def test_funders_match_the_seeds_credit_line_and_footer(seeds, prefix, credited, footer):
    document = Document.objects.get(title=seed_lines(prefix)[2])
    assert [o.name for o in document.credited_funders()] == credited
    assert [o.name for o in document.all_funders()] == footer


def test_loading_seeds_over_a_clashing_record_stops_with_a_clear_message_and_loads_nothing(db):
    from django.core.management import CommandError, call_command

    from documents.models import Language

    Language.objects.create(pk=99, name="Russian", code="rus")
    with pytest.raises(CommandError, match="clashes with a record already in the database"):
        call_command("load_seeds", verbosity=0)
    assert Document.objects.count() == 0


def test_records_added_after_loading_the_seeds_get_fresh_ids(seeds):
    from documents.models import Person, Repository

    person = Person.objects.create(name="Someone new")
    repository = Repository.objects.create(abbreviation="AVPRF", name="Foreign Policy Archive")
    assert person.pk > 21
    assert repository.pk > 2


def test_every_seed_documents_stored_transmission_times_are_what_the_times_as_written_read_as(
    seeds,
):
    for document in Document.objects.all():
        derived = Document(sent_text=document.sent_text, received_text=document.received_text)
        derived.normalize_transmission_times()
        assert (document.sent_at, document.received_at) == (
            derived.sent_at,
            derived.received_at,
        ), document.title


def seed_page_text(prefix):
    """The seed page's words on one line, so that a header broken over lines reads as one."""
    return " ".join(seed_lines(prefix))


def test_the_stalin_cable_carries_its_header_as_seed_000_prints_it(seeds):
    page = seed_page_text("000")
    document = Document.objects.get(title=seed_lines("000")[2])
    assert f"Outgoing Nº {document.outgoing_number}" in page
    assert f"Form Nº {document.form_number}" in page
    assert f"Spets. Nº {document.special_numbers}" in page
    assert f"Received at {document.received_text}" in page
    assert f"Sent at {document.sent_text}" in page
    assert f"to where {document.destination.name.upper()}" in page
    assert f"to whom {document.addressee}" in page
    assert f"Copy Nº {document.copy_number}" in page
    assert (document.received_at, document.sent_at) == ("1946-05-08T04:50", "1946-05-08T08:50")
    assert document.addressee_recipient().person.name == "I. V. Sadchikov"
    copied = [c.person.name for c in document.distribution()]
    # "Copies [to]: Cdes. Vyshinsky, Dekanozov, Silin, and Sychev", then "2. Cde. Molotov".
    assert copied[:4] == ["A. Ya. Vyshinsky", "V. G. Dekanozov", "Silin", "Sychev"]


def test_the_bagirov_letter_carries_its_transmission_block_as_seed_001_prints_it(seeds):
    page = seed_page_text("001")
    document = Document.objects.get(title=seed_lines("001")[2])
    assert f"Sent {document.sent_text}" in page
    assert f"{document.sent_by} Received by {document.received_by}" in page
    assert document.sent_at == "1946-04-20T17:50"
    assert (document.sent_by, document.received_by) == (
        "OPS Duty Officer Kupryazhina",
        "Korshunova",
    )
