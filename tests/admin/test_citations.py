"""A document's citations in the admin: kept as typed, shown as the page shows them, no credits."""

import html
import re

import pytest
from django.urls import reverse

from tests.admin.conftest import form_data
from tests.factories import CitationFactory, RepositoryFactory

pytestmark = pytest.mark.django_db


def change_url(document):
    return reverse("admin:documents_document_change", args=[document.pk])


@pytest.mark.parametrize(
    ("reference", "shown"),
    [
        ("REPO AzR, f. 1, op. 89, d. 90", "REPO AzR, f. 1, op. 89, d. 90"),
        ("f. 1, op. 89", "REPO, f. 1, op. 89"),
        ("", "REPO"),
    ],
)
def test_the_citation_inline_shows_each_citation_as_the_public_page_prints_it(
    curator_client, reference, shown
):
    repository = RepositoryFactory(abbreviation="REPO", name="Party Archive")
    citation = CitationFactory(repository=repository, reference=reference)
    document = citation.document

    page = html.unescape(curator_client.get(change_url(document)).content.decode())

    # The cell names itself first (for narrow screens), then shows the citation.
    assert re.search(
        rf'<td class="field-shown_as">\s*<span class="cell-label">Shown as</span>'
        rf"\s*<p>{re.escape(shown)}</p>",
        page,
    )


def test_a_reference_typed_with_a_credit_is_refused_so_the_credit_is_not_printed_twice(
    curator_client,
):
    citation = CitationFactory(reference="f. 558, op. 11")
    document = citation.document
    response = curator_client.get(change_url(document))
    typed = "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072. Translated by Gary Goldberg."

    response = curator_client.post(
        change_url(document), form_data(response, **{"citations-0-reference": typed})
    )

    (inline,) = [
        i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "citations"
    ]
    (error,) = inline.formset.forms[0].errors["reference"]
    assert "The reference ends with a credit, “Translated by Gary Goldberg.”" in error
    citation.refresh_from_db()
    assert citation.reference == "f. 558, op. 11"


def test_a_reference_typed_with_its_repository_is_kept_as_typed(curator_client):
    citation = CitationFactory(reference="f. 558, op. 11")
    document = citation.document
    response = curator_client.get(change_url(document))
    typed = "RGASPI f. 558, op. 11, d. 317"

    curator_client.post(
        change_url(document), form_data(response, **{"citations-0-reference": typed})
    )

    citation.refresh_from_db()
    assert (citation.reference, str(citation)) == (typed, typed)
    assert (citation.fond, citation.opis, citation.delo) == ("558", "11", "317")


def test_a_credit_kept_in_a_stored_reference_does_not_block_saving_other_changes(curator_client):
    citation = CitationFactory(reference="")
    stored = "f. 17, op. 3. Translated by Gary Goldberg."
    type(citation).objects.filter(pk=citation.pk).update(reference=stored)
    document = citation.document
    response = curator_client.get(change_url(document))

    response = curator_client.post(change_url(document), form_data(response, title="Renamed"))

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Renamed"
