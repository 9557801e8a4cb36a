"""Organizations carry a slug, so a funder's public list address survives export and re-import."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from documents.models import Organization


@pytest.mark.django_db
def test_an_organization_is_given_a_slug_from_its_name_once():
    macarthur = Organization.objects.create(name="MacArthur Foundation")
    assert macarthur.slug == "macarthur-foundation"
    assert Organization.objects.create(name="MacArthur foundation").slug == "macarthur-foundation-2"
    macarthur.name = "John D. and Catherine T. MacArthur Foundation"
    macarthur.save()
    assert macarthur.slug == "macarthur-foundation"  # a renamed funder keeps its address


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_existing_organization_a_slug():
    executor = MigrationExecutor(connection)
    before = [("documents", "0007_search_statistics")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("documents", "Organization")
    old.objects.create(name="MacArthur Foundation")
    old.objects.create(name="MacArthur foundation")
    old.objects.create(name="Leon Levy Foundation")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(Organization.objects.values_list("name", "slug")) == {
        "MacArthur Foundation": "macarthur-foundation",
        "MacArthur foundation": "macarthur-foundation-2",
        "Leon Levy Foundation": "leon-levy-foundation",
    }
