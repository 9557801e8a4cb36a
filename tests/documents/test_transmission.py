"""A cable's transmission details: read, shown above the text, found, harvested and imported."""

import pytest

from documents.models import Contribution, Document, Place
from documents.parsing.transmission import TransmissionTimeError, parse_transmission_time
from documents.spreadsheets.importing import import_documents
from tests.factories import ContributionFactory, DocumentFactory, PersonFactory
from tests.importing.conftest import write_csv
from tests.oai.helpers import NS, ask, identifier


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        ("0450, 8 May 1946", "1946-05-08T04:50"),
        ("Received at 0450,\n8 May 1946", "1946-05-08T04:50"),
        ("Sent 1750 20 April 1946", "1946-04-20T17:50"),
        ("8 May 1946, 04:50", "1946-05-08T04:50"),
        ("May 8, 1946 0850", "1946-05-08T08:50"),
        ("1946-05-08 04:50", "1946-05-08T04:50"),
        ("", ""),
    ],
)
def test_times_are_read_as_cipher_clerks_wrote_them(written, normalized):
    assert parse_transmission_time(written) == normalized


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("0450", "gives the time but not the day"),
        ("8 May 1946", "has no time of day that can be read"),
        ("0450, May 1946", "does not name a single day"),
        ("0450, 31 February 1946", "February 1946 has only 28 days"),
        ("2550, 8 May 1946", "has no time of day that can be read"),
    ],
)
def test_a_time_that_cannot_be_read_says_why(written, reason):
    with pytest.raises(TransmissionTimeError, match=reason):
        parse_transmission_time(written)


@pytest.fixture
def cable(db):
    tehran = Place.objects.create(name="Tehran", other_names="Teheran")
    document = DocumentFactory(
        title="Letter, I. V. Stalin to Cde. Pishevari",
        text="Read my following letter to Cde. Pishevari.",
        outgoing_number="8924",
        form_number="18",
        special_numbers="484-487",
        received_text="0450, 8 May 1946",
        sent_text="0850, 8 May 1946",
        destination=tehran,
        addressee="TO SADCHIKOV",
        copy_number="1",
        sent_by="OPS Duty Officer Kupryazhina",
        received_by="Korshunova",
    )
    sadchikov = PersonFactory(name="I. V. Sadchikov")
    ContributionFactory(
        document=document, person=sadchikov, role=Contribution.Role.RECIPIENT, order=0
    )
    for order, name in enumerate(["A. Ya. Vyshinsky", "V. G. Dekanozov"], start=1):
        ContributionFactory(
            document=document,
            person=PersonFactory(name=name),
            role=Contribution.Role.COPIED_TO,
            order=order,
        )
    return document


def test_saving_reads_the_times_as_written_into_iso_8601(cable):
    cable.refresh_from_db()
    assert (cable.received_at, cable.sent_at) == ("1946-05-08T04:50", "1946-05-08T08:50")


def test_the_page_shows_the_header_above_the_text_with_only_what_is_filled(client, cable):
    Document.objects.filter(pk=cable.pk).update(sent_by="", received_by="")
    page = client.get(cable.get_absolute_url()).content.decode()
    header = page[
        page.index('class="cable-header"') : page.index(
            "</section>", page.index('class="cable-header"')
        )
    ]
    assert page.index('class="cable-header"') < page.index('class="document-text"')
    for label, value in [
        ("Outgoing Nº", "8924"),
        ("Form Nº", "18"),
        ("Spets. Nº", "484-487"),
        ("Copy Nº", "1"),
    ]:
        assert f'<dt>{label}</dt><dd dir="auto">{value}</dd>' in header
    assert '<time datetime="1946-05-08T08:50">0850, 8 May 1946</time>' in header
    assert '<time datetime="1946-05-08T04:50">0450, 8 May 1946</time>' in header
    assert "<dt>To where</dt><dd><bdi>Tehran</bdi></dd>" in header
    sadchikov = cable.contributions.get(role="recipient").person
    assert f'<a href="{sadchikov.get_absolute_url()}"' in header and "TO SADCHIKOV" in header
    assert "<bdi>A. Ya. Vyshinsky</bdi></a>, <a" in header
    assert "Sent by" not in header and "Received by" not in header and "From" not in header


def test_a_document_that_is_not_a_cable_has_no_header(client, db):
    document = DocumentFactory()
    assert 'class="cable-header"' not in client.get(document.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "query", ["8924", "484-487", "Kupryazhina", "Korshunova", "SADCHIKOV", "Teheran"]
)
def test_public_search_finds_a_cable_by_its_numbers_and_names(client, cable, query):
    page = client.get("/documents/", {"q": query}).content.decode()
    assert "Letter, I. V. Stalin to Cde. Pishevari" in page


def test_renaming_a_cables_destination_reindexes_it(client, cable):
    place = cable.destination
    place.name = "Tehran (Teheran), the capital"
    place.other_names = "Tahran"
    place.save()
    page = client.get("/documents/", {"q": "Tahran"}).content.decode()
    assert "Letter, I. V. Stalin to Cde. Pishevari" in page


def test_the_api_gives_the_transmission_details_and_null_for_other_documents(client, cable):
    data = client.get(f"/api/documents/{cable.record_id}/").json()
    transmission = data["transmission"]
    assert transmission["outgoing_number"] == "8924"
    assert (transmission["sent"], transmission["sent_at"]) == (
        "0850, 8 May 1946",
        "1946-05-08T08:50",
    )
    assert transmission["destination"]["name"] == "Tehran"
    assert transmission["addressee"] == "TO SADCHIKOV"
    assert [p["name"] for p in transmission["copied_to"]] == ["A. Ya. Vyshinsky", "V. G. Dekanozov"]
    assert transmission["received_by"] == "Korshunova"
    other = DocumentFactory()
    assert client.get(f"/api/documents/{other.record_id}/").json()["transmission"] is None


def test_mods_records_the_transmission_as_an_event_identifiers_and_a_note(client, cable):
    tree = ask(client, verb="GetRecord", identifier=identifier(cable), metadataPrefix="mods")
    mods = tree.find(".//mods:mods", NS)
    numbers = {i.get("type"): i.text for i in mods.iterfind("mods:identifier", NS)}
    assert numbers["outgoing number"] == "8924" and numbers["special number"] == "484-487"
    event = mods.find("mods:originInfo[@eventType='transmission']", NS)
    sent = [d.text for d in event.iterfind("mods:dateOther[@type='sent']", NS)]
    assert sent == ["0850, 8 May 1946", "1946-05-08T08:50"]
    note = mods.find("mods:note[@type='transmission']", NS).text
    assert "To where: Tehran" in note and "To whom: TO SADCHIKOV" in note
    assert "Received by Korshunova" in note


def test_an_import_reads_the_columns_and_names_the_column_of_an_unreadable_time(tmp_path, db):
    Place.objects.create(name="Tehran")
    rows = [
        ["title", "outgoing_number", "sent", "received", "destination", "addressee", "sent_by"],
        ["A cable", "8924", "0850, 8 May 1946", "", "Tehran", "TO SADCHIKOV", "Kupryazhina"],
        ["Another cable", "8925", "0850", "soon", "", "", ""],
    ]
    result = import_documents(write_csv(tmp_path / "cables.csv", rows), skip_errors=True)
    assert result.created == 1
    document = Document.objects.get(title="A cable")
    assert (document.outgoing_number, document.sent_at) == ("8924", "1946-05-08T08:50")
    assert document.destination.name == "Tehran" and document.sent_by == "Kupryazhina"
    errors = {error.column: error.message for error in result.errors}
    assert set(errors) == {"sent", "received"}
    assert "gives the time but not the day" in errors["sent"]
    assert "'soon' has no time of day" in errors["received"]
