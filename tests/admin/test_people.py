"""People as authorities: duplicate warnings, merging with preview, undo, guarded deletes."""

import pytest
from django.urls import reverse

from archive_collections.models import Collection
from documents.history import versions_of
from documents.models import Contribution, Person, PersonName, PersonRedirect
from documents.workflows.merging import merge_people, undo_merge
from tests.factories import (
    CitationFactory,
    ContributionFactory,
    DocumentFactory,
    PersonFactory,
    RepositoryFactory,
)

pytestmark = pytest.mark.django_db

ADD = "admin:documents_person_add"


def add_person(client, name, **extra):
    data = {
        "name": name,
        "sort_name": "",
        "variants-TOTAL_FORMS": "0",
        "variants-INITIAL_FORMS": "0",
        **extra,
    }
    return client.post(reverse(ADD), data)


@pytest.mark.parametrize(
    ("existing", "typed"),
    [
        ("Ahmad Qavam", "Ahmad Ghavam"),
        ("Ja'far Pishevari", "Jafar Pishavari"),
        ("Ja'far Pishevari", "Pishavari"),
        ("Mir Jafar Bagirov", "MIR JAFAR BAĞIROV"),
        # Inverted names, written with initials, in Cyrillic (issue 12).
        ("Joseph Stalin", "Stalin, Joseph"),
        ("Iosif Vissarionovich Stalin", "Stalin, I. V."),
        ("V. M. Molotov", "Молотов, Вячеслав"),
    ],
)
def test_a_name_close_to_an_existing_person_points_to_them_first(curator_client, existing, typed):
    person = PersonFactory(name=existing)
    response = add_person(curator_client, typed)
    assert response.status_code == 200
    error = response.context["adminform"].form.errors["name"][0]
    assert "closely matches a person already in the archive" in error
    assert reverse("admin:documents_person_change", args=[person.pk]) in error
    assert Person.objects.count() == 1


def test_a_variant_name_also_counts_as_a_match(curator_client):
    person = PersonFactory(name="Mohammad Reza Pahlavi")
    PersonName.objects.create(person=person, name="Mohammad Reza Shah")
    response = add_person(curator_client, "Mohammed Reza Shah")
    assert "Mohammad Reza Pahlavi" in response.context["adminform"].form.errors["name"][0]


def test_create_anyway_makes_the_new_person(curator_client):
    PersonFactory(name="Ahmad Qavam")
    response = add_person(curator_client, "Ahmad Ghavam", create_anyway="on")
    assert response.status_code == 302
    assert Person.objects.filter(name="Ahmad Ghavam").exists()


def test_a_new_name_is_created_without_questions(curator_client):
    PersonFactory(name="Ahmad Qavam")
    assert add_person(curator_client, "Gary Goldberg").status_code == 302


def test_someone_who_shares_only_a_surname_with_an_existing_person_is_created_without_a_warning(
    curator_client,
):
    PersonFactory(name="Andrei Gromyko")
    assert add_person(curator_client, "Gromyko, Anatoly").status_code == 302


@pytest.fixture
def duplicates(make_user):
    curator = make_user("Curator", "merger")
    keep = PersonFactory(name="Ja'far Pishevari", birth_year=1893)
    other = PersonFactory(name="Jafar Pishavari", death_year=1947, note="Leader of the ADP.")
    PersonName.objects.create(person=other, name="Seyyed Jafar Javadzadeh")
    shared = DocumentFactory(title="Letter, I. V. Stalin to Cde. Pishevari")
    ContributionFactory(document=shared, person=keep, role="recipient")
    ContributionFactory(document=shared, person=other, role="recipient")
    own = ContributionFactory(person=other, role="author")
    return curator, keep, other, shared, own


def test_merging_moves_every_link_and_keeps_names_as_variants(duplicates, client):
    curator, keep, other, shared, own = duplicates
    old_url = other.get_absolute_url()
    merge_people(keep, duplicates=[other], by=curator, take={"death_year": other, "note": other})
    keep.refresh_from_db()
    assert not Person.objects.filter(pk=other.pk).exists()
    assert (keep.birth_year, keep.death_year, keep.note) == (1893, 1947, "Leader of the ADP.")
    assert {v.name for v in keep.variants.all()} == {"Jafar Pishavari", "Seyyed Jafar Javadzadeh"}
    assert Contribution.objects.filter(document=shared, person=keep).count() == 1
    own.refresh_from_db()
    assert own.person == keep and own.name_as_written == "Jafar Pishavari"
    response = client.get(old_url)
    # Temporary while the merge can be undone, so browsers do not remember it.
    assert response.status_code == 302 and response["Location"] == keep.get_absolute_url()
    comment = versions_of(keep).first().revision.comment
    assert comment == "Merged “Jafar Pishavari” into “Ja'far Pishevari”."
    assert versions_of(shared).first().revision.comment == comment


def test_undoing_a_merge_restores_the_people_their_links_and_names(duplicates, client):
    curator, keep, other, shared, own = duplicates
    merge = merge_people(keep, duplicates=[other], by=curator, take={"note": other})
    undo_merge(merge, by=curator)
    restored = Person.objects.get(pk=other.pk)
    keep.refresh_from_db()
    assert restored.name == "Jafar Pishavari" and restored.slug == other.slug
    assert [v.name for v in restored.variants.all()] == ["Seyyed Jafar Javadzadeh"]
    assert not keep.variants.exists() and keep.note == ""
    assert Contribution.objects.filter(document=shared).count() == 2
    own.refresh_from_db()
    assert own.person == restored and own.name_as_written == ""
    assert not PersonRedirect.objects.exists()
    assert client.get(restored.get_absolute_url()).status_code == 200
    with pytest.raises(ValueError, match="already been undone"):
        undo_merge(merge, by=curator)


def test_a_merged_persons_address_redirects_only_temporarily_so_an_undo_takes_effect(
    duplicates, client
):
    curator, keep, other, shared, own = duplicates
    old_url = other.get_absolute_url()
    merge = merge_people(keep, duplicates=[other], by=curator)
    assert client.get(old_url).status_code == 302
    undo_merge(merge, by=curator)
    assert client.get(old_url).status_code == 200


def test_the_merge_page_previews_before_anything_changes(curator_client, duplicates):
    _, keep, other, _, _ = duplicates
    url = reverse("admin:documents_person_merge")
    ids = f"{keep.pk},{other.pk}"
    chosen = curator_client.post(
        reverse("admin:documents_person_changelist"),
        {"action": "merge_selected", "_selected_action": [keep.pk, other.pk]},
    )
    assert chosen.status_code == 302 and chosen["Location"].startswith(url)
    preview = curator_client.post(
        url, {"ids": ids, "keep": keep.pk, "take_note": other.pk, "preview": "1"}
    )
    page = preview.content.decode()
    assert "Preview: the person after the merge" in page
    assert "Leader of the ADP." in page and "Seyyed Jafar Javadzadeh" in page
    assert Person.objects.filter(pk=other.pk).exists()

    done = curator_client.post(url, {"ids": ids, "keep": keep.pk, "confirm": "1"})
    assert done.status_code == 302
    assert not Person.objects.filter(pk=other.pk).exists()
    history = curator_client.get(reverse("admin:documents_person_history", args=[keep.pk]))
    assert "Undo this merge" in history.content.decode()
    merge = keep.merges.get()
    curator_client.post(reverse("admin:documents_person_undo_merge", args=[merge.pk]))
    assert Person.objects.filter(pk=other.pk).exists()


def test_a_person_still_linked_to_documents_cannot_be_deleted(curator_client):
    person = ContributionFactory().person
    url = reverse("admin:documents_person_delete", args=[person.pk])
    page = curator_client.get(url).content.decode()
    assert "is still in use, so it cannot be deleted" in page
    assert "merge it into the other person" in page
    curator_client.post(url, {"post": "yes"})
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_repository_still_cited_cannot_be_deleted(curator_client):
    repository = RepositoryFactory()
    CitationFactory(repository=repository)
    url = reverse("admin:documents_repository_delete", args=[repository.pk])
    assert "is still in use" in curator_client.get(url).content.decode()
    curator_client.post(url, {"post": "yes"})
    assert type(repository).objects.filter(pk=repository.pk).exists()


def test_a_collection_holding_documents_cannot_be_deleted(curator_client):
    collection = Collection.objects.create(title="Iran-Soviet Relations")
    collection.documents.add(DocumentFactory())
    empty = Collection.objects.create(title="Empty")
    url = reverse("admin:collections_collection_delete", args=[collection.pk])
    page = curator_client.get(url).content.decode()
    assert "still holds 1 document" in page
    curator_client.post(url, {"post": "yes"})
    assert Collection.objects.filter(pk=collection.pk).exists()
    curator_client.post(
        reverse("admin:collections_collection_delete", args=[empty.pk]), {"post": "yes"}
    )
    assert not Collection.objects.filter(pk=empty.pk).exists()


def test_editors_cannot_delete_people_at_all(client, make_user):
    client.force_login(make_user("Editor"))
    person = PersonFactory()
    response = client.post(
        reverse("admin:documents_person_delete", args=[person.pk]), {"post": "yes"}
    )
    assert response.status_code == 403 and Person.objects.filter(pk=person.pk).exists()
