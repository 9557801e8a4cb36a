import pytest

from documents.models import PersonName, PersonRedirect, Status
from tests.factories import ContributionFactory, DocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_person_page_shows_variants_and_published_documents_by_role(client):
    contribution = ContributionFactory(person__name="M. D. Bagirov", role="author")
    PersonName.objects.create(person=contribution.person, name="M.D. Bagriov")
    draft = DocumentFactory(title="Draft by Bagirov", status=Status.DRAFT)
    ContributionFactory(person=contribution.person, document=draft, role="author")
    body = client.get(contribution.person.get_absolute_url()).content.decode()
    assert "M.D. Bagriov" in body
    assert "Author" in body
    assert contribution.document.title in body
    assert "Draft by Bagirov" not in body


def test_address_of_a_merged_person_redirects_permanently_to_the_person_kept(client):
    kept = PersonFactory(name="Ahmad Qavam")
    PersonRedirect.objects.create(old_slug="ghavam", person=kept)
    response = client.get("/people/ghavam/")
    assert response.status_code == 301
    assert response["Location"] == kept.get_absolute_url()


def test_saving_a_person_stores_the_keys_used_to_find_other_spellings():
    person = PersonFactory(name="Ja'far Pishevari")
    variant = PersonName.objects.create(person=person, name="Jafar Pishavari")
    assert person.name_key == "jafar pishevari"
    assert person.sound_key == variant.sound_key
