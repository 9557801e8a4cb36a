"""/collections/: every published collection with its image, its published documents and years."""

import re

import pytest
from django.core.files.base import ContentFile

from documents.models import Status
from tests.admin.conftest import image_bytes
from tests.factories import CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def entries(client):
    """[(title, facts line)] of the collections listed, in the page's order."""
    body = client.get("/collections/").content.decode()
    return re.findall(
        r'<h2><a href="/collections/[^"]+/"><bdi>(.*?)</bdi></a></h2>\s*'
        r'<p class="collection-facts">(.*?)</p>',
        body,
    )


def collection(title, *dates, draft_dates=(), **fields):
    made = CollectionFactory(title=title, **fields)
    for written in dates:
        made.documents.add(DocumentFactory(date_text=written))
    for written in draft_dates:
        made.documents.add(DocumentFactory(date_text=written, status=Status.DRAFT))
    return made


def test_each_collection_shows_its_published_documents_and_their_years(client):
    collection("Iran crisis of 1946", "May 8, 1946", "November 1945", "1953", draft_dates=["1920"])
    collection("Soviet foreign policy", "1946", "undated")
    collection("Just begun")
    assert entries(client) == [
        ("Iran crisis of 1946", "3 documents · 1945–1953"),
        ("Just begun", "0 documents"),
        ("Soviet foreign policy", "2 documents · 1946"),
    ]


def test_withdrawn_documents_are_not_counted(client):
    iran = collection("Iran crisis of 1946", "1946", "1947")
    iran.documents.add(DocumentFactory(date_text="1990", status=Status.WITHDRAWN))
    assert entries(client) == [("Iran crisis of 1946", "2 documents · 1946–1947")]


def test_draft_and_withdrawn_collections_are_not_listed(client):
    collection("Published one", "1946")
    collection("Draft one", "1946", status=Status.DRAFT)
    collection("Withdrawn one", "1946", status=Status.WITHDRAWN)
    assert [title for title, _facts in entries(client)] == ["Published one"]


def test_collections_are_listed_a_to_z_whatever_their_case(client):
    for title in ("soviet archives", "Azerbaijan crisis", "Cold War in Iran"):
        collection(title)
    assert [title for title, _ in entries(client)] == [
        "Azerbaijan crisis",
        "Cold War in Iran",
        "soviet archives",
    ]


def test_the_page_introduces_the_collections_and_shows_images_and_excerpts(client):
    with_image = collection(
        "Iran crisis of 1946", "1946", description=" ".join(["word"] * 60) + " LASTWORD"
    )
    with_image.image.save("tehran.jpg", ContentFile(image_bytes(size=(320, 220))))
    collection("No picture", "1946", description="A short description.")
    body = client.get("/collections/").content.decode()
    assert "Each collection gathers documents" in body
    assert f'<img src="{with_image.image.url}"' in body
    assert body.count("<img ") == 1
    assert "A short description." in body
    assert "word …" in body and "LASTWORD" not in body


def test_titles_and_descriptions_are_escaped(client):
    collection("<b>Bold</b> title", description="<script>alert(1)</script>")
    body = client.get("/collections/").content.decode()
    assert "<b>Bold</b>" not in body and "&lt;b&gt;Bold&lt;/b&gt; title" in body
    assert "<script>alert(1)" not in body


def test_the_query_count_does_not_grow_with_the_collections(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    collection("First", "1946", "1947")
    client.get("/collections/")  # warms the site's caches (rights, settings)
    with django_assert_num_queries(1) as few:
        client.get("/collections/", {"a": 1})
    for n in range(30):
        collection(f"Collection {n:02d}", "1946", "1950")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(entries(client)) == 31
