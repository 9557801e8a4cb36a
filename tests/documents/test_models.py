"""Rules the database and the models keep for every document, person and citation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from documents.models import Contribution, Document, Person, RightsStatement, Status
from tests.factories import (
    CitationFactory,
    ContributionFactory,
    DocumentFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_record_id_is_assigned_when_none_is_given():
    first = DocumentFactory()
    second = DocumentFactory()
    assert first.record_id >= 1
    assert second.record_id == first.record_id + 1


def test_record_id_of_a_deleted_document_is_never_given_again():
    doomed = DocumentFactory()
    number = doomed.record_id
    doomed.delete()
    assert DocumentFactory().record_id == number + 1


def test_record_id_chosen_by_a_curator_is_kept_and_skipped_afterwards():
    chosen = DocumentFactory(record_id=5000)
    assert chosen.record_id == 5000
    assert DocumentFactory().record_id == 5001


def test_two_documents_cannot_share_a_record_id():
    DocumentFactory(record_id=77)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(title="Another", record_id=77)


def test_two_documents_with_the_same_title_get_different_slugs():
    a = DocumentFactory(title="Letter, I. V. Stalin to Cde. Pishevari")
    b = DocumentFactory(title="Letter, I. V. Stalin to Cde. Pishevari")
    assert a.slug == "letter-i-v-stalin-to-cde-pishevari"
    assert b.slug != a.slug


def test_the_database_refuses_a_start_date_after_the_end_date():
    document = DocumentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(
            date_start=datetime.date(1946, 5, 9), date_end=datetime.date(1946, 5, 8)
        )


def test_the_same_person_cannot_hold_the_same_role_twice_on_a_document():
    contribution = ContributionFactory(role=Contribution.Role.AUTHOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(
            document=contribution.document, person=contribution.person, role="author"
        )


def test_the_same_person_may_hold_two_different_roles_on_a_document():
    contribution = ContributionFactory(role=Contribution.Role.AUTHOR)
    Contribution.objects.create(
        document=contribution.document, person=contribution.person, role="translator"
    )
    assert contribution.document.contributions.count() == 2


def test_only_one_rights_statement_can_be_the_default():
    RightsStatement.objects.create(title="A", text="a", is_default=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        RightsStatement.objects.create(title="B", text="b", is_default=True)


def test_a_person_cannot_die_before_being_born():
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="Nobody", birth_year=1950, death_year=1900)


def test_a_person_still_linked_to_a_document_cannot_be_deleted():
    contribution = ContributionFactory()
    with pytest.raises(Exception, match="protected"):
        contribution.person.delete()


@pytest.mark.parametrize(
    ("written", "edtf", "start", "end"),
    [
        ("May 8, 1946", "1946-05-08", datetime.date(1946, 5, 8), datetime.date(1946, 5, 8)),
        ("November 1945", "1945-11", datetime.date(1945, 11, 1), datetime.date(1945, 11, 30)),
        ("circa 1946", "1946~", datetime.date(1946, 1, 1), datetime.date(1946, 12, 31)),
        ("1945/1946", "1945/1946", datetime.date(1945, 1, 1), datetime.date(1946, 12, 31)),
        ("undated", "", None, None),
    ],
)
def test_saving_a_document_normalizes_the_date_as_written(written, edtf, start, end):
    document = DocumentFactory(date_text=written)
    document.refresh_from_db()
    assert (document.date_edtf, document.date_start, document.date_end) == (edtf, start, end)
    assert document.date_display == written


def test_a_document_with_only_an_edtf_date_displays_it_for_people():
    document = DocumentFactory(date_text="", date_edtf="1953-03~")
    assert document.date_display == "circa March 1953"


def test_an_impossible_date_is_refused_with_a_sentence_naming_it():
    document = DocumentFactory.build(date_text="31 February 1946")
    with pytest.raises(ValidationError) as caught:
        document.full_clean()
    assert "31 February 1946" in caught.value.message_dict["date_text"][0]


def test_documents_sort_by_date_with_undated_ones_last():
    titles = {
        "exact": "May 8, 1946",
        "month": "November 1945",
        "approximate": "circa 1946",
        "range": "1945/1946",
        "undated": "undated",
        "early": "November 16, 1920",
    }
    for title, written in titles.items():
        DocumentFactory(title=title, date_text=written)
    assert list(Document.objects.values_list("title", flat=True)) == [
        "early",
        "range",
        "month",
        "approximate",
        "exact",
        "undated",
    ]


def test_first_publication_date_is_recorded_once():
    document = DocumentFactory(status=Status.DRAFT)
    assert document.first_published_at is None
    document.status = Status.PUBLISHED
    document.save()
    first = document.first_published_at
    assert first is not None
    document.status = Status.WITHDRAWN
    document.save()
    document.status = Status.PUBLISHED
    document.save()
    assert document.first_published_at == first


def test_citation_reads_fond_opis_delo_and_folios_from_the_reference():
    citation = CitationFactory(reference="f. 558, op. 11, d. 317, ll. 0069-0072")
    assert (citation.fond, citation.opis, citation.delo, citation.folios) == (
        "558",
        "11",
        "317",
        "0069-0072",
    )
    assert str(citation) == "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072"


def test_credit_line_groups_people_credited_for_the_same_organization():
    from documents.models import Organization

    cwihp = Organization.objects.create(
        name="Cold War International History Project", abbreviation="CWIHP"
    )
    document = DocumentFactory()
    hasanli, goldberg = PersonFactory(name="Jamil Hasanli"), PersonFactory(name="Gary Goldberg")
    Contribution.objects.create(
        document=document, person=goldberg, role="translator", on_behalf_of=cwihp
    )
    Contribution.objects.create(
        document=document, person=hasanli, role="obtained_by", on_behalf_of=cwihp
    )
    ContributionFactory(document=document, role="author")
    assert document.credit_line() == (
        "Obtained for CWIHP by Jamil Hasanli and translated for CWIHP by Gary Goldberg."
    )
