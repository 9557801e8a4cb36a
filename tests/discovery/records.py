"""The seed-like archive of tests/public/records.py, plus what the public must never see in a
sitemap, a feed or the API: a withdrawn document, a person named only on a draft and one named
only on the withdrawn document, and a draft collection (the archive's "Unfinished collection")."""

from datetime import timedelta

from django.utils import timezone

from documents.models import Contribution, Document, Person, Status
from tests.public.records import build_archive


def build_open_archive():
    archive = build_archive()
    archive.draft_only = Person.objects.create(name="Draft-only Person")
    Contribution.objects.create(document=archive.draft, person=archive.draft_only, role="recipient")
    archive.withdrawn = Document.objects.create(
        title="Withdrawn telegram about Baku",
        date_text="June 1946",
        status=Status.PUBLISHED,
        summary="Withdrawn: not for the public.",
    )
    archive.withdrawn.status = Status.WITHDRAWN
    archive.withdrawn.save()
    archive.withdrawn_only = Person.objects.create(name="Withdrawn-only Person")
    Contribution.objects.create(
        document=archive.withdrawn, person=archive.withdrawn_only, role="author"
    )
    archive.collection.documents.add(archive.withdrawn)
    archive.unfinished.documents.add(archive.stalin_letter)
    # Distinct publication days, newest last, so the feeds' order is known.
    for days, document in enumerate(
        [archive.baku_telegram, archive.bagirov_letter, archive.stalin_letter]
    ):
        Document.objects.filter(pk=document.pk).update(
            first_published_at=timezone.now() - timedelta(days=10 - days)
        )
    return archive


# What no public output may name: titles, people and collections.
HIDDEN_TITLES = ["Draft telegram about Tabriz oil", "Withdrawn telegram about Baku"]
HIDDEN_PEOPLE = ["Draft-only Person", "Withdrawn-only Person"]
HIDDEN_COLLECTIONS = ["Unfinished collection"]
