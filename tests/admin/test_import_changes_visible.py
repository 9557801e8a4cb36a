"""Curators and importers see which records an import changed, not only superusers."""

import pytest
from django.urls import reverse

from documents.models import ImportChange, ImportJob
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def job():
    document = DocumentFactory(title="Telegram from Tabriz")
    job = ImportJob.objects.create(file_name="cables.csv", file_format="csv", outcome="finished")
    ImportChange.objects.create(
        job=job,
        document_id=document.pk,
        record_id=document.record_id,
        row=2,
        action=ImportChange.Action.UPDATED,
        columns=["summary"],
        after_hash="0" * 64,
    )
    return job


@pytest.mark.parametrize("role", ["Curator", "Importer"])
def test_an_import_page_lists_the_records_it_changed_to_those_who_import(
    client, make_user, job, role
):
    client.force_login(make_user(role))
    response = client.get(reverse("admin:documents_importjob_change", args=[job.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Telegram from Tabriz" in body
    assert "summary" in body


def test_a_viewer_without_the_import_permission_cannot_open_the_import(client, make_user, job):
    client.force_login(make_user("Viewer"))
    response = client.get(reverse("admin:documents_importjob_change", args=[job.pk]))
    assert response.status_code in (302, 403)
