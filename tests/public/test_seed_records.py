"""Search and citations on the seed records (fixtures/seed.json), as a researcher meets them."""

import html
import re
from datetime import date

import pytest

from documents import search
from documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def accessed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2026, 11, 22))


def ranked(query):
    results = search.search(Document.objects.published(), query).order_by("-relevance")
    return list(results.values_list("record_id", flat=True))


def chicago_note(client, record_id):
    body = client.get(f"/documents/{record_id}/").content.decode()
    note = re.search(r'id="chicago-note">(.*?)</p>', body).group(1)
    return html.unescape(re.sub(r"</?bdi>", "", note))  # the text a reader sees


@pytest.mark.parametrize(
    ("query", "record_ids"),
    [
        # The typo in seed 004's title and the variant of Bagirov's name find his documents.
        ("Bagriov", {2, 4, 5, 6}),
        # Qavam is mentioned in seeds 000 and 001 under another spelling.
        ("Ghavam", {1, 2}),
        ("Qavam-es-Saltaneh", {1, 2}),
        # Stalin's code name finds the documents he is linked to.
        ("Filippov", {1, 2, 3, 4, 8}),
        ("Mohammad Reza Shah", {8}),
    ],
)
def test_variant_names_find_the_persons_seed_documents(seeds, query, record_ids):
    assert set(ranked(query)) == record_ids


def test_a_title_naming_the_search_ranks_first(seeds):
    assert ranked("Pishevari") == [1, 2]
    assert ranked("Bagriov")[0] == 4
    assert ranked("Stalin Lenin")[0] == 3
    assert ranked("oil concessions") == [5]


def test_search_page_on_the_seeds_highlights_and_counts(client, seeds):
    body = client.get("/documents/", {"q": "Qavam"}).content.decode()
    assert "2 documents matching “<bdi>Qavam</bdi>”." in body
    assert "<mark>Qavam</mark>" in body


def test_chicago_notes_for_the_seed_documents(client, seeds):
    notes = {
        1: "I. V. Stalin to I. V. Sadchikov and Ja'far Pishevari, “Letter, I. V. Stalin to Cde. "
        "Pishevari,” May 8, 1946, RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072, "
        "trans. Gary Goldberg, ",
        2: "M. D. Bagirov and I. I. Maslennikov to I. V. Stalin and V. M. Molotov, “Letter from "
        "Bagirov to Stalin and Molotov about Qavam delaying talks with the Iranian Azerbaijani "
        "government,” April 20, 1946, GAPPOD, f.1, op.89, d.112, trans. Gary Goldberg, ",
        3: "I. V. Stalin to V. I. Lenin, “Telegram, Stalin to LENIN and the TsEKA [Central "
        "Committee],” November 16, 1920, RGASPI, f. 558, op. 11, d. 317, ll. 0001-0003, "
        "trans. Gary Goldberg, ",
        4: "M. D. Bagirov and I. I. Maslennikov to I. V. Stalin, V. M. Molotov, L. P. Beria, and "
        "G. M. Malenkov, “Telegram from Baku to Moscow, M.D. Bagriov and I.I. Maslennikov to "
        "Cdes. Stalin, Molotov, Beria, and Malenkov,” November 23, 1945, RGASPI, f. 558, op. 11, "
        "d. 99, ll. 0049-0051, trans. Gary Goldberg, ",
        8: "Mohammad Reza Pahlavi to I. V. Stalin, “Letter, Mohammed Reza Pahlavi to Generalissimo "
        "Stalin, Chairman of the Council of Ministers of the Union of Soviet Socialist "
        "Republics,” September 5, 1946, ",
    }
    tail = "Digital Archive, http://testserver/documents/{}/ (accessed November 22, 2026)."
    assert {n: chicago_note(client, n) for n in notes} == {
        n: note + tail.format(n) for n, note in notes.items()
    }


def test_seed_ris_for_stalins_letter(client, seeds):
    body = client.get("/documents/1/cite.ris").content.decode()
    assert body.startswith(
        "TY  - PCOMM\r\nTI  - Letter, I. V. Stalin to Cde. Pishevari\r\nAU  - Stalin, I. V.\r\n"
    )
    assert "A4  - Goldberg, Gary\r\nDA  - 1946/05/08/\r\nPY  - 1946\r\n" in body
    assert "DB  - Russian State Archive of Socio-Political History\r\n" in body
    assert "AN  - f. 558, op. 11, d. 317, ll. 0069-0072\r\n" in body
    assert "Y2  - 2026/11/22/\r\nER  -\r\n" in body


def test_seed_collection_page_filters_its_documents(client, seeds):
    params = {"person": "m-d-bagirov", "role": "recipient"}
    body = client.get("/collections/iran-soviet-relations/", params).content.decode()
    assert "Popular Documents" in body
    assert "2 documents." in body
    results = body[body.index('id="results-heading"') :]
    assert re.findall(r'<h3 dir="auto"><a href="/documents/(\d+)/">', results) == ["6", "5"]
