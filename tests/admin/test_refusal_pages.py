"""Refusals explain themselves: who is signed in, that nothing changed, and where to go next."""

import pytest
from django.test import Client
from django.urls import reverse

from documents.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_refused_admin_action_says_who_is_signed_in_and_that_nothing_changed(client, make_user):
    editor = make_user("Editor")
    client.force_login(editor)
    person = PersonFactory()
    response = client.post(
        reverse("admin:documents_person_delete", args=[person.pk]), {"post": "yes"}
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "You are not allowed to do this" in body
    assert editor.get_username() in body
    assert "Nothing was changed" in body
    assert 'href="/admin/"' in body
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_form_refused_by_the_csrf_check_explains_that_nothing_was_saved(make_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user("Curator"))
    response = browser.post(reverse("admin:documents_person_add"), {"name": "Ahmad Qavam"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "The form could not be sent" in body
    assert "nothing was saved" in body
    assert not Person.objects.filter(name="Ahmad Qavam").exists()
