import re

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


def test_address_of_a_person_merged_long_ago_redirects_permanently_to_the_person_kept(client):
    # A redirect no merge record can undo (the merge's record is gone) is for good.
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


def link_documents(person, count, *, role="author", **document):
    for number in range(count):
        ContributionFactory(
            person=person,
            role=role,
            document__title=f"{role.title()} document {number:02d}",
            document__date_text=f"{1940 + number // 12}-{number % 12 + 1:02d}",
            **{f"document__{key}": value for key, value in document.items()},
        )


def listed_titles(body):
    return re.findall(r'<h3 dir="auto"><a href="/documents/\d+/">(.*?)</a></h3>', body)


def test_person_page_counts_documents_per_role_and_shows_twenty_at_a_time(client):
    person = PersonFactory(name="Pavel Hoxha")
    link_documents(person, 45, role="author")
    link_documents(person, 3, role="recipient")
    body = client.get(person.get_absolute_url()).content.decode()
    assert "Author (45)" in body
    assert "Recipient (3)" in body
    assert listed_titles(body) == [f"Author document {n:02d}" for n in range(20)]
    last = client.get(person.get_absolute_url(), {"role": "author", "page": 3}).content.decode()
    assert listed_titles(last) == [f"Author document {n:02d}" for n in range(40, 45)]
    received = client.get(person.get_absolute_url(), {"role": "recipient"}).content.decode()
    assert listed_titles(received) == [f"Recipient document {n:02d}" for n in range(3)]


def test_person_page_links_each_role_and_the_full_document_list(client):
    person = PersonFactory(name="Pavel Hoxha")
    link_documents(person, 2, role="recipient")
    body = client.get(person.get_absolute_url()).content.decode()
    assert f'href="/documents/?person={person.slug}"' in body
    assert 'href="?role=recipient" aria-current="page"' in body


def test_an_unknown_role_shows_the_first_role_with_documents(client):
    person = PersonFactory()
    link_documents(person, 2, role="mentioned")
    body = client.get(person.get_absolute_url(), {"role": "nonsense"}).content.decode()
    assert listed_titles(body) == ["Mentioned document 00", "Mentioned document 01"]


@pytest.mark.parametrize("count", [3, 60])
def test_person_page_takes_the_same_queries_for_few_or_many_documents(
    client, django_assert_num_queries, count
):
    person = PersonFactory()
    link_documents(person, count, role="author")
    link_documents(person, count, role="recipient")
    client.get(person.get_absolute_url())  # the process's public index is built once
    # The person, the variant names, the index's read of the change log, the page's documents.
    with django_assert_num_queries(4):
        assert client.get(person.get_absolute_url(), {"page": 2}).status_code == 200


def test_drafts_and_withdrawn_records_are_neither_shown_nor_counted_on_person_page(client):
    person = PersonFactory()
    link_documents(person, 2, role="author")
    ContributionFactory(person=person, document__title="A draft", document__status=Status.DRAFT)
    ContributionFactory(
        person=person, document__title="A withdrawn one", document__status=Status.WITHDRAWN
    )
    ContributionFactory(
        person=person, role="recipient", document__title="Draft", document__status=Status.DRAFT
    )
    body = client.get(person.get_absolute_url()).content.decode()
    assert "Author (2)" in body
    assert "Recipient" not in body
    assert listed_titles(body) == ["Author document 00", "Author document 01"]


def test_a_person_linked_only_to_drafts_is_not_found_by_the_public(client):
    person = PersonFactory(name="Ivan Sadchikov", note="Soviet ambassador in Tehran.")
    ContributionFactory(person=person, document__status=Status.DRAFT)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 404
    assert "Ivan Sadchikov" not in response.content.decode()


def test_staff_see_drafts_on_person_page(client, curator):
    person = PersonFactory()
    ContributionFactory(person=person, document__title="A draft", document__status=Status.DRAFT)
    client.force_login(curator)
    body = client.get(person.get_absolute_url()).content.decode()
    assert "Author (1)" in body
    assert listed_titles(body) == ["A draft"]


def test_person_page_counts_a_document_once_whatever_the_roles_in_it(client):
    person = PersonFactory(name="Pavel Hoxha")
    link_documents(person, 2, role="author")
    document = person.contributions.first().document
    ContributionFactory(person=person, document=document, role="recipient")
    body = client.get(person.get_absolute_url()).content.decode()
    assert "Author (2)" in body
    assert "Recipient (1)" in body
    assert "Search and filter the 2 documents linked to <bdi>Pavel Hoxha</bdi>" in body


def test_a_document_published_after_a_visit_is_counted_and_listed_on_the_next_visit(client):
    person = PersonFactory(name="Pavel Hoxha")
    link_documents(person, 2, role="author")
    draft = ContributionFactory(
        person=person, document__title="Author document 99", document__status=Status.DRAFT
    ).document
    assert "Author (2)" in client.get(person.get_absolute_url()).content.decode()

    draft.status = Status.PUBLISHED
    draft.save()

    body = client.get(person.get_absolute_url()).content.decode()
    assert "Author (3)" in body
    assert listed_titles(body)[-1] == "Author document 99"
    draft.contributions.all().delete()
    assert "Author (2)" in client.get(person.get_absolute_url()).content.decode()
