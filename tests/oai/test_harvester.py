"""A real harvester (Sickle) on a live server collects every published record, nothing else."""

from datetime import UTC, datetime

import pytest
from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

from documents.models import HarvestRecord

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def harvester(live_server, settings):
    settings.OAI_PAGE_SIZE = 2  # several pages, each after a resumption token
    settings.ALLOWED_HOSTS = ["*"]
    return Sickle(f"{live_server.url}/oai/", max_retries=0, timeout=30)


def namespace(live_server):
    return live_server.url.split("//", 1)[1].rsplit(":", 1)[0]


def test_a_harvester_collects_every_published_record_and_nothing_else(
    harvester, live_server, committed_archive
):
    ns = namespace(live_server)
    expected = {f"oai:{ns}:{d.record_id}" for d in committed_archive.published}
    for prefix in ("oai_dc", "mods"):
        records = list(harvester.ListRecords(metadataPrefix=prefix, ignore_deleted=True))
        assert {record.header.identifier for record in records} == expected
        assert len(records) == len(expected)
    titles = {
        tuple(record.metadata["title"])
        for record in harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True)
    }
    assert titles == {("Letter, I. V. Stalin to Cde. Pishevari",), ("Telegram from Baku",)}
    everything = list(harvester.ListIdentifiers(metadataPrefix="oai_dc"))
    deleted = {header.identifier for header in everything if header.deleted}
    assert deleted == {
        f"oai:{ns}:{committed_archive.withdrawn.record_id}",
        f"oai:{ns}:{committed_archive.deleted_record_id}",
    }
    assert f"oai:{ns}:{committed_archive.draft.record_id}" not in {h.identifier for h in everything}


def test_a_harvester_collects_a_set_and_what_changed_from_a_date(
    harvester, live_server, committed_archive
):
    ns = namespace(live_server)
    in_set = harvester.ListIdentifiers(metadataPrefix="mods", set="iran", ignore_deleted=True)
    assert {h.identifier for h in in_set} == {
        f"oai:{ns}:{d.record_id}" for d in committed_archive.published
    }
    assert [s.setSpec for s in harvester.ListSets()] == ["iran"]
    with pytest.raises(NoRecordsMatch):
        list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="secret-plans"))

    HarvestRecord.objects.update(datestamp=LONG_AGO)
    committed_archive.telegram.title = "Telegram from Baku, corrected"
    committed_archive.telegram.save()
    changed = harvester.ListRecords(
        metadataPrefix="oai_dc", ignore_deleted=True, **{"from": "2020-01-02"}
    )
    assert [r.header.identifier for r in changed] == [
        f"oai:{ns}:{committed_archive.telegram.record_id}"
    ]
    record = harvester.GetRecord(
        identifier=f"oai:{ns}:{committed_archive.telegram.record_id}", metadataPrefix="oai_dc"
    )
    assert record.metadata["title"] == ["Telegram from Baku, corrected"]
