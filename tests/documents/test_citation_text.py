"""How a citation's text is read and shown: the repository it begins with, the credit after it."""

import pytest

from documents.models import Contribution
from documents.parsing.credits import Credit, split_credit
from documents.parsing.references import cited_as, leading_name

VERBS = Contribution.CREDIT_VERBS.values()
KNOWN = {"rgaspi", "repo", "russian state archive of socio-political history", "a.b."}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("RGASPI, f. 558, op. 11", "RGASPI"),
        ("RGASPI f. 558", "RGASPI"),
        ("rgaspi,f.558", "rgaspi"),
        ("REPO AzR, f. 1", "REPO"),
        ("Russian State Archive of Socio-Political History, f. 17", "Russian State Archive of "
         "Socio-Political History"),
        ("A.B. Archive, f. 1", "A.B."),
        ("RGASPI", "RGASPI"),
        # A name is whole words: never the start of a longer word.
        ("RGASPIX, f. 1", ""),
        ("REPOSITORY of papers", ""),
        ("f. 558, op. 11", ""),
        ("", ""),
    ],
)  # fmt: skip
def test_the_repository_a_citation_begins_with_is_found_as_written(text, found):
    assert leading_name(text, lambda start: start.casefold() in KNOWN) == found


def test_the_longest_name_a_citation_begins_with_is_the_repository():
    names = {"repo", "repo azr"}
    assert leading_name("REPO AzR, f. 1", lambda start: start.casefold() in names) == "REPO AzR"


@pytest.mark.parametrize(
    ("reference", "shown"),
    [
        ("REPO AzR, f. 1, op. 89", "REPO AzR, f. 1, op. 89"),
        ("RGASPI f. 558", "RGASPI f. 558"),
        ("Party Archive, f. 1", "Party Archive, f. 1"),
        ("f. 1, op. 89", "REPO, f. 1, op. 89"),
        ("AzR, f. 1", "REPO, AzR, f. 1"),
        ("", "REPO"),
        ("   ", "REPO"),
    ],
)
def test_a_citation_is_shown_as_written_with_its_repository_before_it_only_if_it_lacks_it(
    reference, shown
):
    names = ("RGASPI", "Party Archive")  # RGASPI: a reference naming another archive first
    assert cited_as(reference, "REPO", names) == shown


@pytest.mark.parametrize(
    ("text", "citation", "credits"),
    [
        (
            "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072. Translated by Gary Goldberg.",
            "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072.",
            (Credit("translated", ("Gary Goldberg",)),),
        ),
        (
            "GAPPOD, f.1, op.89, d.112. Obtained for CWIHP by Jamil Hasanli and translated for "
            "CWIHP by Gary Goldberg.",
            "GAPPOD, f.1, op.89, d.112.",
            (
                Credit("obtained", ("Jamil Hasanli",), "CWIHP"),
                Credit("translated", ("Gary Goldberg",), "CWIHP"),
            ),
        ),
        (
            "RGASPI, f. 558, op. 11, d. 99, ll. 0049-0051. Contributed by Jamil Hasanli and "
            "translated by Gary Goldberg.",
            "RGASPI, f. 558, op. 11, d. 99, ll. 0049-0051.",
            (
                Credit("contributed", ("Jamil Hasanli",)),
                Credit("translated", ("Gary Goldberg",)),
            ),
        ),
        (
            "f. 1; translated by A. Smith, B. Jones and C. Brown",
            "f. 1",
            (Credit("translated", ("A. Smith", "B. Jones", "C. Brown")),),
        ),
        ("Translated by Gary Goldberg.", "", (Credit("translated", ("Gary Goldberg",)),)),
    ],
)
def test_a_credit_sentence_after_a_citation_is_told_apart_from_the_citation(
    text, citation, credits
):
    assert split_credit(text, VERBS) == (citation, credits)


@pytest.mark.parametrize(
    "text",
    [
        "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072",
        "Box 3, a letter translated by the embassy",
        "Papers obtained in 1950, f. 2",
        "f. 1. Translated from the Persian",
        "",
    ],
)
def test_a_citation_without_a_credit_sentence_is_left_whole(text):
    assert split_credit(text, VERBS) == (text, ())
