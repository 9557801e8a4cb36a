"""Which people the public may see: those a published document names.

The person page (`documents.views.PersonDetailView`) answers 404 to visitors for anyone else;
the sitemap and the API list the same people (`tests/discovery/test_sitemap.py` checks the two
agree person by person).
"""

import numpy as np
from django.db.models import Exists, Max, OuterRef

from documents.browse import index
from documents.browse.declarations import PEOPLE
from documents.models import Contribution, Document, Person, Status


def public_contributions():
    """The links between people and published documents.

    The few unpublished documents are left out by id, from the status index, as the person
    page does: on SQLite a document's status is stored after its long texts, so testing the
    status of each of a busy person's thousands of documents would read every text.
    """
    unpublished = [status for status in Status if status != Status.PUBLISHED]
    return Contribution.objects.exclude(
        document__in=Document.objects.filter(status__in=unpublished)
    )


def public_people():
    """The people a published document names, as the person page decides."""
    return Person.objects.filter(Exists(public_contributions().filter(person=OuterRef("pk"))))


def public_people_changed():
    """(person id, latest change) of every public person, by person id: the latest change of
    the published documents naming them, since a person's page shows those documents.

    Grouped over the links alone, read from the index `document_sitemap`, before any person's
    row is read.
    """
    return (
        Contribution.objects.filter(document__status=Status.PUBLISHED)
        .values("person_id")
        .annotate(lastmod=Max("document__updated_at"))
        .order_by("person_id")
        .values_list("person_id", "lastmod")
    )


def public_people_count():
    """How many people published documents name, from the in-memory public index (its links
    are the published documents' own; tests/public/test_facet_index.py proves them equal)."""
    links = index.public_index().links[PEOPLE.name]
    return int(len(np.unique(links.term)))
