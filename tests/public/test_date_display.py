"""Dates on public pages: typed in figures, shown in the archive's style; the record keeps them."""

import csv

import pytest
from django.core.management import call_command
from django.urls import reverse

from documents.models import Document
from tests.factories import CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def test_a_date_typed_in_figures_is_shown_as_the_archive_writes_dates(client):
    document = DocumentFactory(title="Telegram to Tehran", date_text="03/15/1946")
    collection = CollectionFactory()
    collection.documents.add(document)
    page = client.get(document.get_absolute_url()).content.decode()
    assert '<p class="document-date" dir="auto">March 15, 1946</p>' in page
    assert "03/15/1946" not in page
    for url in ("/documents/", collection.get_absolute_url(), "/"):
        listed = client.get(url).content.decode()
        assert "<bdi>March 15, 1946</bdi>" in listed and "03/15/1946" not in listed, url


def test_a_date_in_words_is_shown_as_written(client):
    document = DocumentFactory(date_text="8 May 1946")
    page = client.get(document.get_absolute_url()).content.decode()
    assert '<p class="document-date" dir="auto">8 May 1946</p>' in page


def test_an_ambiguous_date_imported_day_first_shows_the_day_the_import_read(client, tmp_path):
    path = tmp_path / "dates.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        rows = [["title", "date", "status"], ["A", "03/04/1946", "published"]]
        csv.writer(handle).writerows(rows)
    call_command("import_documents", str(path), "--date-order", "dmy", verbosity=0)
    document = Document.objects.get(title="A")
    assert (document.date_text, document.date_edtf) == ("03/04/1946", "1946-04-03")
    page = client.get(document.get_absolute_url()).content.decode()
    assert '<p class="document-date" dir="auto">April 3, 1946</p>' in page


def test_the_admin_and_the_api_keep_the_date_as_written(client, curator):
    document = DocumentFactory(title="Telegram to Tehran", date_text="03/15/1946")
    api = client.get(f"/api/documents/{document.record_id}/").json()
    assert api["date"] == "03/15/1946" and api["date_edtf"] == "1946-03-15"
    client.force_login(curator)
    listing = client.get(reverse("admin:documents_document_changelist")).content.decode()
    assert "03/15/1946" in listing and "March 15, 1946" not in listing
    form = client.get(reverse("admin:documents_document_change", args=[document.pk]))
    assert 'value="03/15/1946"' in form.content.decode()
