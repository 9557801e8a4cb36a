"""A rights statement's URI becomes a link only when it is a web address (http or https)."""

import pytest
from django.core.exceptions import ValidationError

from documents.models import RightsStatement

pytestmark = pytest.mark.django_db

MESSAGE = "Enter a web address that starts with http:// or https://"
NOT_WEB_ADDRESSES = [
    "javascript:alert(document.cookie)",
    "JavaScript://example.org/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://files.example.org/rights.txt",
]


def statement(uri):
    return RightsStatement(title="Reuse", text="Reuse is welcome.", uri=uri)


@pytest.mark.parametrize("uri", NOT_WEB_ADDRESSES)
def test_a_rights_uri_that_is_not_http_or_https_is_refused_with_a_sentence(uri):
    with pytest.raises(ValidationError) as refused:
        statement(uri).full_clean()
    assert refused.value.message_dict == {
        "uri": [
            f"{MESSAGE}, e.g. http://rightsstatements.org/vocab/InC-EDU/1.0/.",
        ]
    }


def test_a_curator_sees_the_refusal_on_the_rights_statement_form(client, curator):
    client.force_login(curator)
    response = client.post(
        "/admin/documents/rightsstatement/add/",
        {"title": "Reuse", "text": "Reuse is welcome.", "uri": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not RightsStatement.objects.exists()


def test_an_https_rights_uri_is_accepted_and_linked(client, archive):
    rights = RightsStatement.objects.get()
    rights.uri = "https://rightsstatements.org/vocab/InC-EDU/1.0/"
    rights.full_clean()
    rights.save()
    body = client.get(archive.stalin_letter.get_absolute_url()).content.decode()
    assert 'href="https://rightsstatements.org/vocab/InC-EDU/1.0/" rel="license"' in body
    assert '"license": "https://rightsstatements.org/vocab/InC-EDU/1.0/"' in body


@pytest.mark.parametrize("uri", [*NOT_WEB_ADDRESSES, " javascript:alert(1)", "java\tscript:x"])
def test_a_bad_rights_uri_already_stored_is_shown_as_no_link(client, archive, uri):
    RightsStatement.objects.update(uri=uri)  # written before the check, or by code that skipped it

    body = client.get(archive.stalin_letter.get_absolute_url()).content.decode()

    assert "Rights statement:" not in body
    assert "alert(" not in body
    assert "files.example.org" not in body
