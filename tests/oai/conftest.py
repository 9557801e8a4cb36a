import pytest

from documents.models import Language, Person, Place, RightsStatement, Status, Subject
from tests.factories import (
    CitationFactory,
    CollectionFactory,
    ContributionFactory,
    DocumentFactory,
    DocumentTypeFactory,
)


@pytest.fixture
def archive(db):
    return build_archive()


@pytest.fixture
def committed_archive(transactional_db):
    """The same archive, committed, for a server in another thread to read."""
    return build_archive()


def build_archive():
    """Published records with people, citations and terms, and the records no harvester sees.

    Returns a namespace: `published` (two documents in the public collection `iran`), `draft`
    (never published, in the draft collection `secret-plans`), `withdrawn` (published, then
    withdrawn), `deleted_record_id` (published, then deleted) and the collections.
    """
    RightsStatement.objects.create(
        title="Educational use",
        text="Reuse for education is welcome <with credit> & thanks.",
        uri="http://rightsstatements.org/vocab/InC-EDU/1.0/",
        is_default=True,
    )
    russian = Language.objects.create(name="Russian", code="ru")
    iran = CollectionFactory(title="Iran-Soviet Relations", slug="iran", description="Notes.")
    secret = CollectionFactory(title="Secret plans", slug="secret-plans", status=Status.DRAFT)
    stalin = Person.objects.create(
        name="I. V. Stalin", sort_name="Stalin, I. V.", wikidata_id="Q855"
    )
    pishevari = Person.objects.create(name="Ja'far Pishevari")
    goldberg = Person.objects.create(name="Gary Goldberg")
    letter = DocumentFactory(
        title="Letter, I. V. Stalin to Cde. Pishevari",
        date_text="May 8, 1946",
        document_type=DocumentTypeFactory(name="Letter"),
    )
    ContributionFactory(document=letter, person=stalin, role="author")
    ContributionFactory(document=letter, person=pishevari, role="recipient")
    ContributionFactory(document=letter, person=goldberg, role="translator")
    CitationFactory(document=letter, reference="RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072")
    letter.languages.add(russian)
    letter.subjects.add(Subject.objects.create(name="Azerbaijan crisis"))
    letter.places.add(Place.objects.create(name="Tabriz"))
    telegram = DocumentFactory(title="Telegram from Baku", date_text="circa 1946")
    iran.documents.add(letter, telegram)
    draft = DocumentFactory(title="A draft no one may see", status=Status.DRAFT)
    hidden_person = Person.objects.create(name="Seen Only On Drafts")
    ContributionFactory(document=draft, person=hidden_person, role="author")
    secret.documents.add(draft, letter)
    withdrawn = DocumentFactory(title="Withdrawn telegram")
    withdrawn.status = Status.WITHDRAWN
    withdrawn.save()
    gone = DocumentFactory(title="Deleted telegram")
    gone_record_id = gone.record_id
    gone.delete()

    class Archive:
        pass

    archive = Archive()
    archive.published = [letter, telegram]
    archive.letter, archive.telegram = letter, telegram
    archive.draft, archive.withdrawn = draft, withdrawn
    archive.deleted_record_id = gone_record_id
    archive.iran, archive.secret = iran, secret
    archive.stalin = stalin
    return archive
