"""A Persian title among Latin ones is laid out in its own direction, in a real browser: the
heading runs right to left, and the punctuation and date written after the title in the Chicago
note stay after it (to its right, in the English sentence) instead of being pulled into it."""

import pytest
from playwright.sync_api import expect

from documents.models import Contribution
from tests.factories import ContributionFactory, DocumentFactory, PersonFactory

TITLE = "نامه قوام السلطنه به سادچیکوف، 12 مه 1946"

AUTHOR = "احمد قوام"

# The boxes of pieces of an element's text, found by their place in its text (whatever elements
# the text is split into): [left, right, top] of each.
BOXES = """(element, pieces) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let all = "", node;
  while ((node = walker.nextNode())) { nodes.push([node, all.length]); all += node.textContent; }
  const at = offset => {
    const [found, start] = nodes.filter(([, start]) => start <= offset).pop();
    return [found, offset - start];
  };
  return pieces.map(([text, after]) => {
    const start = all.indexOf(text, all.indexOf(after) + after.length);
    const range = document.createRange();
    range.setStart(...at(start));
    const [last, offset] = at(start + text.length - 1);
    range.setEnd(last, offset + 1);
    const box = range.getBoundingClientRect();
    return [box.left, box.right, Math.round(box.top)];
  });
}"""


@pytest.fixture
def persian_letter(db):
    document = DocumentFactory(title=TITLE, date_text="May 12, 1946", date_edtf="1946-05-12")
    author = PersonFactory(name=AUTHOR)
    ContributionFactory(document=document, person=author, role=Contribution.Role.AUTHOR)
    DocumentFactory(title="Telegram from Baku to Moscow", date_text="May 13, 1946")
    return document


@pytest.mark.django_db(transaction=True)
def test_a_persian_title_keeps_the_punctuation_after_it_on_its_right(
    live_server, page, persian_letter
):
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto(live_server.url + persian_letter.get_absolute_url())

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(TITLE)
    assert heading.evaluate("h => getComputedStyle(h).direction") == "rtl"

    note = page.locator("#chicago-note")
    expect(note).to_contain_text(f"{AUTHOR}, “{TITLE},” May 12, 1946")
    assert note.evaluate("p => getComputedStyle(p).direction") == "ltr"
    author, title, comma = note.evaluate(BOXES, [[AUTHOR, ""], [TITLE, AUTHOR], [",", TITLE]])
    # In the English sentence the Persian author comes first (left), then the Persian title,
    # then the comma closing it: neither is pulled into the other's right-to-left run.
    assert author[2] == title[2] == comma[2], "all on the first line"
    assert author[1] <= title[0] + 1, (author, title)
    assert title[1] <= comma[0] + 1, (title, comma)
    # The copied citation is the plain text: no character the isolation added.
    assert note.inner_text().startswith(f"{AUTHOR}, “{TITLE},” May 12, 1946")


@pytest.mark.django_db(transaction=True)
def test_in_the_list_the_persian_title_runs_right_to_left_and_the_latin_left_to_right(
    live_server, page, persian_letter
):
    page.goto(live_server.url + "/documents/")

    persian = page.locator("h3", has_text=TITLE)
    latin = page.locator("h3", has_text="Telegram from Baku to Moscow")
    assert persian.evaluate("h => getComputedStyle(h).direction") == "rtl"
    assert latin.evaluate("h => getComputedStyle(h).direction") == "ltr"
    # Each starts at its own side: the Persian title's text ends at the right of its heading.
    persian_text = persian.locator("a").bounding_box()
    persian_box = persian.bounding_box()
    assert (
        abs(persian_text["x"] + persian_text["width"] - persian_box["x"] - persian_box["width"]) < 2
    )
    facet = page.locator(".facets bdi", has_text=AUTHOR)
    assert facet.evaluate("b => getComputedStyle(b).direction") == "rtl"
