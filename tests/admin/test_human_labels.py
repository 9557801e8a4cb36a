"""The admin speaks to curators in words: no model labels ("documents.DocumentType"), field names
("sort_name", "Sort_name"), class names ("DocumentType #3") or raw JSON in what a page shows.

A Curator walks every page the admin links to from its index (lists, their filters, add and
change forms, histories and their versions, reports), and the pages reached by a form: the
import's preview and its record, the merge preview, a deleted record's restore page.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive_collections.models import Collection
from documents.models import Contribution, ImportJob, Person, Place, Subject
from tests.admin.conftest import form_data, image_bytes
from tests.admin.test_scans import upload
from tests.factories import (
    CitationFactory,
    CollectionFactory,
    ContributionFactory,
    DocumentFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

# Text a curator reads; not scripts, styles, or what is shown as code to be typed (a
# spreadsheet's column headings, a command).
SKIPPED = {"script", "style", "template", "code", "kbd", "samp", "textarea"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

MODEL_LABEL = re.compile(r"\b(?:documents|collections|auth|reversion|admin)\.[A-Za-z]+")
SNAKE_CASE = re.compile(r"\b[A-Za-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
JSON_OR_REPR = re.compile(r"[\[{]\s*[\"']|[\"']\s*[\]}]|\[\s*\[|\]\s*\]")
DEFAULT_STR = re.compile(r"\b[A-Z][A-Za-z]+ object \(\d+\)")
CLASS_NAMES = {
    model.__name__ for model in apps.get_models() if re.search(r"[a-z][A-Z]", model.__name__)
}


class VisibleText(HTMLParser):
    """The text of a page as shown: without the skipped elements and hidden ones."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        hidden = (
            tag in SKIPPED
            or "hidden" in attrs
            or "hidden" in (attrs.get("class") or "").split()
            or "empty-form" in (attrs.get("class") or "").split()
        )
        self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not any(hidden for _tag, hidden in self.stack):
            self.parts.append(data)

    def text(self):
        return " ".join(" ".join(self.parts).split())


def visible_text(content):
    parser = VisibleText()
    parser.feed(content)
    return parser.text()


def raw_names(text):
    """What in `text` is a name for programs rather than for people."""
    found = set(MODEL_LABEL.findall(text)) | set(SNAKE_CASE.findall(text))
    found |= set(JSON_OR_REPR.findall(text)) | set(DEFAULT_STR.findall(text))
    found |= {name for name in CLASS_NAMES if re.search(rf"\b{name}\b", text)}
    return found


@pytest.fixture
def archive(curator_client):
    """Records of every kind, a history of edits, an import, a merge and a deletion."""
    document = DocumentFactory(title="Telegram from Bagirov on the Tabriz oil concession")
    ContributionFactory(document=document, person=PersonFactory(name="M. D. Bagirov"))
    ContributionFactory(
        document=document, person=PersonFactory(name="I. V. Stalin"), role="recipient"
    )
    CitationFactory(document=document)
    document.subjects.add(Subject.objects.create(name="Oil"))
    document.places.add(Place.objects.create(name="Tabriz"))
    collection = CollectionFactory(title="Iran Crisis, 1946")
    collection.documents.add(document)
    upload(curator_client, document, "page.jpg", image_bytes(size=(300, 200)))
    change_url = reverse("admin:documents_document_change", args=[document.pk])
    edited = curator_client.post(
        change_url,
        form_data(curator_client.get(change_url), summary="Bagirov reports on the concession."),
    )
    assert edited.status_code == 302
    person = Person.objects.get(name="M. D. Bagirov")
    person_url = reverse("admin:documents_person_change", args=[person.pk])
    edited = curator_client.post(
        person_url, form_data(curator_client.get(person_url), sort_name="Bagirov, Mir Jafar")
    )
    assert edited.status_code == 302
    collection_url = reverse("admin:collections_collection_change", args=[collection.pk])
    edited = curator_client.post(
        collection_url,
        form_data(curator_client.get(collection_url), description="Documents of the crisis."),
    )
    assert edited.status_code == 302
    return document


def import_new_rows(client, record_id):
    """Import, through the admin, an update of `record_id` and a row naming new entries."""
    rows = (
        "record_id,title,date,type,subjects,places,authors,status\n"
        f'{record_id},"Telegram from Bagirov on the Tabriz oil concession","May 9, 1946",,,,,\n'
        ',"Cable on the concession","May 10, 1946",Cable,Concessions,Ardabil,"Ahmad Qavam",draft\n'
    )
    url = reverse("admin:documents_document_import")
    upload_file = SimpleUploadedFile("changes.csv", rows.encode())
    preview = client.post(
        url, {"import_file": upload_file, "date_order": "mdy", "create_missing": "on"}
    )
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() or "" for name in confirm.fields}
    data = {name: value for name, value in data.items() if value is not False}
    done = client.post(reverse("admin:documents_document_process_import"), data)
    assert done.status_code == 302, done.content.decode()[:2000]
    return preview


def walk(client, start, limit=400):
    """Every admin page reachable from `start` by links, one of each kind of address."""
    seen, kinds, queue, pages = set(), set(), [start], {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        content = response.content.decode()
        pages[url] = content
        for href in re.findall(r'href="([^"]+)"', content):
            href = html.unescape(href)
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/admin/"):
                continue
            if re.search(r"/(logout|delete|export)/|/r/\d+|\.(csv|xlsx|ods|json)$", parts.path):
                continue
            # One of each: a change form, a version, a filter of a list stand for the others.
            kind = (
                re.sub(r"\d+", "N", parts.path)
                + "?"
                + ",".join(sorted(p.split("=")[0] for p in parts.query.split("&") if p))
            )
            if kind in kinds:
                continue
            kinds.add(kind)
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


def test_no_admin_page_shows_internal_names_or_raw_json(curator_client, archive):
    preview = import_new_rows(curator_client, archive.record_id)
    assert ImportJob.objects.get().new_terms, "The import created no vocabulary entries."
    # Two people to merge, previewed; a person and a document deleted.
    keep = PersonFactory(name="Ja'far Pishevari", birth_year=1893)
    other = PersonFactory(name="Jafar Pishevari", death_year=1947, note="Leader of the ADP.")
    merge = curator_client.post(
        reverse("admin:documents_person_merge"),
        {"ids": f"{keep.pk},{other.pk}", "keep": keep.pk, "take_note": other.pk, "preview": "1"},
    )
    merged = curator_client.post(
        reverse("admin:documents_person_merge"),
        {"ids": f"{keep.pk},{other.pk}", "keep": keep.pk, "confirm": "1"},
    )
    assert merged.status_code == 302
    kept_history = curator_client.get(reverse("admin:documents_person_history", args=[keep.pk]))
    undo = curator_client.get(
        reverse("admin:documents_person_undo_merge", args=[keep.merges.get().pk])
    )
    gone = DocumentFactory(title="A telegram entered twice")
    curator_client.post(reverse("admin:documents_document_delete", args=[gone.pk]), {"post": "yes"})
    deleted = curator_client.get(reverse("admin:documents_document_deleted"))
    restore = curator_client.get(deleted.context["rows"][0]["restore_url"])

    waiting = ImportJob.objects.create(
        file_name="large.csv", file_format="csv", outcome=ImportJob.Outcome.QUEUED, total_rows=900
    )
    pages = walk(curator_client, reverse("admin:index"))
    queued = curator_client.get(reverse("admin:documents_importjob_change", args=[waiting.pk]))
    job = ImportJob.objects.exclude(pk=waiting.pk).get()
    done = curator_client.get(reverse("admin:documents_importjob_change", args=[job.pk]))
    pages |= {
        "the import preview": preview.content.decode(),
        "the merge preview": merge.content.decode(),
        "the restore page": restore.content.decode(),
        "the history of a merged person": kept_history.content.decode(),
        "undoing the merge": undo.content.decode(),
        "a queued import": queued.content.decode(),
        "an import done": done.content.decode(),
    }
    walked = {re.sub(r"\d+", "N", url) for url in pages}
    for expected in [
        "/admin/documents/document/",
        "/admin/documents/document/N/change/",
        "/admin/documents/document/N/history/",
        "/admin/documents/document/N/history/N/",
        "/admin/documents/person/N/history/N/",
        "/admin/documents/importjob/N/change/",
        "/admin/documents/document/import/",
        "/admin/documents/document/deleted/",
        "/admin/collections/collection/N/change/",
    ]:
        assert expected in walked, f"The walk never reached {expected}"
    problems = {url: raw_names(visible_text(content)) for url, content in pages.items()}
    assert {url: found for url, found in problems.items() if found} == {}
    # And what they show instead.
    assert "as soon as <code>manage.py db_worker</code> is free" in queued.content.decode()
    job_page = visible_text(pages["an import done"])
    assert "Cable (document type)" in job_page and "Ardabil (place)" in job_page
    assert "Sort name" in visible_text(pages["the merge preview"])
    assert undo.status_code == kept_history.status_code == 200
    assert Contribution.objects.exists() and Collection.objects.exists()


def test_the_check_finds_what_it_is_meant_to_find():
    shown = visible_text(
        "<p>Sort_name: Bagirov</p><p>Cable (documents.DocumentType)</p>"
        '<p>{"answers": {}}</p><p>DocumentType #3</p><code>record_id</code>'
        "<script>var a_b = 1;</script>"
    )
    assert raw_names(shown) == {
        "Sort_name",
        "documents.DocumentType",
        '{"',
        "DocumentType",
    }
