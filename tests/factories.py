import factory

from archive_collections.models import Collection
from documents.models import (
    Citation,
    Classification,
    Contribution,
    Document,
    DocumentType,
    Person,
    Repository,
    Status,
)


class DocumentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentType
        django_get_or_create = ["name"]

    name = "Telegram"


class ClassificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classification
        django_get_or_create = ["name"]

    name = "Top Secret"
    rank = 40


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"Telegram number {n} from Baku to Moscow")
    date_text = "May 8, 1946"
    summary = "A short summary a curator wrote."
    text = "First paragraph.\n\nSecond paragraph."
    status = Status.PUBLISHED


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    document = factory.SubFactory(DocumentFactory)
    person = factory.SubFactory(PersonFactory)
    role = Contribution.Role.AUTHOR


class RepositoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Repository
        django_get_or_create = ["abbreviation"]

    abbreviation = "RGASPI"
    name = "Russian State Archive of Socio-Political History"
    place = "Moscow"


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    document = factory.SubFactory(DocumentFactory)
    repository = factory.SubFactory(RepositoryFactory)
    reference = "f. 558, op. 11, d. 317, ll. 0069-0072"


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    title = factory.Sequence(lambda n: f"Collection {n}")
    status = Status.PUBLISHED


def terms(model, *names):
    """Rows of the vocabulary `model` (subjects, places, document types ...), one per name."""
    return [model.objects.create(name=name) for name in names]
