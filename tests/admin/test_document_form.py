"""Editing a document: dates read as typed, conflicts refused, history kept, revert."""

import pytest
from django.test import Client
from django.urls import reverse

from documents.history import versions_of
from documents.models import Contribution, Document, Status
from tests.admin.conftest import form_data
from tests.factories import ContributionFactory, DocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def change_url(document):
    return reverse("admin:documents_document_change", args=[document.pk])


def history_url(document):
    return reverse("admin:documents_document_history", args=[document.pk])


@pytest.mark.parametrize(
    ("typed", "edtf", "start", "end"),
    [
        ("8 May 1946", "1946-05-08", "1946-05-08", "1946-05-08"),
        ("November 1945", "1945-11", "1945-11-01", "1945-11-30"),
        ("circa March 1953", "1953-03~", "1953-03-01", "1953-03-31"),
        ("1945/1946", "1945/1946", "1945-01-01", "1946-12-31"),
        ("undated", "", None, None),
    ],
)
def test_dates_are_read_as_curators_type_them(curator_client, typed, edtf, start, end):
    document = DocumentFactory(date_text="May 8, 1946")
    response = curator_client.get(change_url(document))
    curator_client.post(change_url(document), form_data(response, date_text=typed))
    document.refresh_from_db()
    assert document.date_edtf == edtf
    assert str(document.date_start) == str(start) and str(document.date_end) == str(end)
    page = curator_client.get(change_url(document)).content.decode()
    assert "how the date was understood" in page.lower()
    if edtf:
        assert f"EDTF {edtf}" in page


def test_an_unreadable_date_is_refused_with_the_reason_on_the_field(curator_client):
    document = DocumentFactory(date_text="May 8, 1946")
    response = curator_client.get(change_url(document))
    response = curator_client.post(
        change_url(document), form_data(response, date_text="31 February 1946")
    )
    errors = response.context["adminform"].form.errors["date_text"]
    assert "February 1946 has only 28 days" in errors[0]
    document.refresh_from_db()
    assert document.date_text == "May 8, 1946"


def test_the_form_reads_a_date_while_the_curator_types(curator_client):
    url = reverse("admin:documents_document_read_date")
    good = curator_client.get(url, {"text": "circa March 1953"}).json()
    assert good["ok"] and good["edtf"] == "1953-03~"
    assert "1 March 1953" in good["description"] and "31 March 1953" in good["description"]
    bad = curator_client.get(url, {"text": "sometime"}).json()
    assert not bad["ok"] and "is not a date this archive can read" in bad["error"]


def test_the_second_of_two_concurrent_saves_is_refused_and_points_to_the_change(make_user):
    document = DocumentFactory(title="Telegram from Baku", summary="Original summary.")
    first, second = Client(), Client()
    first.force_login(make_user("Curator", "alice"))
    second.force_login(make_user("Curator", "bob"))
    alice_form = first.get(change_url(document))
    bob_form = second.get(change_url(document))

    first.post(change_url(document), form_data(alice_form, summary="Alice's summary."))
    response = second.post(change_url(document), form_data(bob_form, title="Bob's title"))

    document.refresh_from_db()
    assert (document.title, document.summary) == ("Telegram from Baku", "Alice's summary.")
    page = response.content.decode()
    assert "was changed by alice" in page
    assert "nothing was overwritten" in page
    assert f'href="{history_url(document)}"' in page
    # Bob's typing is still in the form for him to copy.
    assert "Bob&#x27;s title" in page or "Bob's title" in page


def test_a_form_saved_after_reloading_goes_through(curator_client):
    document = DocumentFactory()
    response = curator_client.get(change_url(document))
    curator_client.post(change_url(document), form_data(response, title="One"))
    response = curator_client.get(change_url(document))
    curator_client.post(change_url(document), form_data(response, title="Two"))
    document.refresh_from_db()
    assert document.title == "Two"


def test_each_save_is_one_revision_with_its_people_the_user_and_a_comment(curator_client):
    document = DocumentFactory(title="Letter")
    pishevari = PersonFactory(name="Ja'far Pishevari")
    response = curator_client.get(change_url(document))
    data = form_data(
        response,
        **{
            "contributions-TOTAL_FORMS": "1",
            "contributions-0-person": str(pishevari.pk),
            "contributions-0-role": "recipient",
            "contributions-0-order": "0",
        },
    )
    curator_client.post(change_url(document), data)
    versions = list(versions_of(document))
    latest = versions[0]
    assert latest.revision.user.username == "curator"
    assert "people and their roles" in latest.revision.get_comment().lower() or (
        "person" in latest.revision.get_comment().lower()
    )
    kinds = {v.content_type.model for v in latest.revision.version_set.all()}
    assert {"document", "contribution"} <= kinds

    page = curator_client.get(history_url(document)).content.decode()
    assert "curator" in page
    version_page = curator_client.get(
        reverse("admin:documents_document_version", args=[document.pk, latest.pk])
    ).content.decode()
    assert "Person linked added" in version_page or "person linked added" in version_page.lower()
    assert "Ja&#x27;far Pishevari (Recipient)" in version_page


def test_the_diff_shows_each_changed_field_before_and_after(curator_client):
    document = DocumentFactory(title="Old title", date_text="May 8, 1946")
    response = curator_client.get(change_url(document))
    curator_client.post(change_url(document), form_data(response, title="New title"))
    latest = versions_of(document).first()
    page = curator_client.get(
        reverse("admin:documents_document_version", args=[document.pk, latest.pk])
    ).content.decode()
    assert "Old title" in page and "New title" in page
    assert "Summary" not in page.split("What changed in this version")[1].split("</table>")[0]


def test_reverting_restores_the_fields_and_the_people_of_an_earlier_version(curator_client):
    document = DocumentFactory(title="Letter", date_text="May 8, 1946")
    ContributionFactory(document=document, person=PersonFactory(name="I. V. Stalin"))
    response = curator_client.get(change_url(document))
    curator_client.post(change_url(document), form_data(response, date_text="May 9, 1946"))
    response = curator_client.get(change_url(document))
    data = form_data(response, date_text="June 1946", **{"contributions-0-DELETE": "on"})
    curator_client.post(change_url(document), data)
    document.refresh_from_db()
    assert document.date_edtf == "1946-06" and not document.contributions.exists()

    original = list(versions_of(document))[-1]
    response = curator_client.post(
        reverse("admin:documents_document_revert", args=[document.pk, original.pk])
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.date_text, document.date_edtf) == ("May 8, 1946", "1946-05-08")
    assert [c.person.name for c in document.contributions.all()] == ["I. V. Stalin"]
    assert "Reverted to the version of" in versions_of(document).first().revision.comment


def test_a_version_linking_to_a_deleted_person_is_not_restored_silently(curator_client):
    document = DocumentFactory()
    contribution = ContributionFactory(document=document)
    response = curator_client.get(change_url(document))
    curator_client.post(change_url(document), form_data(response, title="x"))
    version = versions_of(document).first()
    person = contribution.person
    Contribution.objects.filter(pk=contribution.pk).delete()
    person.delete()
    response = curator_client.post(
        reverse("admin:documents_document_revert", args=[document.pk, version.pk]), follow=True
    )
    assert "cannot be restored" in response.content.decode()
    assert "no longer exists" in response.content.decode()


def test_view_on_site_shows_staff_the_draft_and_visitors_nothing(curator_client, client):
    document = DocumentFactory(title="A draft telegram", status=Status.DRAFT)
    page = curator_client.get(change_url(document)).content.decode()
    assert "View on site" in page
    on_site = curator_client.get(document.get_absolute_url())
    assert on_site.status_code == 200 and "A draft telegram" in on_site.content.decode()
    assert "Preview" in on_site.content.decode()
    client.logout()
    assert Client().get(document.get_absolute_url()).status_code in (404, 410)


def test_publish_unpublish_and_withdraw_many_at_once(curator_client):
    documents = [DocumentFactory(status=Status.DRAFT) for _ in range(3)]
    ids = [d.pk for d in documents]
    url = reverse("admin:documents_document_changelist")
    curator_client.post(url, {"action": "publish_selected", "_selected_action": ids})
    stamps = {d.pk: d.first_published_at for d in Document.objects.filter(pk__in=ids)}
    assert all(stamps.values())
    curator_client.post(url, {"action": "withdraw_selected", "_selected_action": ids})
    assert set(Document.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "withdrawn"
    }
    curator_client.post(url, {"action": "unpublish_selected", "_selected_action": ids[:1]})
    curator_client.post(url, {"action": "publish_selected", "_selected_action": ids})
    for document in Document.objects.filter(pk__in=ids):
        assert document.status == Status.PUBLISHED
        assert document.first_published_at == stamps[document.pk]
    assert versions_of(documents[0]).first().revision.comment == "Published."


def test_saving_a_seeded_document_unchanged_records_no_change(curator_client):
    document = DocumentFactory(text="To Cde. Stalin\n\nI report.", summary="One.\nTwo.")
    response = curator_client.get(change_url(document))
    data = form_data(response)
    data["text"] = data["text"].replace("\n", "\r\n")  # as browsers send textareas
    curator_client.post(change_url(document), data)
    document.refresh_from_db()
    assert document.text == "To Cde. Stalin\n\nI report."
    latest, baseline = list(versions_of(document))[:2]
    assert baseline.revision.comment == "As it was before its first change in the admin."
    assert latest.revision.get_comment() == "No fields changed."


def test_collections_are_chosen_on_the_document_form_by_autocomplete(curator_client):
    from archive_collections.models import Collection

    iran = Collection.objects.create(title="Iran-Soviet Relations")
    Collection.objects.create(title="Korean War")
    document = DocumentFactory()
    response = curator_client.get(change_url(document))
    assert 'data-model-name="collection"' in response.content.decode()
    found = curator_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Iran",
            "app_label": "collections",
            "model_name": "collection",
            "field_name": "related",
        },
    ).json()["results"]
    assert [r["text"] for r in found] == ["Iran-Soviet Relations"]
    curator_client.post(change_url(document), form_data(response, in_collections=[str(iran.pk)]))
    assert list(document.collections.all()) == [iran]
    assert versions_of(iran).exists()


def test_a_seeded_document_published_from_the_list_can_be_reverted_to_its_draft(
    curator_client,
):
    document = DocumentFactory(status=Status.DRAFT)
    curator_client.post(
        reverse("admin:documents_document_changelist"),
        {"action": "publish_selected", "_selected_action": [document.pk]},
    )
    published, baseline = list(versions_of(document))
    assert published.revision.comment == "Published."
    curator_client.post(reverse("admin:documents_document_revert", args=[document.pk, baseline.pk]))
    document.refresh_from_db()
    assert document.status == Status.DRAFT
