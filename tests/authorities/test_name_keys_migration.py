"""People stored before the stronger matching rules are found under the new rules once migrated."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from documents.authorities.matching import LIKELY, SAME, PersonMatcher
from documents.models import Person, PersonName

pytestmark = pytest.mark.django_db

migration = importlib.import_module("documents.migrations.0011_recompute_name_keys")


def test_the_migration_recomputes_the_keys_people_were_stored_with():
    stalin = Person.objects.create(name="Stalin, Joseph")
    PersonName.objects.create(person=stalin, name="Сталин")
    bagirov = Person.objects.create(name="Mir Cəfər Bağırov")
    # The keys the earlier rules gave (ə as e, other scripts kept, no natural order).
    Person.objects.filter(pk=stalin.pk).update(name_key="stalin joseph", sound_key="stln jsf")
    PersonName.objects.filter(name="Сталин").update(name_key="сталин", sound_key="сталин")
    Person.objects.filter(pk=bagirov.pk).update(name_key="mir cefer bagirov", sound_key="x")

    # The migration reads only which database the schema editor works on.
    migration.recompute(apps, SimpleNamespace(connection=connection))

    assert Person.objects.get(pk=bagirov.pk).name_key == "mir jafar bagirov"
    assert PersonName.objects.get(name="Сталин").name_key == "stalin"
    matcher = PersonMatcher()
    assert matcher.decide("Stalin").kind == SAME
    assert matcher.decide("Joseph Stalin").kind == LIKELY
    assert matcher.decide("Mir Jafar Bagirov").kind == SAME
