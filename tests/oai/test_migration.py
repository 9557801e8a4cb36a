"""Records published before the provider existed are harvested once migrated, drafts are not."""

import importlib

import pytest
from django.apps import apps

from documents.models import HarvestRecord, Status
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("documents.migrations.0020_harvest_records")


def test_the_migration_lists_published_records_and_once_published_ones_as_deleted():
    published = DocumentFactory(title="Published before")
    withdrawn = DocumentFactory(title="Published, then withdrawn")
    withdrawn.status = Status.WITHDRAWN
    withdrawn.save()
    draft = DocumentFactory(title="Never published", status=Status.DRAFT)
    HarvestRecord.objects.all().delete()  # as before migration 0020

    migration.record_what_harvesters_may_see(apps, None)

    rows = {row.document_id: row for row in HarvestRecord.objects.all()}
    assert set(rows) == {published.pk, withdrawn.pk}
    assert not rows[published.pk].deleted and rows[withdrawn.pk].deleted
    assert rows[published.pk].datestamp.microsecond == 0
    assert draft.pk not in rows
