"""The Original Uploaded Date (Document.first_published_at) in the admin: stamped once, editable."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.history import versions_of
from documents.models import Document, Status
from documents.workflows.publishing import publish
from tests.admin.conftest import form_data
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db
_ZONE = timezone.get_default_timezone()


def change_url(document):
    return reverse("admin:documents_document_change", args=[document.pk])


def _upload_date(day="", time=""):
    return {"first_published_at_0": day, "first_published_at_1": time}


def _seed_document_published_without_a_date():
    """As the seed fixture loads a 1945 record: published, no upload date (no save() runs)."""
    document = DocumentFactory(title="Telegram of 1945", date_text="1945")
    Document.objects.filter(pk=document.pk).update(first_published_at=None)
    return document


def test_saving_a_published_seed_document_does_not_invent_its_upload_date(curator_client):
    document = _seed_document_published_without_a_date()
    form = curator_client.get(change_url(document))

    response = curator_client.post(
        change_url(document), form_data(form, summary="A corrected summary.", **_upload_date())
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.summary == "A corrected summary."
    assert document.first_published_at is None
    page = curator_client.get(document.get_absolute_url()).content.decode()
    assert re.search(r"Original Uploaded Date</dt>\s*<dd>Not recorded</dd>", page)


def test_a_curator_can_correct_the_upload_date_and_the_history_keeps_it(curator_client):
    document = _seed_document_published_without_a_date()
    form = curator_client.get(change_url(document))

    curator_client.post(change_url(document), form_data(form, **_upload_date("2011-11-03", "9:00")))

    document.refresh_from_db()
    assert document.first_published_at == datetime.datetime(2011, 11, 3, 9, 0, tzinfo=_ZONE)
    page = curator_client.get(document.get_absolute_url()).content.decode()
    assert "November 3, 2011" in page
    latest = versions_of(document).first()
    assert latest.field_dict["first_published_at"] == document.first_published_at
    # A later save keeps what the curator wrote.
    form = curator_client.get(change_url(document))
    data = form_data(form, summary="Another summary.", **_upload_date("2011-11-03", "09:00:00"))
    curator_client.post(change_url(document), data)
    document.refresh_from_db()
    assert document.first_published_at == datetime.datetime(2011, 11, 3, 9, 0, tzinfo=_ZONE)


def test_publishing_a_draft_in_the_admin_stamps_the_day_it_is_published(curator_client):
    document = DocumentFactory(status=Status.DRAFT)
    assert document.first_published_at is None
    form = curator_client.get(change_url(document))

    curator_client.post(change_url(document), form_data(form, status="published", **_upload_date()))

    document.refresh_from_db()
    assert document.status == Status.PUBLISHED
    assert timezone.localdate(document.first_published_at) == timezone.localdate()


def test_publishing_by_the_workflow_stamps_only_records_without_a_date(make_user):
    draft = DocumentFactory(status=Status.DRAFT)
    dated = DocumentFactory(status=Status.DRAFT)
    moved = datetime.datetime(2008, 2, 1, tzinfo=_ZONE)
    Document.objects.filter(pk=dated.pk).update(first_published_at=moved)

    publish(Document.objects.filter(pk__in=[draft.pk, dated.pk]), by=make_user("Curator"))

    draft.refresh_from_db()
    dated.refresh_from_db()
    assert timezone.localdate(draft.first_published_at) == timezone.localdate()
    assert dated.first_published_at == moved


def test_an_import_row_that_leaves_a_record_published_does_not_invent_its_date(tmp_path):
    from documents.spreadsheets.importing import import_documents
    from tests.importing.conftest import write_csv

    document = _seed_document_published_without_a_date()
    path = write_csv(
        tmp_path / "edit.csv",
        [
            ["record_id", "summary", "status"],
            [str(document.record_id), "Edited by import.", "published"],
        ],
    )

    result = import_documents(path)

    assert result.ok and result.updated == 1, result.errors
    document.refresh_from_db()
    assert document.summary == "Edited by import."
    assert document.first_published_at is None
