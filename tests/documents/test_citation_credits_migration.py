"""Citations stored with the credit the page also prints are printed once after migrating."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from documents.models import Citation, Contribution, Organization, PersonName
from tests.factories import CitationFactory, PersonFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("documents.migrations.0016_citations_without_printed_credits")
Role = Contribution.Role


def stored_with(reference, *credits):
    """A citation as the old import stored it, its document crediting `credits`."""
    citation = CitationFactory(reference="")
    Citation.objects.filter(pk=citation.pk).update(reference=reference)
    for order, (person, role, behalf) in enumerate(credits):
        Contribution.objects.create(
            document=citation.document, person=person, role=role, on_behalf_of=behalf, order=order
        )
    return citation


def test_a_stored_credit_the_linked_people_also_give_is_taken_out_and_printed_once():
    goldberg = PersonFactory(name="Gary Goldberg")
    hasanli = PersonFactory(name="Jamil Hasanli")
    PersonName.objects.create(person=hasanli, name="Dzhamil Gasanly")
    cwihp = Organization.objects.create(
        name="Cold War International History Project", abbreviation="CWIHP"
    )
    translated = stored_with(
        "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072. Translated by Gary Goldberg.",
        (goldberg, Role.TRANSLATOR, None),
    )
    obtained = stored_with(
        "f.1, op.89, d.112. Obtained for CWIHP by Dzhamil Gasanly and translated for CWIHP by "
        "Gary Goldberg.",
        (hasanli, Role.OBTAINED_BY, cwihp),
        (goldberg, Role.TRANSLATOR, cwihp),
    )
    not_linked = stored_with("f. 17, op. 3. Translated by Gary Goldberg.")

    migration.take_out_printed_credits(apps, SimpleNamespace(connection=connection))

    translated = Citation.objects.select_related("document").get(pk=translated.pk)
    assert translated.reference == "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072."
    assert translated.folios == "0069-0072"
    assert translated.document.source_line().count("Gary Goldberg") == 1
    obtained = Citation.objects.select_related("document").get(pk=obtained.pk)
    assert obtained.reference == "f.1, op.89, d.112."
    assert obtained.document.source_line() == (
        "RGASPI, f.1, op.89, d.112. Obtained for CWIHP by Jamil Hasanli and translated for CWIHP "
        "by Gary Goldberg."
    )
    # Nobody linked gives that credit: it is all the record has of it, so it stays.
    assert (
        Citation.objects.get(pk=not_linked.pk).reference
        == "f. 17, op. 3. Translated by Gary Goldberg."
    )
