"""People stored before the stronger matching rules are found under the new rules once migrated."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from documents.authorities.matching import LIKELY, SAME, PersonMatcher
from documents.models import Person, PersonName


@pytest.mark.django_db(transaction=True)
def test_the_migration_recomputes_the_keys_people_were_stored_with():
    executor = MigrationExecutor(connection)
    before = [("documents", "0009_importjob_hashed_columns")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    old_person = apps.get_model("documents", "Person")
    old_name = apps.get_model("documents", "PersonName")
    # The keys the earlier rules gave (ə as e, other scripts kept, no natural order).
    stalin = old_person.objects.create(
        name="Stalin, Joseph", slug="stalin", name_key="stalin joseph", sound_key="stln jsf"
    )
    old_name.objects.create(
        person=stalin, name="Сталин", name_key="сталин", sound_key="сталин", kind="variant"
    )
    old_person.objects.create(
        name="Mir Cəfər Bağırov", slug="bagirov", name_key="mir cefer bagirov", sound_key="x"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Person.objects.get(slug="bagirov").name_key == "mir jafar bagirov"
    assert PersonName.objects.get(name="Сталин").name_key == "stalin"
    matcher = PersonMatcher()
    assert matcher.decide("Stalin").kind == SAME
    assert matcher.decide("Joseph Stalin").kind == LIKELY
    assert matcher.decide("Mir Jafar Bagirov").kind == SAME
