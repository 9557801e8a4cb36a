from __future__ import annotations

import dataclasses

import pytest

from documents.parsing.references import ArchivalReference, parse_reference, split_source


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (
            "f. 558, op. 11, d. 317, ll. 0069-0072",
            ArchivalReference("558", "11", "317", "0069-0072"),
        ),
        ("f.1, op.89, d.112", ArchivalReference("1", "89", "112", "")),
        ("f.1, op.89, d.112.", ArchivalReference("1", "89", "112", "")),
        ("F. 5446, Op. 1, D. 12, L. 3", ArchivalReference("5446", "1", "12", "3")),
        ("fond 89, opis 1, delo 5, list 7", ArchivalReference("89", "1", "5", "7")),
        ("Fond 89, Opis' 1, Delo 5, Listy 7-9", ArchivalReference("89", "1", "5", "7-9")),
        ("f. 89, per. 1, d. 5", ArchivalReference("89", "1", "5", "")),
        ("f. 89, perechen' 1, d. 5", ArchivalReference("89", "1", "5", "")),
        ("f. R-9401, op. 2, d. 64, ll. 1-5ob.", ArchivalReference("R-9401", "2", "64", "1-5ob")),
        ("f. 17, op. 3, d. 5, ll. 12, 14-15", ArchivalReference("17", "3", "5", "12, 14-15")),
        ("f. 3, op. 1, ed. khr. 12, l. 4", ArchivalReference("3", "1", "12", "4")),
        ("f. 558 op. 11 d. 317 ll. 5-6", ArchivalReference("558", "11", "317", "5-6")),
        ("f. 558. op. 11. d. 317. l. 5.", ArchivalReference("558", "11", "317", "5")),
    ],
)
def test_latin_references_are_read_into_their_parts(
    reference: str, expected: ArchivalReference
) -> None:
    assert parse_reference(reference) == expected


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("ф. 558, оп. 11, д. 317, лл. 69-72", ArchivalReference("558", "11", "317", "69-72")),
        ("Ф.1, Оп.89, Д.112, Л.5", ArchivalReference("1", "89", "112", "5")),
        ("фонд 89, опись 1, дело 5, лист 7", ArchivalReference("89", "1", "5", "7")),
        ("ф. Р-9401, оп. 2, д. 64, л. 5 об.", ArchivalReference("Р-9401", "2", "64", "5 об")),
        ("ф. 3, оп. 1, ед. хр. 12", ArchivalReference("3", "1", "12", "")),
    ],
)
def test_cyrillic_references_are_read_into_their_parts(
    reference: str, expected: ArchivalReference
) -> None:
    assert parse_reference(reference) == expected


def test_a_reference_with_its_repository_in_front_is_still_read() -> None:
    assert parse_reference("RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072") == ArchivalReference(
        "558", "11", "317", "0069-0072"
    )


@pytest.mark.parametrize(
    ("reference", "folios"),
    [
        ("f. 1, d. 2, ll. 0069-0072", "0069-0072"),
        ("f. 1, d. 2, l. 007", "007"),
        ("f. 1, d. 2, ll. 1-5ob.", "1-5ob"),
        ("f. 1, d. 2, l. 12 ob., 14 ob.", "12 ob., 14 ob"),
        ("f. 1, d. 2, ll. 1 ob. - 2 ob.", "1 ob. - 2 ob"),
        ("f. 1, d. 2, ll. 12, 14-15", "12, 14-15"),
        ("f. 1, d. 2, ll. 12, 14-15; see also f. 3", "12, 14-15"),
        ("f. 1, d. 2, ll. 12, 14-15. Original in Russian.", "12, 14-15"),
        ("f. 1, d. 2, ll. 12, 14-15.", "12, 14-15"),
        ("f. 1, d. 2, ll. 12-13, op. 4", "12-13"),
    ],
)
def test_folios_are_kept_as_written_up_to_where_the_reference_ends(
    reference: str, folios: str
) -> None:
    assert parse_reference(reference).folios == folios


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("f. 558", ArchivalReference(fond="558")),
        ("op. 11, d. 317", ArchivalReference(opis="11", delo="317")),
        ("d. 317, ll. 5", ArchivalReference(delo="317", folios="5")),
        ("f. 558, d. 317", ArchivalReference(fond="558", delo="317")),
    ],
)
def test_parts_that_are_not_given_stay_empty(reference: str, expected: ArchivalReference) -> None:
    assert parse_reference(reference) == expected


def test_parts_written_out_of_the_usual_order_are_still_read() -> None:
    assert parse_reference("d. 317, op. 11, f. 558") == ArchivalReference("558", "11", "317", "")


def test_the_first_of_two_references_wins() -> None:
    assert parse_reference("f. 558, op. 11, d. 317; f. 17, op. 3, d. 5") == ArchivalReference(
        "558", "11", "317", ""
    )


@pytest.mark.parametrize(
    "reference",
    [
        "",
        "   ",
        "National Archives, RG 59, Box 12",
        "Personal papers of the ambassador",
        "Politisches Archiv d. Auswärtigen Amts",
        "vol. 3, p. 12",
        "f. , op. , d. ",
        "Folder 3",
    ],
)
def test_text_without_a_soviet_reference_yields_empty_parts(reference: str) -> None:
    assert parse_reference(reference) == ArchivalReference()


def test_an_archival_reference_cannot_be_changed_after_the_fact() -> None:
    reference = parse_reference("f. 558")

    with pytest.raises(dataclasses.FrozenInstanceError):
        reference.fond = "17"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("GAPPOD, f.1, op.89, d.112", ("GAPPOD", "f.1, op.89, d.112")),
        ("GAPPOD, f.1, op.89, d.112.", ("GAPPOD", "f.1, op.89, d.112")),
        (
            "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072",
            ("RGASPI", "f. 558, op. 11, d. 317, ll. 0069-0072"),
        ),
        ("RGASPI f. 558, op. 11", ("RGASPI", "f. 558, op. 11")),
        ("RGANI f.89, per.1, d.5", ("RGANI", "f.89, per.1, d.5")),
        ("f. 558, op. 11", ("", "f. 558, op. 11")),
        ("F. 5446, Op. 1", ("", "F. 5446, Op. 1")),
        ("fond 89, opis 1", ("", "fond 89, opis 1")),
        ("National Archives, RG 59, Box 12", ("National Archives", "RG 59, Box 12")),
        ("АПРФ, ф. 3, оп. 66, д. 1", ("АПРФ", "ф. 3, оп. 66, д. 1")),
        ("  GARF ,  f. R-9401, op. 2 . ", ("GARF", "f. R-9401, op. 2")),
        ("", ("", "")),
        ("   ", ("", "")),
    ],
)
def test_sources_split_into_repository_and_reference(
    source: str, expected: tuple[str, str]
) -> None:
    assert split_source(source) == expected


def test_a_source_with_no_comma_and_no_reference_parts_is_kept_as_the_reference() -> None:
    assert split_source("Hoover Institution Archives") == ("", "Hoover Institution Archives")


def test_the_reference_half_of_a_source_reads_the_same_as_the_whole_source() -> None:
    source = "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072."

    _, reference = split_source(source)

    assert parse_reference(reference) == parse_reference(source)
