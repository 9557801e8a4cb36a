"""Every role against every action, through the admin's own URLs and actions."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from documents.models import Document, Person, Review, Status
from documents.workflows import reviewing
from tests.admin.conftest import ROLES, form_data
from tests.factories import ContributionFactory, DocumentFactory, PersonFactory

ALLOWED = {
    "Curator": {
        "view",
        "add",
        "change",
        "delete",
        "publish",
        "revert",
        "merge",
        "import",
        "export",
        "review",
    },
    # Those who may change but not publish submit drafts for review; Curators publish them.
    "Editor": {"view", "add", "change", "submit for review"},
    "Importer": {"view", "add", "import"},
    "Viewer": {"view"},
}
ACTIONS = [
    "view",
    "add",
    "change",
    "delete",
    "publish",
    "revert",
    "merge",
    "import",
    "export",
    "submit for review",
    "review",
]


def _edited_document(curator_client):
    document = DocumentFactory(title="First title", status=Status.DRAFT)
    url = reverse("admin:documents_document_change", args=[document.pk])
    response = curator_client.get(url)
    curator_client.post(url, form_data(response, title="Second title"))
    document.refresh_from_db()
    assert document.title == "Second title"
    return document


def attempt(action, client, user, curator_client):
    """Try `action` as `user`; return True when it took effect."""
    if action == "view":
        return client.get(reverse("admin:documents_document_changelist")).status_code == 200
    if action == "add":
        response = client.post(
            reverse("admin:documents_document_add"),
            {
                "title": "Added by a role",
                "date_text": "8 May 1946",
                "status": "draft",
                **{
                    f"{p}-TOTAL_FORMS": "0"
                    for p in ("contributions", "texts", "citations", "fundings")
                },
                **{
                    f"{p}-INITIAL_FORMS": "0"
                    for p in ("contributions", "texts", "citations", "fundings")
                },
                "scans-TOTAL_FORMS": "0",
                "scans-INITIAL_FORMS": "0",
            },
        )
        return Document.objects.filter(title="Added by a role").exists()
    if action == "change":
        document = DocumentFactory(title="Before")
        url = reverse("admin:documents_document_change", args=[document.pk])
        response = client.get(url)
        if response.status_code != 200 or "adminform" not in (response.context or {}):
            return False
        if not response.context["adminform"].form.fields:
            return False
        client.post(url, form_data(response, title="After"))
        document.refresh_from_db()
        return document.title == "After"
    if action == "delete":
        document = DocumentFactory()
        client.post(reverse("admin:documents_document_delete", args=[document.pk]), {"post": "yes"})
        return not Document.objects.filter(pk=document.pk).exists()
    if action == "publish":
        document = DocumentFactory(status=Status.DRAFT)
        client.post(
            reverse("admin:documents_document_changelist"),
            {"action": "publish_selected", "_selected_action": [document.pk]},
        )
        document.refresh_from_db()
        return document.status == Status.PUBLISHED
    if action == "revert":
        document = _edited_document(curator_client)
        first = (
            reversion_versions(document)[-1]  # oldest
        )
        client.post(
            reverse("admin:documents_document_revert", args=[document.pk, first.pk]),
        )
        document.refresh_from_db()
        return document.title == "First title"
    if action == "merge":
        keep, duplicate = PersonFactory(name="Qavam"), PersonFactory(name="Ghavam")
        ContributionFactory(person=duplicate)
        client.post(
            reverse("admin:documents_person_merge"),
            {"ids": f"{keep.pk},{duplicate.pk}", "keep": keep.pk, "confirm": "1"},
        )
        return not Person.objects.filter(pk=duplicate.pk).exists()
    if action == "submit for review":
        document = DocumentFactory(status=Status.DRAFT)
        url = reverse("admin:documents_document_change", args=[document.pk])
        response = client.get(url)
        if response.status_code != 200 or "adminform" not in (response.context or {}):
            return False
        client.post(url, {**form_data(response), "_submit_for_review": "Save"})
        return Review.objects.filter(document=document, state=Review.State.SUBMITTED).exists()
    if action == "review":
        document = DocumentFactory(status=Status.DRAFT)
        editor = type(user).objects.create_user("an-editor", is_staff=True)
        editor.groups.add(Group.objects.get(name="Editor"))
        reviewing.submit(document, by=editor)
        url = reverse("admin:documents_document_review", args=[document.pk])
        client.post(url, {"decision": "publish", "comment": ""})
        document.refresh_from_db()
        return document.status == Status.PUBLISHED
    if action in ("import", "export"):
        # The spreadsheet import and export screens are built in issue 5; they check these.
        return user.has_perm(f"documents.{action}_document")
    raise AssertionError(action)


def reversion_versions(document):
    from documents.history import versions_of

    return list(versions_of(document))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_role_can_do_exactly_what_it_is_allowed(
    role, action, client, make_user, django_user_model
):
    from django.test import Client

    user = make_user(role)
    client.force_login(user)
    curator = Client()
    curator.force_login(make_user("Curator", username="other-curator"))
    assert attempt(action, client, user, curator) == (action in ALLOWED[role])


@pytest.mark.django_db
def test_editors_cannot_publish_through_the_form_either(client, make_user):
    client.force_login(make_user("Editor"))
    document = DocumentFactory(status=Status.DRAFT)
    url = reverse("admin:documents_document_change", args=[document.pk])
    response = client.get(url)
    assert "status" not in response.context["adminform"].form.fields
    client.post(url, {**form_data(response, title="Edited"), "status": "published"})
    document.refresh_from_db()
    assert (document.title, document.status) == ("Edited", Status.DRAFT)


@pytest.mark.django_db
def test_the_make_run_curator_account_is_a_curator_not_a_superuser(django_user_model):
    from django.core.management import call_command

    call_command("ensure_curator", stdout=__import__("io").StringIO())
    user = django_user_model.objects.get(username="curator")
    assert not user.is_superuser and user.is_staff
    assert user.groups.filter(name="Curator").exists()
    assert user.has_perm("documents.publish_document")


@pytest.mark.django_db
def test_only_publishers_are_offered_the_publishing_actions(client, make_user):
    client.force_login(make_user("Editor"))
    DocumentFactory()
    response = client.get(reverse("admin:documents_document_changelist"))
    action_form = response.context["action_form"]  # None when no action is offered at all
    offered = [name for name, _ in action_form.fields["action"].choices] if action_form else []
    assert "publish_selected" not in offered and "withdraw_selected" not in offered
    assert "delete_selected" not in offered


@pytest.mark.django_db
def test_editors_may_remove_a_wrongly_linked_person_while_editing(client, make_user):
    client.force_login(make_user("Editor"))
    contribution = ContributionFactory()
    url = reverse("admin:documents_document_change", args=[contribution.document.pk])
    response = client.get(url)
    client.post(url, form_data(response, **{"contributions-0-DELETE": "on"}))
    assert not contribution.document.contributions.exists()
    assert Person.objects.filter(pk=contribution.person_id).exists()
