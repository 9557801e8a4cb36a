"""'Cite this': the Chicago note on the page and the RIS, BibTeX and CSL-JSON downloads."""

import html
import json
import re
from datetime import date

import pytest

from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def accessed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2026, 11, 22))


def chicago_note(client, document):
    body = client.get(document.get_absolute_url()).content.decode()
    note = re.search(r'<p class="citation" id="chicago-note"[^>]*>(.*?)</p>', body).group(1)
    # The text a reader sees and copies: the names and title isolated in <bdi> add none.
    return html.unescape(re.sub(r"</?bdi>", "", note))


@pytest.mark.parametrize(
    "record, note",
    [
        pytest.param(
            "stalin_letter",
            "I. V. Stalin to Ja'far Pishevari, “Letter, I. V. Stalin to Cde. Pishevari,” May 8, "
            "1946, RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072, trans. Gary Goldberg, Digital "
            "Archive, {url} (accessed November 22, 2026).",
            id="for Stalin's letter to Pishevari",
        ),
        pytest.param(
            "bagirov_letter",
            "M. D. Bagirov to I. V. Stalin and V. M. Molotov, “Letter from Bagirov to Stalin and "
            "Molotov about Qavam delaying talks with the Iranian Azerbaijani government,” "
            "April 20, 1946, GAPPOD, f.1, op.89, d.112, trans. Gary Goldberg, Digital Archive, "
            "{url} (accessed November 22, 2026).",
            id="for Bagirov's letter names both recipients",
        ),
        pytest.param(
            "baku_telegram",
            "M. D. Bagirov and I. I. Maslennikov to I. V. Stalin, “Telegram from Baku to Moscow, "
            "M.D. Bagriov and I.I. Maslennikov to Cdes. Stalin, Molotov, Beria, and Malenkov,” "
            "November 23, 1945, RGASPI, f. 558, op. 11, d. 99, ll. 0049-0051, trans. Gary "
            "Goldberg, Digital Archive, {url} (accessed November 22, 2026).",
            id="for the Baku telegram keeps the title's typo",
        ),
    ],
)
def test_chicago_note(client, archive, record, note):
    document = getattr(archive, record)
    url = f"http://testserver/documents/{document.record_id}/"
    assert chicago_note(client, document) == note.format(url=url)


def test_chicago_note_without_people_or_date_starts_with_the_title(client, settings, db):
    settings.ARCHIVE_NAME = "Another Archive"
    document = DocumentFactory(title='Notes on "Operation" Tabriz?', date_text="undated")
    assert chicago_note(client, document) == (
        "“Notes on ‘Operation’ Tabriz?” n.d., Another Archive, "
        f"http://testserver/documents/{document.record_id}/ (accessed November 22, 2026)."
    )


def test_the_copy_button_is_added_by_script_only(client, archive):
    body = client.get(archive.stalin_letter.get_absolute_url()).content.decode()
    assert (
        '<button type="button" class="copy-button" data-copy-target="chicago-note" hidden>' in body
    )


def test_ris_download(client, archive):
    document = archive.stalin_letter
    response = client.get(f"/documents/{document.record_id}/cite.ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="record-{document.record_id}.ris"'
    )
    assert response.content.decode().split("\r\n") == [
        "TY  - PCOMM",
        "TI  - Letter, I. V. Stalin to Cde. Pishevari",
        "AU  - Stalin, I. V.",
        "A2  - Pishevari, Ja'far",
        "A4  - Goldberg, Gary",
        "DA  - 1946/05/08/",
        "PY  - 1946",
        "M3  - Letter",
        "DB  - Russian State Archive of Socio-Political History",
        "AN  - f. 558, op. 11, d. 317, ll. 0069-0072",
        "DP  - Digital Archive",
        "LA  - Russian",
        "AB  - " + " ".join(document.summary.split()),
        "KW  - Iran Crisis, 1946",
        "N1  - Date as written: May 8, 1946",
        f"UR  - http://testserver/documents/{document.record_id}/",
        "Y2  - 2026/11/22/",
        "ER  -",
        "",
    ]


def test_bibtex_download(client, archive):
    document = archive.bagirov_letter
    response = client.get(f"/documents/{document.record_id}/cite.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response.content.decode() == (
        f"@misc{{record{document.record_id},\n"
        "  title = {Letter from Bagirov to Stalin and Molotov about Qavam delaying talks with "
        "the Iranian Azerbaijani government},\n"
        "  author = {Bagirov, M. D.},\n"
        "  translator = {Goldberg, Gary},\n"
        "  year = {1946},\n"
        "  month = apr,\n"
        "  date = {1946-04-20},\n"
        "  note = {To I. V. Stalin and V. M. Molotov. GAPPOD, f.1, op.89, d.112},\n"
        "  howpublished = {Digital Archive},\n"
        f"  url = {{http://testserver/documents/{document.record_id}/}},\n"
        "  urldate = {2026-11-22}\n"
        "}\n"
    )


def test_bibtex_escapes_its_special_characters(client, db):
    document = DocumentFactory(title="Plan {50%} & $5 #1_a ~ ^ \\end", date_text="circa 1946")
    body = client.get(f"/documents/{document.record_id}/cite.bib").content.decode()
    assert (
        r"title = {Plan \{50\%\} \& \$5 \#1\_a \textasciitilde{} \textasciicircum{} "
        r"\textbackslash{}end}" in body
    )
    # BibTeX without biber reads EDTF's '~' as a space: the date is written out instead.
    assert "year = {ca. 1946},\n  howpublished" in body
    assert "  date = " not in body


def test_csl_json_download(client, archive):
    document = archive.baku_telegram
    response = client.get(f"/documents/{document.record_id}/cite.json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert json.loads(response.content) == [
        {
            "id": f"record-{document.record_id}",
            "type": "personal_communication",
            "title": document.title,
            "URL": f"http://testserver/documents/{document.record_id}/",
            "accessed": {"date-parts": [[2026, 11, 22]]},
            "author": [
                {"family": "Bagirov", "given": "M. D."},
                {"family": "Maslennikov", "given": "I. I."},
            ],
            "recipient": [{"family": "Stalin", "given": "I. V."}],
            "translator": [{"family": "Goldberg", "given": "Gary"}],
            "issued": {"date-parts": [[1945, 11, 23]]},
            "archive": "Russian State Archive of Socio-Political History",
            "archive_location": "f. 558, op. 11, d. 99, ll. 0049-0051",
            "archive-place": "Moscow",
            "abstract": document.summary,
            "genre": "Telegram",
            "language": "ru",
        }
    ]


def test_csl_json_marks_approximate_and_ranged_dates(client, db):
    circa = DocumentFactory(date_text="circa 1946")
    ranged = DocumentFactory(date_text="1945/1946")
    assert json.loads(client.get(f"/documents/{circa.record_id}/cite.json").content)[0][
        "issued"
    ] == {"date-parts": [[1946]], "circa": True}
    assert json.loads(client.get(f"/documents/{ranged.record_id}/cite.json").content)[0][
        "issued"
    ] == {"date-parts": [[1945], [1946]]}


def test_citations_of_unpublished_documents_are_not_downloadable(client, archive):
    assert client.get(f"/documents/{archive.draft.record_id}/cite.ris").status_code == 404


@pytest.mark.parametrize(
    "date_text, written",
    [
        ("1940s", "1940s"),
        ("1945/1946", "1945–1946"),
        ("circa 1946", "ca. 1946"),
        ("1950 or earlier", "1950 or earlier"),
        ("undated", "n.d."),
    ],
)
def test_the_chicago_note_writes_decades_ranges_and_approximate_dates_as_historians_do(
    client, db, date_text, written
):
    document = DocumentFactory(title="Notes", date_text=date_text)
    assert chicago_note(client, document).startswith(f"“Notes,” {written}, Digital Archive, ")


def test_the_chicago_note_never_nests_double_quotes_in_double_quotes(client, db):
    document = DocumentFactory(title='On the “Azerbaijan question” and "Operation Tabriz"')
    note = chicago_note(client, document)
    assert note.startswith("“On the ‘Azerbaijan question’ and ‘Operation Tabriz,’” May 8, 1946")
    assert note.count("“") == note.count("”") == 1
