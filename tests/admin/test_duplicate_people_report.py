"""The admin's report of possible duplicate people: pairs, Merge, "Not the same person", roles."""

import re

import pytest
from django.urls import reverse

from documents.models import DistinctPeople, Person, PersonName
from tests.admin.conftest import ROLES
from tests.factories import ContributionFactory, PersonFactory

pytestmark = pytest.mark.django_db

REPORT = "admin:documents_person_duplicates"
DISMISS = "admin:documents_person_dismiss_duplicate"


@pytest.fixture
def qavams(db):
    qavam = PersonFactory(name="Ahmad Qavam", birth_year=1873, death_year=1955)
    PersonName.objects.create(person=qavam, name="Qavam os-Saltaneh")
    ghavam = PersonFactory(name="Ahmad Ghavam")
    for _ in range(3):
        ContributionFactory(person=qavam)
    ContributionFactory(person=ghavam)
    return qavam, ghavam


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_report_shows_each_pair_with_names_variants_life_dates_and_documents(
    curator_client, qavams
):
    response = curator_client.get(reverse(REPORT))
    assert response.status_code == 200
    page = text(response)
    assert "1 pair." in page
    assert "Likely the same: another transliteration" in page
    assert "Ahmad Qavam" in page and "Ahmad Ghavam" in page
    assert "Also: Qavam os-Saltaneh" in page
    assert "1873–1955" in page
    assert "3 documents" in page and "1 document" in page


def test_the_merge_button_opens_the_merge_page_for_the_pair(curator_client, qavams):
    qavam, ghavam = qavams
    body = curator_client.get(reverse(REPORT)).content.decode()
    assert f'action="{reverse("admin:documents_person_merge")}"' in body
    assert f'name="ids" value="{qavam.pk},{ghavam.pk}"' in body
    merge = curator_client.get(
        reverse("admin:documents_person_merge"), {"ids": f"{qavam.pk},{ghavam.pk}"}
    )
    assert merge.status_code == 200
    assert {p.pk for p in merge.context["people"]} == {qavam.pk, ghavam.pk}


def test_a_merged_pair_is_no_longer_listed(curator_client, qavams):
    qavam, ghavam = qavams
    curator_client.post(
        reverse("admin:documents_person_merge"),
        {"ids": f"{qavam.pk},{ghavam.pk}", "keep": qavam.pk, "confirm": "1"},
    )
    assert not Person.objects.filter(pk=ghavam.pk).exists()
    assert "No possible duplicates" in text(curator_client.get(reverse(REPORT)))


def test_a_pair_marked_not_the_same_person_is_not_shown_again(curator_client, qavams):
    qavam, ghavam = qavams
    response = curator_client.post(reverse(DISMISS), {"first": ghavam.pk, "second": qavam.pk})
    assert response.status_code == 302
    assert DistinctPeople.objects.filter(first=qavam, second=ghavam).exists()
    page = text(curator_client.get(reverse(REPORT)))
    assert "No possible duplicates" in page
    assert "“Ahmad Qavam” and “Ahmad Ghavam” are noted as two people" in page
    # Both people are still there, unmerged.
    assert Person.objects.filter(pk__in=[qavam.pk, ghavam.pk]).count() == 2


def test_dismissing_a_pair_that_is_gone_says_so_instead_of_failing(curator_client, qavams):
    qavam, _ghavam = qavams
    response = curator_client.post(
        reverse(DISMISS), {"first": qavam.pk, "second": "99999"}, follow=True
    )
    assert response.status_code == 200
    assert "could not be found" in text(response)
    assert not DistinctPeople.objects.exists()


def test_the_report_pages_fifty_pairs_at_a_time(curator_client):
    for _n in range(12):  # 12 people of one name: 66 pairs
        PersonFactory(name="I. Molotov")
    first = text(curator_client.get(reverse(REPORT)))
    assert "66 pairs. Page 1 of 2." in first
    second = curator_client.get(reverse(REPORT), {"page": "2"})
    assert len(second.context["rows"]) == 16


def test_the_report_takes_a_fixed_number_of_queries_for_a_page(
    curator_client, django_assert_max_num_queries
):
    for n in range(30):
        person = PersonFactory(name="I. Molotov")
        PersonName.objects.create(person=person, name=f"Molotov {n}")
        ContributionFactory(person=person)
    # The admin's own queries, the two shared-key groupings and the matcher's bulk reads.
    with django_assert_max_num_queries(18):
        curator_client.get(reverse(REPORT))


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_may_merge_people_see_the_report_or_dismiss_a_pair(
    role, client, make_user, qavams
):
    qavam, ghavam = qavams
    client.force_login(make_user(role))
    allowed = role == "Curator"
    assert client.get(reverse(REPORT)).status_code == (200 if allowed else 403)
    client.post(reverse(DISMISS), {"first": qavam.pk, "second": ghavam.pk})
    assert DistinctPeople.objects.exists() == allowed
    changelist = client.get(reverse("admin:documents_person_changelist")).content.decode()
    assert (reverse(REPORT) in changelist) == allowed
    index = client.get(reverse("admin:index")).content.decode()
    assert (reverse(REPORT) in index) == allowed
