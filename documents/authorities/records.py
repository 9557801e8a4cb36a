"""Which records a new row of an import may repeat: the archive's one rule for possible
duplicate records, and the side-by-side comparison of a row with a record.

Owns deciding, for rows of a file that name no record ID, which existing records (and which
earlier rows of the same file) they may describe again. The importer asks `DuplicateFinder`
batch by batch and asks the curator (update record N, create a separate record, skip the row),
showing `side_by_side(...)`. This docstring is the one description of the rule;
tests/authorities/title_pairs.py is the table of real title pairs it is held to.

Dates. A row and a record are compared on their normalised dates, the bounds the date as
written covers (`documents.parsing.dates`), never on the text: '12 December 1945',
'December 12, 1945' and '1945-12-12' are one date, '1946' and 'circa 1946' too. They are

- the *same date* when both bounds are equal, or both are undated;
- not evidence otherwise: '1945' holds 'December 12, 1945' but says nothing about it being
  the same document, and two dates that only overlap are two dates;
- with one exception: two single days with the same day and month in other years, when the
  titles are exactly the same as written ('Telegram, Molotov to Stalin' of 12 December 1945
  and of 12 December 1946): a year mistyped is a common error.

Titles. Titles are folded as names are (case, punctuation, diacritics, scripts do not count),
the small words (of, the, to, from, by, with, ...) left out, and the rest aligned word by word
(difflib). On the same date, a title is a possible duplicate of another when, the two aligned,

- every word of each is in the other in the same order, or is *spelled otherwise* there: the
  singular or plural, one letter off (words of five letters or more: 'Maximov' / 'Maksimov'
  but not 'Iran' / 'Iraq'), a close spelling (rapidfuzz similarity 80 or more, five letters
  or more: 'Pishevari' / 'Pishavari'), another transliteration (the person policy's sound key:
  'Ghavam' / 'Qavam'), an abbreviation ('Cde.' / 'Comrade'), an initial ('I.' / 'Iosif'), or
  another year ('..., 1945' / '..., 1946'); other numbers must agree ('No. 12' / 'No. 13');
- or, beyond that, one adds words the other does not have anywhere ('Record of conversation
  between Molotov and Qavam' / '... between V. M. Molotov and Prime Minister Qavam'), as long
  as the words the two share are at least as many as those added, and at least three;
- and no word is moved: 'Telegram from Molotov to Stalin' and 'Telegram from Stalin to
  Molotov' (a reply on the same day) are two documents, and so are titles whose differing
  words are other words ('... in Tabriz' / '... in Tehran', '... to Bagirov' / '... to Stalin').

Titles the same once folded are possible duplicates whatever their length ('Letter' on the
same day); a title of fewer than three words is otherwise never one. The score shown is the
rapidfuzz similarity of the folded titles (0-100): it orders the candidates and says how
close they are; the rule above, not a threshold on the score, decides (a threshold low enough
to keep 'Letter, I. V. Stalin to Cde. Pishevari' / 'Letter from I. V. Stalin to Comrade
Pishevari' (85) keeps the reversed 'Molotov to Stalin' (100 by token_set_ratio, 68 by ratio)).

Queries. `DuplicateFinder.find(rows)` reads, for a batch of rows, the records that start on
one of the rows' first days (the `document_date_range` index on date_start, date_end), the
undated records once per import when a row is undated, and the records with one of the rows'
titles exactly (the `document_title` index): three queries at most per batch. Measured with
100,000 records on SQLite and 1,000 rows (2 shared cores): `python benchmarks/authorities.py
records`, see the figure in `find`'s docstring.

May import `documents.models` and `documents.parsing`.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from documents.authorities.terms import SMALL_WORDS, abbreviates, singular
from documents.models import Document
from documents.parsing import names as text_rules
from documents.parsing.dates import format_edtf

# Words that do not tell two titles apart.
TITLE_SMALL_WORDS = SMALL_WORDS | frozenset("from by with re".split())
# Shared words a title needs, besides being the same once folded, to be a possible duplicate.
MIN_SHARED = 3
# A word this long or longer may be one letter off, or close, and still be the same word.
SPELLED_WORD = 5
CLOSE_SPELLING = 80
_YEAR = re.compile(r"^(1[0-9]|20)[0-9]{2}$")
# Values in one `IN (...)` (SQLite allows 32,766 parameters).
IN_CHUNK = 5_000


@dataclass(frozen=True)
class Row:
    """A row of an import as the rule reads it: its number, title and normalised date.

    `start` and `end` are the bounds of the date (None, None: undated); `date` is the date as
    the preview shows it (the text written, else the EDTF)."""

    number: int
    title: str
    start: date | None
    end: date | None
    date: str = ""


@dataclass(frozen=True)
class Match:
    """A record (or an earlier row of the file) a row may repeat.

    `document_id` and `record_id` name the record, None for an earlier row, which `row`
    names (None for a record). `score` is 0-100, `reason` a sentence saying why."""

    document_id: int | None
    record_id: int | None
    row: int | None
    title: str
    date: str
    score: int
    reason: str


@dataclass(frozen=True)
class TitleMatch:
    """Why two titles may be one: the words spelled otherwise, those added, years changed."""

    spelled: tuple = ()  # (word here, word there)
    years: tuple = ()  # (year here, year there)
    added: tuple = ()  # words only one of them has
    folded_only: bool = False  # the same once folded, not as written

    def describe(self):
        """The difference in words, for a reason sentence."""
        parts = []
        if self.folded_only:
            parts.append("the same title but for case or punctuation")
        if self.years:
            parts.append(
                "the same title with another year ("
                + ", ".join(f"{a} for {b}" for a, b in self.years)
                + ")"
            )
        if self.spelled:
            parts.append(
                "the title spelled otherwise ("
                + ", ".join(f"'{a}' for '{b}'" for a, b in self.spelled)
                + ")"
            )
        if self.added:
            parts.append(
                "a few words more or less in the title ("
                + ", ".join(f"'{w}'" for w in self.added)
                + ")"
            )
        return "; ".join(parts) or "the same title"


def title_words(title):
    """The folded words of a title that tell it apart (see the module docstring)."""
    words = (text_rules.name_key(piece) for piece in title.split())
    return tuple(w for piece in words for w in piece.split() if w not in TITLE_SMALL_WORDS)


def _kin(x, y):
    """How word `x` is word `y` spelled otherwise: 'year', 'spelled', or None (other words)."""
    if x.isdigit() or y.isdigit():
        return "year" if _YEAR.match(x) and _YEAR.match(y) else None
    if singular(x) == singular(y):
        return "spelled"
    if len(x) == 1 or len(y) == 1:
        return "spelled" if x[0] == y[0] else None
    shortest = min(len(x), len(y))
    if shortest >= SPELLED_WORD and (
        DamerauLevenshtein.distance(x, y) == 1
        or fuzz.ratio(x, y) >= CLOSE_SPELLING
        or text_rules.sound_key(x) == text_rules.sound_key(y)
    ):
        return "spelled"
    if abbreviates(x, y):
        return "spelled"
    return None


def compare_titles(title, other):
    """A `TitleMatch` when the rule finds the two titles possible duplicates, else None."""
    a, b = title_words(title), title_words(other)
    if not a or not b:
        return None
    if a == b:
        return TitleMatch(folded_only=title.strip() != other.strip())
    spelled, years, added = [], [], []
    shared = 0
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        xs, ys = a[i1:i2], b[j1:j2]
        if tag == "equal":
            shared += len(xs)
            continue
        pairs, rest = _pair(xs, ys)
        if pairs is None:
            return None
        for x, y, kind in pairs:
            shared += 1
            (years if kind == "year" else spelled).append((x, y))
        added += rest
    moved = set(added) & (set(a) & set(b))
    if moved or shared < MIN_SHARED or shared < len(added):
        return None
    return TitleMatch(tuple(spelled), tuple(years), tuple(added))


def _pair(xs, ys):
    """Pair the words of two differing runs in order: ([(x, y, kind)], words left) or None.

    Every word of the shorter run must be kin to a word of the longer, in order; the longer
    run's other words are added words."""
    swap = len(xs) > len(ys)
    short, long = (ys, xs) if swap else (xs, ys)
    pairs, rest, position = [], [], 0
    for word in short:
        for k in range(position, len(long)):
            kind = _kin(word, long[k])
            if kind is not None:
                rest += long[position:k]
                pairs.append((long[k], word, kind) if swap else (word, long[k], kind))
                position = k + 1
                break
        else:
            return None, None
    rest += long[position:]
    return pairs, rest


def _shown(date_text, edtf):
    return date_text or format_edtf(edtf) or "undated"


class DuplicateFinder:
    """Finds the possible duplicates of an import's rows, batch by batch.

    Keeps the rows it was given, so a later row (in this batch or a later one) finds an
    earlier row of the same file. `exclude` are ids of records never to propose (say, those
    rows of the file update by record ID)."""

    def __init__(self, *, exclude=()):
        self.exclude = set(exclude)
        self._rows = {}  # (start, end) -> [Row] seen so far
        self._undated = None  # [(pk, record_id, title, date shown)] once read

    def find(self, rows):
        """{row number: [Match, best first]} for the rows that may repeat a record or a row.

        Three queries at most per batch (see the module docstring). Measured: 1,000 rows
        against 100,000 records on SQLite, 0.2 s per batch."""
        rows = list(rows)
        same_day = self._records_starting_on({r.start for r in rows if r.start})
        by_title = self._records_titled({r.title for r in rows if r.start == r.end and r.start})
        if any(r.start is None for r in rows) and self._undated is None:
            self._undated = [
                (pk, record_id, title, _shown(text, edtf))
                for pk, record_id, title, text, edtf in Document.objects.filter(
                    date_start__isnull=True
                ).values_list("pk", "record_id", "title", "date_text", "date_edtf")
                if pk not in self.exclude
            ]
        found = {}
        for row in rows:
            matches = []
            bounds = (row.start, row.end)
            if row.start is None:
                records = self._undated
            else:
                records = [r[:4] for r in same_day.get(row.start, ()) if r[4] == row.end]
            for pk, record_id, title, shown in records:
                match = compare_titles(row.title, title)
                if match is not None:
                    matches.append(self._match(row, match, pk, record_id, None, title, shown))
            for earlier in self._rows.get(bounds, ()):
                match = compare_titles(row.title, earlier.title)
                if match is not None:
                    matches.append(
                        self._match(
                            row, match, None, None, earlier.number, earlier.title, earlier.date
                        )
                    )
            if row.start is not None and row.start == row.end:
                matches += self._other_year(
                    row, by_title.get(row.title, ()), {m.document_id for m in matches}
                )
            self._rows.setdefault(bounds, []).append(row)
            if matches:
                found[row.number] = sorted(
                    matches, key=lambda m: (-m.score, m.row or 0, m.record_id or 0)
                )
        return found

    def _records_starting_on(self, days):
        """{first day: [(pk, record_id, title, date shown, last day)]} of the records."""
        found = {}
        days = sorted(days)
        for start in range(0, len(days), IN_CHUNK):
            rows = Document.objects.filter(
                date_start__in=days[start : start + IN_CHUNK]
            ).values_list(
                "pk", "record_id", "title", "date_text", "date_edtf", "date_start", "date_end"
            )
            for pk, record_id, title, text, edtf, first, last in rows:
                if pk not in self.exclude:
                    found.setdefault(first, []).append(
                        (pk, record_id, title, _shown(text, edtf), last)
                    )
        return found

    def _records_titled(self, titles):
        """{title: [(pk, record_id, date shown, first day, last day)]} of the single days."""
        found = {}
        titles = sorted(titles)
        for start in range(0, len(titles), IN_CHUNK):
            rows = Document.objects.filter(title__in=titles[start : start + IN_CHUNK]).values_list(
                "pk", "record_id", "title", "date_text", "date_edtf", "date_start", "date_end"
            )
            for pk, record_id, title, text, edtf, first, last in rows:
                if pk not in self.exclude and first is not None and first == last:
                    found.setdefault(title, []).append((pk, record_id, _shown(text, edtf), first))
        return found

    def _other_year(self, row, records, found):
        matches = []
        for pk, record_id, shown, day in records:
            if pk in found or (day.month, day.day) != (row.start.month, row.start.day):
                continue
            if day.year == row.start.year:
                continue
            reason = (
                f"Record {record_id} has the same title, dated {shown}: the same day in "
                f"{day.year} instead of {row.start.year}. Is one of the years mistyped?"
            )
            score = 100
            matches.append(Match(pk, record_id, None, row.title, shown, score, reason))
        return matches

    @staticmethod
    def _match(row, match, pk, record_id, number, title, shown):
        who = f"Record {record_id}" if number is None else f"Row {number}"
        written = "" if shown == row.date or not row.date else f", written '{row.date}' here"
        if row.start is None:
            when = "is undated too"
        else:
            when = f"has the same date ({shown}{written})"
        reason = f"{who} {when}, and {match.describe()}."
        score = round(fuzz.ratio(" ".join(title_words(row.title)), " ".join(title_words(title))))
        return Match(pk, record_id, number, title, shown, score, reason)


# The comparison shown beside a question ---------------------------------------------------


@dataclass(frozen=True)
class FieldComparison:
    """One column of a row beside the same column of a record: as shown, and whether equal."""

    key: str
    row: str
    record: str
    same: bool


def side_by_side(values, state, *, show, same=None):
    """The columns of a row (`values`: column key -> value as cleaned) beside the record's.

    `state` is the record's state in the import's terms (`state_of`: column key -> value),
    `show(key, value)` the text the preview shows for a value (the column's `display`), and
    `same(key, row value, record value)` whether two values mean the same (default: equal; a
    date written otherwise is the same date: compare the EDTF). Only the row's columns are
    compared, in its order."""
    same = same or (lambda key, a, b: a == b)
    return [
        FieldComparison(
            key, show(key, value), show(key, state.get(key)), same(key, value, state.get(key))
        )
        for key, value in values.items()
    ]
