"""The curators' dashboard on the admin's home: each count is what its list shows, each role sees
only what it may, and the page reads as many queries with a large archive as with a small one."""

import re

import pytest
import reversion
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import history
from documents.admin.dashboard import SECTIONS, sections_for
from documents.models import BatchEdit, ImportJob, PersonName, Scan, Status
from documents.tasks import progress
from documents.workflows import reviewing
from tests.factories import CitationFactory, DocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db

HOME = "admin:index"


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def saved_by(user, document, **changes):
    """Save `document` as an admin save does: one revision signed by `user`."""
    for name, value in changes.items():
        setattr(document, name, value)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Changed Title.")
        document.save()
    return document


def failed_scan(document):
    return Scan.objects.create(
        document=document,
        file="scans/broken.tif",
        media_type=Scan.MediaType.TIFF,
        sha256="0" * 64,
        processing=Scan.Processing.FAILED,
        processing_error="reading it needs more than 1,536 MB of memory.",
    )


def archive(curator, other, *, size=1):
    """Records for every section, `size` of each kind (a few sections' extra records)."""
    for _ in range(size):
        cited = DocumentFactory()
        CitationFactory(document=cited)
        DocumentFactory(summary="")  # published, no summary, no citation
        undated = DocumentFactory(date_text="undated")
        CitationFactory(document=undated)
        DocumentFactory(status=Status.DRAFT, summary="", date_text="undated")  # counted nowhere
        failed_scan(DocumentFactory(status=Status.DRAFT))
        saved_by(curator, DocumentFactory(status=Status.DRAFT))
        mine_then_theirs = saved_by(curator, DocumentFactory(status=Status.DRAFT))
        saved_by(other, mine_then_theirs, title="Corrected by someone else")
        saved_by(curator, DocumentFactory(status=Status.PUBLISHED))  # mine, but published
        reviewing.submit(DocumentFactory(status=Status.DRAFT), by=other)
        ImportJob.objects.create(user=other, file_name="cables.csv", outcome="running")
        ImportJob.objects.create(user=other, file_name="letters.csv", outcome="imported")
        PersonFactory(name="Mir Jafar Bagirov")
        PersonFactory(name="Mir Jafar Bagirov")


@pytest.fixture
def users(make_user):
    return make_user("Curator", "mila"), make_user("Editor", "omid")


def section(response, title):
    """A section as the dashboard shows it."""
    return next(
        s for _g, group in response.context["dashboard"] for s in group if s.section.title == title
    )


def listed_count(response):
    """How many records the page a section links to lists."""
    if "cl" in response.context:
        return response.context["cl"].result_count
    return response.context["count"]  # the report of possible duplicates


def test_each_count_on_the_dashboard_is_what_its_list_shows(client, users):
    curator, other = users
    archive(curator, other)
    client.force_login(curator)
    response = client.get(reverse(HOME))
    assert response.status_code == 200
    shown = {s.section.title: s for _group, group in response.context["dashboard"] for s in group}
    counts = {title: s.count for title, s in shown.items() if s.count is not None}
    assert counts == {
        "My drafts": 1,
        "Review queue": 1,
        "Imports": 1,
        "Batch edits": 0,
        "Published, without a summary": 1,
        "Published, without a citation": 2,  # the one without a summary, and the first saved
        "Published, without a date": 1,
        "With a scan that could not be processed": 1,
        "Possible duplicate people": 1,
    }
    for title, section in shown.items():
        if section.count is None:
            continue
        listed = client.get(section.link)
        assert listed.status_code == 200, title
        assert listed_count(listed) == section.count, title
        assert f"{section.count_text} {section.unit}" in text(response), title


def test_my_drafts_are_drafts_whose_latest_version_i_saved(client, users):
    curator, other = users
    mine = saved_by(curator, DocumentFactory(status=Status.DRAFT, title="My telegram draft"))
    taken_over = saved_by(curator, DocumentFactory(status=Status.DRAFT, title="Taken over"))
    saved_by(other, taken_over)
    saved_by(curator, DocumentFactory(status=Status.PUBLISHED, title="Published already"))
    DocumentFactory(status=Status.DRAFT, title="Imported draft, no history")
    client.force_login(curator)
    response = client.get(reverse(HOME))
    assert "1 draft " in text(response)
    assert [row.text for row in section(response, "My drafts").rows] == ["My telegram draft"]
    # The list's "last saved by: me" is the same rule, for every status.
    listed = client.get(reverse("admin:documents_document_changelist"), {"saved_by": "me"})
    titles = {d.title for d in listed.context["cl"].result_list}
    assert titles == {"My telegram draft", "Published already"}
    assert mine.pk in {d.pk for d in listed.context["cl"].result_list}


def test_recent_changes_by_others_open_the_records_history_and_leave_mine_out(client, users):
    curator, other = users
    theirs = saved_by(other, DocumentFactory(title="Telegram Bagirov corrected"))
    saved_by(curator, DocumentFactory(title="Telegram I corrected myself"))
    client.force_login(curator)
    response = client.get(reverse(HOME))
    page = text(response)
    changes = section(response, "Recent changes by others").rows
    assert [row.text for row in changes] == ["Telegram Bagirov corrected"]
    history = reverse("admin:documents_document_history", args=[theirs.pk])
    assert f'href="{history}"' in response.content.decode()
    assert "by omid: Changed Title." in page


def test_a_deletion_by_someone_else_opens_the_deleted_records(client, users):
    curator, other = users
    document = DocumentFactory(title="Telegram deleted by mistake")
    history.record_deletion([document], by=other, comment="Deleted in the admin.")
    document.delete()
    client.force_login(curator)
    response = client.get(reverse(HOME))
    [row] = section(response, "Recent changes by others").rows
    assert row.text == "Telegram deleted by mistake"
    assert row.url == reverse("admin:documents_document_deleted")
    assert row.detail == "Document, by omid: Deleted in the admin."


def test_a_change_to_a_document_with_its_citations_is_one_line_naming_the_document(client, users):
    curator, other = users
    document = DocumentFactory(title="Cable with two citations")
    CitationFactory(document=document)
    CitationFactory(document=document, reference="f. 1, op. 89, d. 112")
    with reversion.create_revision():
        reversion.set_user(other)
        reversion.add_to_revision(document)
        for citation in document.citations.all():
            reversion.add_to_revision(citation)
    client.force_login(curator)
    response = client.get(reverse(HOME))
    changes = section(response, "Recent changes by others").rows
    assert [row.text for row in changes] == ["Cable with two citations"]
    assert changes[0].detail.startswith("Document, by omid")


def test_a_draft_submitted_for_review_is_in_the_curators_queue_and_opens_its_review(client, users):
    curator, editor = users
    waiting = DocumentFactory(status=Status.DRAFT, title="Cable from Tabriz, checked")
    reviewing.submit(waiting, by=editor, note="Names checked against the scan.")
    DocumentFactory(status=Status.DRAFT, title="Draft nobody submitted")
    client.force_login(curator)
    queue = section(client.get(reverse(HOME)), "Review queue")
    assert queue.count == 1
    assert [(row.text, row.url) for row in queue.rows] == [
        (waiting.title, reverse("admin:documents_document_review", args=[waiting.pk]))
    ]
    assert client.get(queue.rows[0].url).status_code == 200
    # Who cannot publish has no queue to work through.
    client.force_login(editor)
    titles = {
        s.section.title
        for _g, group in client.get(reverse(HOME)).context["dashboard"]
        for s in group
    }
    assert "Review queue" not in titles


def test_a_running_import_shows_how_far_it_has_got(client, users):
    curator, other = users
    job = ImportJob.objects.create(
        user=other, file_name="cables.xlsx", outcome="running", total_rows=1000
    )
    reporter = progress.Reporter(job.pk, 1000)
    reporter(120)
    client.force_login(curator)
    page = text(client.get(reverse(HOME)))
    assert f"Import #{job.pk}: cables.xlsx" in page
    assert "Importing: 120 of 1,000 rows (12%)" in page
    assert "1 import waiting or running" in page
    progress.forget(job.pk)


def test_a_running_batch_edit_is_counted_and_the_latest_open_their_pages(client, users):
    curator, other = users
    running = BatchEdit.objects.create(
        user=other, description="add subject Oil", state="running", total=500
    )
    BatchEdit.objects.create(
        user=curator, description="remove place Tabriz", state="done", total=3, changed=3
    )
    client.force_login(curator)
    response = client.get(reverse(HOME))
    page = text(response)
    assert "1 batch edit running" in page
    assert f"Batch edit #{running.pk}: add subject Oil" in page
    assert "Done: 3 of 3 documents changed." in page
    (section,) = [
        s
        for _g, group in response.context["dashboard"]
        for s in group
        if s.section.title == "Batch edits"
    ]
    listed = client.get(section.link).context["cl"].result_count
    assert listed == section.count == 1
    assert reverse("admin:documents_batchedit_change", args=[running.pk]) in response.text


@pytest.mark.parametrize(
    "role, sections",
    [
        (
            "Curator",
            {
                "My drafts",
                "Review queue",
                "Recent changes by others",
                "Imports",
                "Batch edits",
                "Published, without a summary",
                "Published, without a citation",
                "Published, without a date",
                "With a scan that could not be processed",
                "Possible duplicate people",
            },
        ),
        (
            "Editor",
            {
                "My drafts",
                "Recent changes by others",
                "Batch edits",
                "Published, without a summary",
                "Published, without a citation",
                "Published, without a date",
                "With a scan that could not be processed",
            },
        ),
        (
            "Importer",
            {
                "Recent changes by others",
                "Imports",
                "Published, without a summary",
                "Published, without a citation",
                "Published, without a date",
                "With a scan that could not be processed",
            },
        ),
        (
            "Viewer",
            {
                "Recent changes by others",
                "Published, without a summary",
                "Published, without a citation",
                "Published, without a date",
                "With a scan that could not be processed",
            },
        ),
    ],
)
def test_each_role_sees_only_the_sections_it_may_open(client, make_user, role, sections):
    client.force_login(make_user(role))
    response = client.get(reverse(HOME))
    shown = {s.section.title for _g, group in response.context["dashboard"] for s in group}
    assert shown == sections
    # Every link it shows opens.
    for _g, group in response.context["dashboard"]:
        for section in group:
            if section.link:
                assert client.get(section.link).status_code == 200, section.section.title


def test_drafts_and_withdrawn_documents_are_not_counted_as_published_ones_lacking(client, users):
    curator, _other = users
    DocumentFactory(status=Status.DRAFT, summary="", date_text="undated")
    DocumentFactory(status=Status.WITHDRAWN, summary="", date_text="undated")
    client.force_login(curator)
    response = client.get(reverse(HOME))
    counts = {
        s.section.title: s.count for _g, group in response.context["dashboard"] for s in group
    }
    assert counts["Published, without a summary"] == 0
    assert counts["Published, without a citation"] == 0
    assert counts["Published, without a date"] == 0
    assert "None: well done." in text(response)


def test_the_list_of_apps_stays_below_the_dashboard(curator_client):
    page = text(curator_client.get(reverse(HOME)))
    assert page.index("Data quality") < page.index("Everything in the archive")
    assert page.index("Everything in the archive") < page.index("Documents and people")
    assert "Reports" in page


def test_the_dashboard_reads_no_more_queries_for_a_larger_archive(
    client, users, django_assert_max_num_queries
):
    curator, other = users
    archive(curator, other, size=1)
    client.force_login(curator)
    client.get(reverse(HOME))  # content types and the like, read once a process
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(HOME))
    archive(curator, other, size=12)
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse(HOME))
    counts = {
        s.section.title: s.count for _g, group in response.context["dashboard"] for s in group
    }
    assert counts["My drafts"] == 13 and counts["Imports"] == 13
    assert counts["Review queue"] == 13


def test_every_declared_section_has_a_count_with_a_link_or_rows(rf, users):
    for section in SECTIONS:
        assert (section.count is None) == (section.link is None), section.title
        assert section.count or section.rows, section.title
    request = rf.get("/admin/")
    request.user = users[0]
    assert [group for group, _sections in sections_for(request)] == [
        "Your work",
        "Activity",
        "Data quality",
    ]


def test_the_duplicates_report_can_show_only_pairs_sharing_a_name_or_its_sound(curator_client):
    PersonFactory(name="Ahmad Qavam")
    PersonFactory(name="Ahmad Ghavam")
    stalin = PersonFactory(name="Joseph Stalin")
    PersonName.objects.create(person=stalin, name="Filippov")
    PersonFactory(name="Stalin")
    report = reverse("admin:documents_person_duplicates")
    every = curator_client.get(report)
    by_keys = curator_client.get(report, {"by": "keys"})
    assert every.context["count"] == 2
    assert by_keys.context["count"] == 1
    assert "Ahmad Ghavam" in text(by_keys) and "Joseph Stalin" not in text(by_keys)
    assert "Show every possible pair" in text(by_keys)
