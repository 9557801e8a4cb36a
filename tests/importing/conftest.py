from pathlib import Path

import pytest

from archive_collections.models import Collection
from documents.models import (
    Classification,
    DocumentType,
    Language,
    Organization,
    Person,
    PersonName,
    Place,
    Repository,
    Subject,
)
from documents.spreadsheets.importing import import_documents
from tests.factories import terms

FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture
def files():
    return FILES


@pytest.fixture
def vocabulary(db):
    """The authorities the test spreadsheets name, as a curator would have set them up."""
    terms(DocumentType, "Letter", "Telegram")
    Classification.objects.create(name="Top Secret", rank=40)
    Classification.objects.create(name="Secret", rank=30)
    Language.objects.create(name="Russian", code="ru")
    Language.objects.create(name="Persian", code="fa")
    Language.objects.create(name="Azerbaijani", code="az")
    Repository.objects.create(
        abbreviation="RGASPI", name="Russian State Archive of Socio-Political History"
    )
    Repository.objects.create(
        abbreviation="GAPPOD", name="Archive of the Azerbaijani Communist Party"
    )
    Collection.objects.create(title="Iran-Soviet Relations")
    Organization.objects.create(name="MacArthur Foundation")
    Subject.objects.create(name="Azerbaijan Crisis")
    terms(Place, "Tabriz", "Tehran", "Baku")
    Person.objects.create(name="I. V. Stalin")
    bagirov = Person.objects.create(name="M. D. Bagirov")
    PersonName.objects.create(person=bagirov, name="M.D. Bagriov", kind=PersonName.Kind.MISSPELLING)
    Person.objects.create(name="Ja'far Pishevari")
    Person.objects.create(name="Qavam")
    Person.objects.create(name="Gary Goldberg")
    Person.objects.create(name="Jamil Hasanli")


@pytest.fixture
def importer(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        "importer", password="a-long-test-password", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="documents",
            codename__in=[
                "import_document",
                "export_document",
                "view_document",
                "change_document",
                "add_document",
                "delete_document",
                "publish_document",
            ],
        )
    )
    return django_user_model.objects.get(pk=user.pk)


def write_csv(path, rows):
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def import_rows(directory, rows, **options):
    """Import `rows` (the heading first) from a CSV file written in `directory`."""
    return import_documents(write_csv(directory / "import.csv", rows), **options)
