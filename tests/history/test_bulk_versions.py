"""The import's bulk history writer (documents.history.bulk) against django-reversion itself.

An import and its undo write their versions from plain rows, not through
`reversion.create_revision()`; these tests hold the two to the same rows and the same signals,
so a curator's history, diffs and reverts cannot tell which one wrote a version.
"""

import datetime
import json

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from reversion.models import Revision, Version
from reversion.signals import post_revision_commit, pre_revision_commit

from documents import history
from documents.history import bulk
from documents.models import (
    Citation,
    Contribution,
    Document,
    Funding,
    Language,
    Organization,
    Place,
    RightsStatement,
    Scan,
    Subject,
)
from documents.spreadsheets.importing import import_documents
from documents.spreadsheets.undo import undo_import
from tests.factories import (
    ClassificationFactory,
    DocumentFactory,
    DocumentTypeFactory,
    PersonFactory,
    RepositoryFactory,
    terms,
)
from tests.importing.conftest import write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents():
    """Documents with everything a version carries: people in several roles, citations, ..."""
    russian = Language.objects.create(name="Russian", code="ru")
    persian = Language.objects.create(name="Persian", code="fa")
    oil, elections = terms(Subject, "Oil", "Elections")
    [tabriz] = terms(Place, "Tabriz")
    macarthur = Organization.objects.create(name="MacArthur Foundation")
    carnegie = Organization.objects.create(name="Carnegie Corporation", abbreviation="CC")
    rights = RightsStatement.objects.create(title="Public domain", text="No known restrictions.")
    rgaspi = RepositoryFactory()
    avprf = RepositoryFactory(abbreviation="AVPRF", name="Archive of Foreign Policy")
    stalin, bagirov, molotov = (PersonFactory(name=n) for n in ("Stalin", "Bagirov", "Molotov"))

    letter = DocumentFactory(
        title="Letter, I. V. Stalin to Cde. Pishevari",
        date_text="May 8, 1946",
        document_type=DocumentTypeFactory(),
        classification=ClassificationFactory(),
        rights=rights,
        first_published_at=timezone.now(),
    )
    letter.languages.set([russian, persian])
    letter.subjects.set([oil, elections])
    letter.places.set([tabriz])
    for person, role in (
        (stalin, Contribution.Role.AUTHOR),
        (bagirov, Contribution.Role.RECIPIENT),
        (molotov, Contribution.Role.COPIED_TO),
        (bagirov, Contribution.Role.MENTIONED),
    ):
        Contribution.objects.create(document=letter, person=person, role=role)
    Citation.objects.create(document=letter, repository=rgaspi, reference="f. 558, op. 11, d. 1")
    Citation.objects.create(document=letter, repository=avprf, order=1)
    Funding.objects.create(document=letter, organization=macarthur)
    Funding.objects.create(document=letter, organization=carnegie, credited=False, order=1)
    Scan.objects.create(
        document=letter,
        file="scans/ab/" + "ab" * 32 + ".jpg",
        caption="Page 1 of the letter",
        media_type=Scan.MediaType.JPEG,
        byte_size=2048,
        width=600,
        height=400,
        sha256="ab" * 32,
        thumbnail="scans/derivatives/ab/thumb.jpg",
    )
    Scan.objects.create(
        document=letter,
        file="scans/cd/" + "cd" * 32 + ".pdf",
        media_type=Scan.MediaType.PDF,
        page_count=3,
        sha256="cd" * 32,
        order=1,
    )

    telegram = DocumentFactory(
        title="Telegram from M. D. Bagirov to Stalin",
        date_text="June 1945",
        summary="Oil concessions «in the north».",
        status="draft",
    )
    telegram.languages.set([russian])
    telegram.related.set([letter])
    Contribution.objects.create(document=telegram, person=bagirov, role=Contribution.Role.AUTHOR)
    Citation.objects.create(document=telegram, repository=rgaspi, reference="f. 17, op. 128")

    bare = DocumentFactory(title="A record with nothing linked", date_text="")
    return [letter, telegram, bare]


def stored(revision):
    """{(model label, object id): what a version row holds}, the JSON parsed."""
    rows = {}
    for version in Version.objects.filter(revision=revision).select_related("content_type"):
        key = (f"{version.content_type.app_label}.{version.content_type.model}", version.object_id)
        rows[key] = {
            "content_type": version.content_type_id,
            "db": version.db,
            "format": version.format,
            "data": json.loads(version.serialized_data),
            "object_repr": version.object_repr,
        }
    return rows


def reversion_revision(documents):
    with reversion.create_revision():
        for document in documents:
            reversion.add_to_revision(document)
    return Revision.objects.latest("pk")


def bulk_revision(documents, user=None):
    revision = bulk.start_revision(user=user, comment="Imported from test.csv")
    bulk.record_versions(revision, [d.pk for d in documents])
    bulk.finish_revision(revision)
    return revision


def test_imported_history_holds_the_rows_reversion_itself_would_store(documents):
    expected = stored(reversion_revision(documents))
    written = stored(bulk_revision(documents))

    models = {label for label, _pk in expected}
    assert models == {
        "documents.document",
        "documents.contribution",
        "documents.citation",
        "documents.funding",
        "documents.scan",
    }
    assert len(expected) == 3 + 5 + 3 + 2 + 2
    assert written.keys() == expected.keys()
    for key, row in expected.items():
        assert written[key] == row, key


def test_imported_history_keeps_every_registered_field_of_a_document(documents):
    [letter, *_others] = documents
    revision = bulk_revision(documents)

    version = Version.objects.get_for_object(letter).get(revision=revision)
    fields = version.field_dict
    assert fields["title"] == "Letter, I. V. Stalin to Cde. Pishevari"
    assert fields["rights_id"] == letter.rights_id
    assert sorted(fields["languages"]) == sorted(letter.languages.values_list("pk", flat=True))
    assert fields["first_published_at"] is not None
    assert fields["date_start"] == datetime.date(1946, 5, 8)


def test_imported_history_signs_the_revision_with_the_importer_and_its_comment(documents):
    importer = get_user_model().objects.create_user("importer")

    revision = bulk_revision(documents, user=importer)

    revision.refresh_from_db()
    assert revision.user == importer
    assert revision.comment == "Imported from test.csv"
    assert Version.objects.get_for_object(documents[0]).get().revision == revision


def test_imported_history_sends_the_signals_reversion_sends_for_a_revision(documents):
    heard = []

    def listen(signal):
        def receiver(sender, revision, versions, **kwargs):
            objects = sorted((v.content_type_id, v.object_id) for v in versions)
            heard.append((signal, sender, objects))

        return receiver

    before, after = listen("pre"), listen("post")
    pre_revision_commit.connect(before)
    post_revision_commit.connect(after)
    try:
        reversion_revision(documents)
        by_reversion, heard[:] = list(heard), []
        bulk_revision(documents)
        by_bulk = list(heard)
    finally:
        pre_revision_commit.disconnect(before)
        post_revision_commit.disconnect(after)

    assert [(signal, sender) for signal, sender, _objects in by_reversion] == [
        ("pre", reversion.create_revision),
        ("post", reversion.create_revision),
    ]
    assert len(by_reversion[0][2]) == 15
    assert by_bulk == by_reversion


def test_a_change_made_by_a_pre_revision_commit_receiver_is_kept(documents):
    def add_note(sender, revision, versions, **kwargs):
        revision.comment += " (checked)"

    pre_revision_commit.connect(add_note)
    try:
        revision = bulk_revision(documents)
    finally:
        pre_revision_commit.disconnect(add_note)

    revision.refresh_from_db()
    assert revision.comment == "Imported from test.csv (checked)"


def test_a_history_registration_an_import_could_not_write_stops_the_site_at_start_up():
    reversion.unregister(Contribution)
    reversion.register(Contribution, follow=["person"])
    try:
        with pytest.raises(ImproperlyConfigured) as refusal:
            history.register_models()
    finally:
        reversion.unregister(Contribution)
        reversion.register(Contribution)
    assert str(refusal.value) == (
        "documents.history.bulk cannot write the versions an import leaves: "
        "documents.Contribution's versions follow other records in turn."
    )


def test_an_import_and_its_undo_each_send_reversions_signals_once(tmp_path):
    letters = write_csv(
        tmp_path / "letters.csv",
        [
            ["title", "date", "authors", "recipients", "places"],
            ["Letter to Baku", "May 8, 1946", "Stalin", "Bagirov", "Baku"],
            ["Letter to Tabriz", "May 9, 1946", "Molotov", "Pishevari; Bagirov", "Tabriz"],
        ],
    )
    heard = []

    def receiver(signal, sender, revision, versions, **kwargs):
        heard.append((signal, revision.comment, len(versions)))

    pre_revision_commit.connect(receiver)
    post_revision_commit.connect(receiver)
    try:
        first = import_documents(letters, create_missing=True).job
        record_id = Document.objects.get(title="Letter to Baku").record_id
        fix = write_csv(tmp_path / "fix.csv", [["record_id", "title"], [record_id, "Renamed"]])
        second = import_documents(fix).job
        undo_import(second)
    finally:
        pre_revision_commit.disconnect(receiver)
        post_revision_commit.disconnect(receiver)

    # Each revision: its documents, and their people linked (one, two or three each).
    assert heard == [
        (pre_revision_commit, f"Imported from letters.csv (import #{first.pk})", 2 + 5),
        (post_revision_commit, f"Imported from letters.csv (import #{first.pk})", 2 + 5),
        (pre_revision_commit, f"Imported from fix.csv (import #{second.pk})", 1 + 2),
        (post_revision_commit, f"Imported from fix.csv (import #{second.pk})", 1 + 2),
        (pre_revision_commit, f"Undid import #{second.pk} (fix.csv)", 1 + 2),
        (post_revision_commit, f"Undid import #{second.pk} (fix.csv)", 1 + 2),
    ]
