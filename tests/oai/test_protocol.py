"""The six verbs and every error of OAI-PMH 2.0, each answer checked against the schemas."""

from datetime import UTC, datetime

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive_collections.models import Collection
from documents.models import HarvestRecord, Status
from tests.factories import DocumentFactory
from tests.oai.helpers import ask, error_codes, identifier, identifiers, text

pytestmark = pytest.mark.django_db


def test_identify_names_the_archive_its_address_and_how_it_dates_and_deletes(
    client, archive, settings
):
    settings.ARCHIVE_NAME = "Cold War Archive"
    settings.OAI_ADMIN_EMAIL = "harvest@archive.example.org"
    HarvestRecord.objects.filter(pk=archive.letter.pk).update(
        datestamp=datetime(2020, 1, 1, tzinfo=UTC)
    )
    tree = ask(client, verb="Identify")
    assert text(tree, "oai:Identify/oai:repositoryName") == ["Cold War Archive"]
    assert text(tree, "oai:Identify/oai:baseURL") == ["http://testserver/oai/"]
    assert text(tree, "oai:Identify/oai:protocolVersion") == ["2.0"]
    assert text(tree, "oai:Identify/oai:adminEmail") == ["harvest@archive.example.org"]
    assert text(tree, "oai:Identify/oai:earliestDatestamp")[0].startswith("2020-")
    assert text(tree, "oai:Identify/oai:deletedRecord") == ["persistent"]
    assert text(tree, "oai:Identify/oai:granularity") == ["YYYY-MM-DDThh:mm:ssZ"]


def test_a_post_request_is_answered_as_the_same_get_request(client, archive):
    by_post = ask(client, "post", verb="ListIdentifiers", metadataPrefix="oai_dc")
    by_get = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(by_post) == identifiers(by_get) != []


def test_metadata_formats_are_oai_dc_and_mods_for_the_archive_and_for_a_record(client, archive):
    for tree in (
        ask(client, verb="ListMetadataFormats"),
        ask(client, verb="ListMetadataFormats", identifier=identifier(archive.letter)),
    ):
        assert text(tree, ".//oai:metadataPrefix") == ["oai_dc", "mods"]


@pytest.mark.parametrize("prefix", ["oai_dc", "mods"])
def test_list_records_gives_every_published_record_and_reports_withdrawn_and_deleted_ones(
    client, archive, prefix
):
    tree = ask(client, verb="ListRecords", metadataPrefix=prefix)
    # In datestamp order; records stamped in the same second, by id.
    assert sorted(identifiers(tree)) == sorted(identifier(d) for d in archive.published)
    assert sorted(identifiers(tree, deleted=True)) == sorted(
        [identifier(archive.withdrawn), f"oai:testserver:{archive.deleted_record_id}"]
    )
    assert (
        len(tree.findall(".//oai:metadata", {"oai": "http://www.openarchives.org/OAI/2.0/"})) == 2
    )


@pytest.mark.parametrize("prefix", ["oai_dc", "mods"])
def test_a_draft_its_people_and_a_draft_collection_appear_in_no_answer(client, archive, prefix):
    answers = b"".join(
        client.get("/oai/", params).content
        for params in (
            {"verb": "ListRecords", "metadataPrefix": prefix},
            {"verb": "ListIdentifiers", "metadataPrefix": prefix},
            {"verb": "ListSets"},
        )
    )
    for hidden in ("A draft no one may see", "Seen Only On Drafts", "secret-plans", "Secret plans"):
        assert hidden.encode() not in answers
    assert identifier(archive.draft).encode() + b"<" not in answers
    tree = ask(
        client, verb="GetRecord", identifier=identifier(archive.draft), metadataPrefix=prefix
    )
    assert error_codes(tree) == ["idDoesNotExist"]


def test_get_record_gives_a_published_record_and_the_header_of_a_withdrawn_one(client, archive):
    tree = ask(
        client, verb="GetRecord", identifier=identifier(archive.letter), metadataPrefix="mods"
    )
    assert text(tree, ".//mods:title") == [
        "Letter, I. V. Stalin to Cde. Pishevari",
        "Iran-Soviet Relations",
    ]
    tree = ask(
        client, verb="GetRecord", identifier=identifier(archive.withdrawn), metadataPrefix="mods"
    )
    assert identifiers(tree, deleted=True) == [identifier(archive.withdrawn)]
    assert tree.find(".//{http://www.openarchives.org/OAI/2.0/}metadata") is None


def test_the_mods_record_holds_roles_dates_reference_repository_rights_and_collection(
    client, archive
):
    tree = ask(
        client, verb="GetRecord", identifier=identifier(archive.letter), metadataPrefix="mods"
    )
    names = {
        name.findtext("mods:namePart", namespaces=NS): name.findtext(
            "mods:role/mods:roleTerm[@type='code']", namespaces=NS
        )
        for name in tree.iterfind(".//mods:mods/mods:name", NS)
    }
    assert names == {"I. V. Stalin": "aut", "Ja'far Pishevari": "rcp", "Gary Goldberg": "trl"}
    assert text(tree, ".//mods:name/mods:nameIdentifier[@type='wikidata']") == ["Q855"]
    dates = {
        (d.get("encoding"), d.get("point")): d.text
        for d in tree.iterfind(".//mods:dateCreated", NS)
    }
    assert dates == {
        (None, None): "May 8, 1946",
        ("edtf", None): "1946-05-08",
        ("w3cdtf", None): "1946-05-08",
    }
    assert text(tree, ".//mods:location/mods:shelfLocator") == [
        "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072"
    ]
    assert text(tree, ".//mods:location/mods:physicalLocation") == [
        "Russian State Archive of Socio-Political History, Moscow"
    ]
    rights = tree.find(".//mods:accessCondition", NS)
    assert rights.text == "Reuse for education is welcome <with credit> & thanks."
    assert rights.get("{http://www.w3.org/1999/xlink}href") == (
        "http://rightsstatements.org/vocab/InC-EDU/1.0/"
    )
    assert text(tree, ".//mods:relatedItem[@type='host']/mods:location/mods:url") == [
        "http://testserver/collections/iran/"
    ]
    assert text(tree, ".//mods:subject/mods:geographic") == ["Tabriz"]
    assert text(tree, ".//mods:subject/mods:topic") == ["Azerbaijan crisis"]
    assert text(tree, ".//mods:language/mods:languageTerm[@type='code']") == ["ru"]
    assert text(tree, ".//mods:abstract") == ["A short summary a curator wrote."]


def test_an_approximate_date_is_qualified_and_bounded_in_mods(client, archive):
    tree = ask(
        client, verb="GetRecord", identifier=identifier(archive.telegram), metadataPrefix="mods"
    )
    dates = [
        (d.get("encoding"), d.get("point"), d.get("qualifier"), d.text)
        for d in tree.iterfind(".//mods:dateCreated", NS)
    ]
    assert dates == [
        (None, None, None, "circa 1946"),
        ("edtf", None, None, "1946~"),
        ("w3cdtf", None, "approximate", "1946"),
    ]


def test_a_range_is_given_as_its_first_and_last_day_in_mods(client, archive):
    document = DocumentFactory(title="Report", date_text="1945/1946")
    tree = ask(client, verb="GetRecord", identifier=identifier(document), metadataPrefix="mods")
    assert text(tree, ".//mods:dateCreated[@point='start']") == ["1945-01-01"]
    assert text(tree, ".//mods:dateCreated[@point='end']") == ["1946-12-31"]


def test_markup_and_characters_xml_cannot_hold_in_a_title_arrive_as_text(client, archive):
    document = DocumentFactory(title="Note <b>urgent</b> & \x0bsecret")
    for prefix, path in (("oai_dc", ".//dc:title"), ("mods", ".//mods:titleInfo/mods:title")):
        tree = ask(client, verb="GetRecord", identifier=identifier(document), metadataPrefix=prefix)
        assert text(tree, path) == ["Note <b>urgent</b> & secret"]


def test_a_set_lists_the_records_of_its_published_collection(client, archive):
    tree = ask(client, verb="ListSets")
    assert text(tree, ".//oai:setSpec") == ["iran"]
    assert text(tree, ".//oai:setName") == ["Iran-Soviet Relations"]
    tree = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="iran")
    assert sorted(identifiers(tree)) == sorted(identifier(d) for d in archive.published)


def test_a_draft_collection_answers_as_a_set_that_does_not_exist(client, archive):
    hidden = ask(client, verb="ListRecords", metadataPrefix="oai_dc", set="secret-plans")
    missing = ask(client, verb="ListRecords", metadataPrefix="oai_dc", set="no-such-set")
    assert error_codes(hidden) == error_codes(missing) == ["noRecordsMatch"]
    assert text(hidden, "oai:error") == text(missing, "oai:error")


def test_from_and_until_select_by_datestamp_in_days_or_seconds(client, archive):
    HarvestRecord.objects.filter(pk=archive.telegram.pk).update(
        datestamp=datetime(2021, 6, 1, 12, 0, 0, tzinfo=UTC)
    )
    later = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", from_="2022-01-01")
    assert identifier(archive.telegram) not in identifiers(later)
    assert identifier(archive.letter) in identifiers(later)
    on_the_day = ask(
        client,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        from_="2021-06-01",
        until="2021-06-01",
    )
    assert identifiers(on_the_day) == [identifier(archive.telegram)]
    to_the_second = ask(
        client,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        from_="2021-06-01T12:00:00Z",
        until="2021-06-01T12:00:00Z",
    )
    assert identifiers(to_the_second) == [identifier(archive.telegram)]


# Errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "ListSets"]}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "Identify", "set": "iran"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "mods"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "8 May 1946"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-02-30"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-01-02",
                "until": "2026-01-01",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-01-01",
                "until": "2026-01-02T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "resumptionToken": "made-up"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "made-up"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "ead", "identifier": "oai:testserver:1"},
            "cannotDisseminateFormat",
        ),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:testserver:999999",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere.org:1"},
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "not-an-identifier"}, "idDoesNotExist"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
            "noRecordsMatch",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "9999-12-31",
                "until": "9999-12-31",
            },
            "noRecordsMatch",
        ),
    ],
)
def test_a_wrong_request_gets_the_protocols_error_with_a_sentence(client, archive, params, code):
    response = client.get("/oai/", params)
    tree = ask(client, **params)
    assert error_codes(tree) == [code]
    message = text(tree, "oai:error")[0]
    assert message.endswith(".") and len(message) > 20
    request = tree.find("{http://www.openarchives.org/OAI/2.0/}request")
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}  # the protocol: echo no arguments then
    assert response.status_code == 200


def test_a_repository_without_public_collections_has_no_set_hierarchy(client, archive):
    Collection.objects.update(status=Status.DRAFT)
    assert error_codes(ask(client, verb="ListSets")) == ["noSetHierarchy"]


def test_an_archive_with_nothing_published_answers_no_records_match(client, db):
    DocumentFactory(status=Status.DRAFT)
    tree = ask(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert error_codes(tree) == ["noRecordsMatch"]
    assert text(ask(client, verb="Identify"), ".//oai:earliestDatestamp") != []


# Resumption tokens -----------------------------------------------------------------------------


def test_a_long_list_comes_in_pages_with_cursor_size_and_expiry(client, archive, settings):
    settings.OAI_PAGE_SIZE = 3
    first = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find(".//oai:resumptionToken", NS)
    assert (token.get("cursor"), token.get("completeListSize")) == ("0", "4")
    assert token.get("expirationDate") > text(first, "oai:responseDate")[0]
    second = ask(client, verb="ListIdentifiers", resumptionToken=token.text)
    last = second.find(".//oai:resumptionToken", NS)
    assert (last.get("cursor"), last.get("completeListSize"), last.text) == ("3", "4", None)
    listed = [
        header.findtext("oai:identifier", namespaces=NS)
        for page in (first, second)
        for header in page.iterfind(".//oai:header", NS)
    ]
    assert sorted(listed) == sorted(
        [identifier(archive.letter), identifier(archive.telegram), identifier(archive.withdrawn)]
        + [f"oai:testserver:{archive.deleted_record_id}"]
    )


def test_records_published_while_a_harvester_pages_are_neither_repeated_nor_shift_the_rest(
    client, archive, settings
):
    settings.OAI_PAGE_SIZE = 1
    seen = []
    tree = ask(client, verb="ListRecords", metadataPrefix="oai_dc")
    while True:
        seen += identifiers(tree) + identifiers(tree, deleted=True)
        DocumentFactory(title=f"Published while page {len(seen)} was read")
        token = tree.find(".//oai:resumptionToken", NS)
        if token is None or not token.text:
            break
        tree = ask(client, verb="ListRecords", resumptionToken=token.text)
        if len(seen) > 20:
            break
    assert len(seen) == len(set(seen))
    for document in archive.published:
        assert identifier(document) in seen


def test_a_token_altered_expired_or_for_another_verb_is_refused(client, archive, settings):
    settings.OAI_PAGE_SIZE = 1
    first = ask(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = first.find(".//oai:resumptionToken", NS).text
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for verb, sent in (("ListRecords", altered), ("ListIdentifiers", token)):
        assert error_codes(ask(client, verb=verb, resumptionToken=sent)) == ["badResumptionToken"]
    settings.OAI_TOKEN_SECONDS = -1
    assert error_codes(ask(client, verb="ListRecords", resumptionToken=token)) == [
        "badResumptionToken"
    ]
    forged = signing.dumps({"verb": "ListRecords"}, salt="another purpose")
    assert error_codes(ask(client, verb="ListRecords", resumptionToken=forged)) == [
        "badResumptionToken"
    ]


def test_each_page_of_a_list_costs_the_same_queries_however_many_records(client, archive, settings):
    settings.OAI_PAGE_SIZE = 2
    counts = {}
    for extra in (0, 30):
        for n in range(extra):
            DocumentFactory(title=f"Extra {n}", date_text="1950")
        for prefix in ("oai_dc", "mods"):
            with CaptureQueriesContext(connection) as first_page:
                tree = ask(client, verb="ListRecords", metadataPrefix=prefix)
            token = tree.find(".//oai:resumptionToken", NS).text
            with CaptureQueriesContext(connection) as next_page:
                ask(client, verb="ListRecords", resumptionToken=token)
            counts[extra, prefix] = (len(first_page), len(next_page))
    assert counts[0, "oai_dc"] == counts[30, "oai_dc"]
    assert counts[0, "mods"] == counts[30, "mods"]
    assert max(max(pair) for pair in counts.values()) <= 12


NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "mods": "http://www.loc.gov/mods/v3",
}
