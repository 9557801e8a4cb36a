"""A record's datestamp moves whenever what a harvester receives for it changes, and only then.

Every write reaches the datestamps through documents.changes, whichever path it takes: a save, a
link added through a manager, a workflow, a bulk write recorded with changes.record().
"""

from datetime import UTC, datetime

import pytest

from documents import changes
from documents.models import (
    Document,
    DocumentType,
    HarvestRecord,
    Language,
    Person,
    RightsStatement,
    Status,
    Subject,
)
from documents.workflows.publishing import publish
from tests.factories import ContributionFactory
from tests.oai.helpers import ask, identifier, identifiers

pytestmark = pytest.mark.django_db

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def harvested_since_long_ago(client):
    """The identifiers a harvester gets from a harvest from just after LONG_AGO."""
    tree = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", from_="2020-01-02")
    return set(identifiers(tree)), set(identifiers(tree, deleted=True))


@pytest.fixture
def harvested(archive):
    """The archive, every record of it harvested long ago."""
    HarvestRecord.objects.update(datestamp=LONG_AGO)
    return archive


def test_renaming_a_person_moves_the_datestamps_of_the_records_naming_them(client, harvested):
    stalin = Person.objects.get(pk=harvested.stalin.pk)
    stalin.name = "Joseph Stalin"
    stalin.save()
    assert harvested_since_long_ago(client) == ({identifier(harvested.letter)}, set())


def test_linking_a_subject_moves_the_datestamp(client, harvested):
    harvested.telegram.subjects.add(Subject.objects.create(name="Oil concessions"))
    assert harvested_since_long_ago(client) == ({identifier(harvested.telegram)}, set())


def test_renaming_a_subject_moves_its_records_and_saving_it_unchanged_moves_none(client, harvested):
    subject = Subject.objects.get(name="Azerbaijan crisis")
    subject.save()
    assert harvested_since_long_ago(client) == (set(), set())
    subject.name = "Iranian Azerbaijan crisis"
    subject.save()
    assert harvested_since_long_ago(client) == ({identifier(harvested.letter)}, set())


def test_publishing_a_draft_adds_its_record_and_withdrawing_reports_it_deleted(
    client, harvested, curator
):
    publish([harvested.draft], by=curator)
    assert harvested_since_long_ago(client)[0] == {identifier(harvested.draft)}
    HarvestRecord.objects.update(datestamp=LONG_AGO)
    letter = Document.objects.get(pk=harvested.letter.pk)
    letter.status = Status.WITHDRAWN
    letter.save()
    assert harvested_since_long_ago(client) == (set(), {identifier(harvested.letter)})


def test_a_deleted_record_stays_reported_deleted(client, harvested):
    record_id = harvested.telegram.record_id
    Document.objects.get(pk=harvested.telegram.pk).delete()
    assert harvested_since_long_ago(client) == (set(), {f"oai:testserver:{record_id}"})
    tree = ask(
        client, verb="GetRecord", identifier=f"oai:testserver:{record_id}", metadataPrefix="mods"
    )
    assert identifiers(tree, deleted=True) == [f"oai:testserver:{record_id}"]


def test_editing_a_draft_never_published_moves_nothing_and_shows_nothing(client, harvested):
    draft = Document.objects.get(pk=harvested.draft.pk)
    draft.title = "Still a draft"
    draft.save()
    ContributionFactory(document=draft, person=harvested.stalin, role="mentioned")
    assert harvested_since_long_ago(client) == (set(), set())
    assert not HarvestRecord.objects.filter(pk=draft.pk).exists()


def test_unpublishing_a_collection_moves_its_records_and_takes_their_set_away(client, harvested):
    harvested.iran.status = Status.DRAFT
    harvested.iran.save()
    published, _ = harvested_since_long_ago(client)
    assert published == {identifier(d) for d in harvested.published}
    tree = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert b"iran" not in client.get("/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc").content
    assert identifiers(tree)


@pytest.mark.parametrize(
    "edit",
    [
        lambda: RightsStatement.objects.filter(is_default=True).first().save(),
        lambda: DocumentType.objects.get(name="Letter").save(),
        lambda: Language.objects.get(code="ru").save(),
    ],
    ids=["rights statement", "document type", "language"],
)
def test_a_rights_statement_type_or_language_every_record_may_show_moves_them_all(
    client, harvested, edit
):
    edit()
    assert harvested_since_long_ago(client)[0] == {identifier(d) for d in harvested.published}


def test_a_bulk_write_recorded_with_changes_moves_the_records_it_names(client, harvested):
    Document.objects.filter(pk=harvested.telegram.pk).update(summary="Rewritten in bulk.")
    changes.record(documents=[harvested.telegram.pk])
    assert harvested_since_long_ago(client) == ({identifier(harvested.telegram)}, set())


def test_a_bulk_load_brings_every_record_in_line(client, harvested):
    Document.objects.filter(pk=harvested.draft.pk).update(status=Status.PUBLISHED)
    Document.objects.filter(pk=harvested.letter.pk).update(status=Status.WITHDRAWN)
    changes.rebuild()
    published, deleted = harvested_since_long_ago(client)
    assert published == {identifier(harvested.telegram), identifier(harvested.draft)}
    assert identifier(harvested.letter) in deleted
