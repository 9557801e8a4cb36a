"""The admin sign-in refuses a username after five wrong passwords, for a cool-off period."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings

PASSWORD = "a-long-test-password"


@pytest.fixture
def curator_account(make_user):
    return make_user("Curator", username="mila")


def sign_in(client, password, *, username="mila", address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_five_wrong_passwords_lock_the_username_and_the_page_says_when_to_try_again(
    client, curator_account
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200  # the form again, with its error
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429

    response = sign_in(client, PASSWORD)

    assert not signed_in(response)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in is locked for this username from your address after 5 wrong passwords" in page
    assert "Try again after" in page and "in 15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_the_right_password_works_again_once_the_cool_off_has_passed(client, curator_account):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 429

    # Fifteen minutes pass since the last attempt.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=15, seconds=1)
    )

    assert signed_in(sign_in(client, PASSWORD))


def test_a_successful_sign_in_clears_the_count_of_wrong_passwords(client, curator_account):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert signed_in(sign_in(client, PASSWORD))
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200

    assert signed_in(sign_in(client, PASSWORD))


def test_the_lock_holds_one_username_from_one_address_only(client, curator_account, make_user):
    make_user("Editor", username="ana")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")

    assert signed_in(sign_in(client, PASSWORD, address="198.51.100.4"))
    client.logout()
    assert signed_in(sign_in(client, PASSWORD, username="ana"))
