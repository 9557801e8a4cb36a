"""Records modelled on the seed pages, built in code so each test states what it relies on.

`build_archive()` is shared with the browser tests, which need it outside a `db` fixture.
"""

from types import SimpleNamespace

from archive_collections.models import Collection, FeaturedDocument
from documents.models import (
    Citation,
    Classification,
    Contribution,
    Document,
    DocumentType,
    Language,
    Organization,
    Person,
    PersonName,
    Place,
    Repository,
    RightsStatement,
    Status,
    Subject,
)
from tests.factories import terms


def person(name, sort_name, *variants):
    record = Person.objects.create(name=name, sort_name=sort_name)
    for variant in variants:
        PersonName.objects.create(person=record, name=variant)
    return record


def document(*, languages=(), subjects=(), places=(), people, source, **fields):
    """A document (published unless `fields` say otherwise) with its links, people and source."""
    record = Document.objects.create(**{"status": Status.PUBLISHED, **fields})
    record.languages.add(*languages)
    record.subjects.add(*subjects)
    record.places.add(*places)
    for contribution in people:
        contribution.document = record
        contribution.save()
    repository, reference = source
    Citation.objects.create(document=record, repository=repository, reference=reference)
    return record


def build_archive():
    """Three seed documents, their people (with variant names), vocabularies and a collection."""
    rgaspi = Repository.objects.create(
        abbreviation="RGASPI",
        name="Russian State Archive of Socio-Political History",
        place="Moscow",
    )
    gappod = Repository.objects.create(
        abbreviation="GAPPOD",
        name="Archive of Political Parties and Social Movements of Azerbaijan",
        place="Baku",
    )
    top_secret = Classification.objects.create(name="Top Secret", rank=40)
    letter, telegram = terms(DocumentType, "Letter", "Telegram")
    russian = Language.objects.create(name="Russian", code="ru")
    azerbaijani = Language.objects.create(name="Azerbaijani", code="az")
    iran_crisis, oil = terms(Subject, "Iran Crisis, 1946", "Oil")
    tabriz, tehran = terms(Place, "Tabriz", "Tehran")
    cwihp = Organization.objects.create(
        name="Cold War International History Project", abbreviation="CWIHP"
    )
    RightsStatement.objects.create(
        title="Educational reuse",
        text="The History and Public Policy Program welcomes reuse of Digital Archive materials.",
        is_default=True,
    )

    stalin = person("I. V. Stalin", "Stalin, I. V.", "Stalin", "Filippov")
    pishevari = person("Ja'far Pishevari", "Pishevari, Ja'far", "Pishevari", "Jafar Pishavari")
    bagirov = person("M. D. Bagirov", "Bagirov, M. D.", "Bagirov", "M.D. Bagriov")
    maslennikov = person("I. I. Maslennikov", "Maslennikov, I. I.")
    molotov = person("V. M. Molotov", "Molotov, V. M.")
    qavam = person("Ahmad Qavam", "Qavam, Ahmad", "Qavam", "Ghavam", "Qavam-es-Saltaneh")
    goldberg = person("Gary Goldberg", "Goldberg, Gary")
    hasanli = person("Jamil Hasanli", "Hasanli, Jamil")

    stalin_letter = document(
        title="Letter, I. V. Stalin to Cde. Pishevari",
        date_text="May 8, 1946",
        document_type=letter,
        classification=top_secret,
        summary=(
            "In a letter intended to be read, but not handed, to President of the People's "
            "Government of Azerbaijan Ja'far Pishevari, Stalin notes the lack of a deep "
            "revolutionary crisis in Iran."
        ),
        text=(
            "Read my following letter to Cde. Pishevari but do not hand it to him.\n\n"
            "It seems to me that you are incorrectly assessing the situation which has been "
            "created both inside Iran as well as in the international context."
        ),
        languages=[russian],
        subjects=[iran_crisis],
        places=[tehran],
        people=[
            Contribution(person=stalin, role="author"),
            Contribution(person=pishevari, role="recipient"),
            Contribution(person=qavam, role="mentioned"),
            Contribution(person=goldberg, role="translator"),
        ],
        source=(rgaspi, "f. 558, op. 11, d. 317, ll. 0069-0072"),
    )
    bagirov_letter = document(
        title=(
            "Letter from Bagirov to Stalin and Molotov about Qavam delaying talks with the "
            "Iranian Azerbaijani government"
        ),
        date_text="April 20, 1946",
        document_type=letter,
        summary="A letter from Bagirov to Stalin and Molotov about Qavam delaying talks.",
        text="Pishevari and our people from Tabriz report that Qavam has delayed his talks.",
        # Its transmission block, so that the page checks (axe, the HTML checker) see a header.
        sent_text="Sent 1750 20 April 1946",
        sent_by="OPS Duty Officer Kupryazhina",
        received_by="Korshunova",
        destination=tehran,
        languages=[russian, azerbaijani],
        subjects=[iran_crisis, oil],
        places=[tabriz, tehran],
        people=[
            Contribution(person=bagirov, role="author"),
            Contribution(person=stalin, role="recipient", order=1),
            Contribution(person=molotov, role="recipient", order=2),
            Contribution(person=hasanli, role="obtained_by", on_behalf_of=cwihp),
            Contribution(person=goldberg, role="translator", on_behalf_of=cwihp),
        ],
        source=(gappod, "f.1, op.89, d.112"),
    )
    baku_telegram = document(
        title=(
            "Telegram from Baku to Moscow, M.D. Bagriov and I.I. Maslennikov to Cdes. Stalin, "
            "Molotov, Beria, and Malenkov"
        ),
        date_text="November 23, 1945",
        document_type=telegram,
        classification=top_secret,
        summary=(
            "Message sent to top Soviet officials reporting that Iranian troops had advanced on "
            "Tabriz."
        ),
        text="Received via VCh\n\n23 Nov 1945",
        languages=[russian],
        places=[tabriz],
        people=[
            Contribution(person=bagirov, role="author", name_as_written="M.D. Bagriov"),
            Contribution(person=maslennikov, role="author", order=1),
            Contribution(person=stalin, role="recipient"),
            Contribution(person=hasanli, role="contributor"),
            Contribution(person=goldberg, role="translator"),
        ],
        source=(rgaspi, "f. 558, op. 11, d. 99, ll. 0049-0051"),
    )
    draft = document(
        title="Draft telegram about Tabriz oil",
        date_text="1946",
        document_type=telegram,
        status=Status.DRAFT,
        summary="Not yet public: Tabriz oil Bagirov.",
        languages=[russian],
        subjects=[oil],
        places=[tabriz],
        people=[Contribution(person=bagirov, role="author")],
        source=(gappod, "f.1, op.1, d.1"),
    )

    collection = Collection.objects.create(
        title="Iran-Soviet Relations",
        status=Status.PUBLISHED,
        description="Soviet documents related to Soviet-Iranian relations.",
    )
    collection.documents.add(stalin_letter, bagirov_letter, baku_telegram, draft)
    FeaturedDocument.objects.create(collection=collection, document=bagirov_letter, order=1)
    unfinished = Collection.objects.create(title="Unfinished collection", status=Status.DRAFT)
    draft.collections.add(unfinished)
    crisis = Collection.objects.create(
        title="The Iran/Azerbaijan Crisis, 1946", status=Status.PUBLISHED
    )
    stalin_letter.collections.add(crisis)

    return SimpleNamespace(**locals())
