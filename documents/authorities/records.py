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
- with one exception: two single days with the same day and month in years one digit apart
  (1945 / 1946, 1945 / 1954), when the titles are exactly the same as written ('Telegram,
  Molotov to Stalin' of 12 December 1945 and of 12 December 1946): a year mistyped is a
  common error.

Titles. Titles are folded as names are (case, punctuation, diacritics, scripts do not count),
the small words (of, the, to, from, by, with, ...) left out, and the rest aligned word by word
(difflib). On the same date, a title is a possible duplicate of another when their words are
alike at first look (rapidfuzz token_set_ratio `FIRST_LOOK` or more) and, the two aligned,

- every word of each is in the other in the same order, or is *spelled otherwise* there: the
  singular or plural, one letter off (words of five letters or more: 'Maximov' / 'Maksimov'
  but not 'Iran' / 'Iraq'), a close spelling (rapidfuzz similarity 80 or more, five letters
  or more: 'Pishevari' / 'Pishavari'), another transliteration (the person policy's sound key:
  'Ghavam' / 'Qavam'), an abbreviation ('Cde.' / 'Comrade'), an initial ('I.' / 'Iosif'), or
  another year ('..., 1945' / '..., 1946'); other numbers must agree ('No. 12' / 'No. 13');
- or, beyond that, one of them adds words the other does not have anywhere ('Record of
  conversation between Molotov and Qavam' / '... between V. M. Molotov and Prime Minister
  Qavam'), as long as the words the two share are at least as many as those added, and at
  least three; when both add words, they have other words ('Letter from Kavtaradze to Ivanov'
  / 'Letter from Ivanov to Vyshinsky');
- and no word is moved: 'Telegram from Molotov to Stalin' and 'Telegram from Stalin to
  Molotov' (a reply on the same day) are two documents, and so are titles whose differing
  words are other words ('... in Tabriz' / '... in Tehran', '... to Bagirov' / '... to Stalin').

Titles the same once folded are possible duplicates whatever their length ('Letter' on the
same day); a title sharing fewer than three words is otherwise never one. The score shown is
the rapidfuzz similarity (ratio) of the folded titles, 0-100: it orders the candidates and says
how close they are, but no threshold on one score separates the table. By token_set_ratio
'Record of conversation between Molotov and Qavam' / '... V. M. Molotov and Prime Minister
Qavam' (a duplicate) scores 100, and so does the reversed 'Telegram from Molotov to Stalin' /
'... from Stalin to Molotov' (not one); by ratio the first scores 81 and '... the Situation in
Tabriz' / '... in Tehran' (not one) 89. Hence the rule above, and a score only as a first look.

Queries. `DuplicateFinder.find(rows)` reads, for a batch of rows, the records whose bounds are
those of a row (date_start IN ... AND date_end IN ..., by the `document_date_range` index on
date_start, date_end), the undated records once per import when a row is undated, and the
records with one of the rows' titles exactly (the `document_title` index): three queries at
most per batch, no new index needed. Measured with 100,000 records on SQLite (of which 85 %
single days, 7 % years, 3 % undated) and batches of 1,000 rows, a third repeating a record with
its date written otherwise, on 2 shared cores: 1.1 to 1.4 s per batch (0.65 to 1.1 CPU s, of
which 0.45 s reading the 12,000 records of the rows' dates), 3 queries; on PostgreSQL 1.4 to
1.9 s (0.5 to 0.65 CPU s) (`python benchmarks/authorities.py records`).

May import `documents.models` and `documents.parsing`.
"""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz, process
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
# The first look: titles less alike than this (rapidfuzz token_set_ratio of the folded words)
# are not compared word by word. The possible duplicates of the table score 93 or more.
FIRST_LOOK = 70
# Records of one date beyond which the first look is done by rapidfuzz for all of them at once.
MANY = 50
_YEAR = re.compile(r"^(1[0-9]|20)[0-9]{2}$")
# Values in one `IN (...)` (SQLite allows 32,766 parameters).
IN_CHUNK = 2_000  # bounds: two values each


@dataclass(frozen=True)
class Row:
    """A row of an import as the rule reads it: its number, title and normalised date.

    `start` and `end` are the bounds of the date (None, None: undated, which is also how a
    row of a file without a date column is compared, as the record it creates would be);
    `date` is the date as the preview shows it (the text written, else the EDTF)."""

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


@lru_cache(maxsize=100_000)
def title_words(title):
    """The folded words of a title that tell it apart (see the module docstring)."""
    words = (text_rules.name_key(piece) for piece in title.split())
    return tuple(w for piece in words for w in piece.split() if w not in TITLE_SMALL_WORDS)


@lru_cache(maxsize=100_000)
def _kin(x, y):
    """How word `x` is word `y` spelled otherwise: 'same', 'year', 'spelled', or None."""
    if x == y:
        return "same"
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
    if fuzz.token_set_ratio(" ".join(a), " ".join(b)) < FIRST_LOOK:
        return None
    spelled, years = [], []
    added = ([], [])  # words only `title` has, words only `other` has
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
            if kind != "same":
                (years if kind == "year" else spelled).append((x, y))
        added[len(xs) < len(ys)].extend(rest)
    if added[0] and added[1]:
        return None  # words one has instead of words the other has: other words
    more = added[0] or added[1]
    moved = set(more) & (set(a) & set(b))
    if moved or shared < MIN_SHARED or shared < len(more):
        return None
    return TitleMatch(tuple(spelled), tuple(years), tuple(more))


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


@lru_cache(maxsize=100_000)
def numbers(title):
    """The numbers of a title other than years ('No. 12' / 'Report 7'): two titles whose
    numbers are not one within the other differ ('No. 12' / 'No. 13'), so only these meet."""
    return frozenset(w for w in title_words(title) if w.isdigit() and not _YEAR.match(w))


class _Group:
    """Records or rows of one date: (document id, record ID, row number, title, date shown),
    indexed by the numbers of their titles, and, once a first look needs them, the folded
    words of each title.

    Only items whose numbers are within the title's, or hold them, can be its duplicates (see
    `compare_titles`), so a file of numbered reports of one day ('Report number 30007 on
    ...') compares each row with a few, not with all: measured on 3,000 such rows in batches
    of 1,000, 0.13 CPU s instead of 90.7 (the first look alone passes them all)."""

    def __init__(self):
        self.items, self.keys = [], []
        self.plain = []  # indexes of items without numbers
        self.by_number = {}  # number -> indexes of items holding it

    def add(self, item):
        index = len(self.items)
        self.items.append(item)
        found = numbers(item[3])
        if not found:
            self.plain.append(index)
        for number in found:
            self.by_number.setdefault(number, []).append(index)

    def alike(self, title):
        """The items whose titles pass the first look (all of them when they are few)."""
        wanted = numbers(title)
        if wanted:
            indexes = set(self.plain)
            for number in wanted:
                indexes.update(self.by_number.get(number, ()))
            indexes = sorted(
                i
                for i in indexes
                if (found := numbers(self.items[i][3])) <= wanted or wanted <= found
            )
        else:
            indexes = range(len(self.items))
        if len(indexes) <= MANY:
            return [self.items[i] for i in indexes]
        self.keys += [" ".join(title_words(item[3])) for item in self.items[len(self.keys) :]]
        found = process.extract(
            " ".join(title_words(title)),
            [self.keys[i] for i in indexes],
            scorer=fuzz.token_set_ratio,
            score_cutoff=FIRST_LOOK,
            # The closest MANY only: a row of one day alike to thousands (a file of reports
            # differing in a year-like number) is compared with its nearest, never all.
            limit=MANY,
        )
        return [self.items[indexes[position]] for _key, _score, position in found]


class DuplicateFinder:
    """Finds the possible duplicates of an import's rows, batch by batch.

    Keeps the rows it was given, so a later row (in this batch or a later one) finds an
    earlier row of the same file. `exclude` are ids of records never to propose (say, those
    rows of the file update by record ID)."""

    def __init__(self, *, exclude=()):
        self.exclude = set(exclude)
        self._rows = {}  # (start, end) -> _Group of the rows seen so far
        self._undated = None  # _Group of the undated records, once read

    def find(self, rows):
        """{row number: [Match, best first]} for the rows that may repeat a record or a row.

        Three queries at most per batch; about a millisecond per row (see the module
        docstring)."""
        rows = list(rows)
        records = self._records_dated({(r.start, r.end) for r in rows if r.start})
        by_title = self._records_titled({r.title for r in rows if r.start == r.end and r.start})
        if any(r.start is None for r in rows) and self._undated is None:
            self._undated = _Group()
            for pk, record_id, title, text, edtf in (
                Document.objects.filter(date_start__isnull=True)
                .order_by()
                .values_list("pk", "record_id", "title", "date_text", "date_edtf")
            ):
                if pk not in self.exclude:
                    self._undated.add((pk, record_id, None, title, _shown(text, edtf)))
        found = {}
        for row in rows:
            bounds = (row.start, row.end)
            same_date = self._undated if row.start is None else records.get(bounds, _Group())
            earlier = self._rows.setdefault(bounds, _Group())
            matches = []
            for group in (same_date, earlier):
                for pk, record_id, number, title, shown in group.alike(row.title):
                    match = compare_titles(row.title, title)
                    if match is not None:
                        matches.append(self._match(row, match, pk, record_id, number, title, shown))
            if row.start is not None and row.start == row.end:
                matches += self._other_year(
                    row, by_title.get(row.title, ()), {m.document_id for m in matches}
                )
            earlier.add((None, None, row.number, row.title, row.date))
            if matches:
                found[row.number] = sorted(
                    matches, key=lambda m: (-m.score, m.row or 0, m.record_id or 0)
                )
        return found

    def _records_dated(self, bounds):
        """{(first day, last day): _Group} of the records with these bounds."""
        found = {}
        bounds = sorted(bounds)
        for start in range(0, len(bounds), IN_CHUNK):
            chunk = bounds[start : start + IN_CHUNK]
            rows = (
                Document.objects.filter(
                    date_start__in={first for first, _last in chunk},
                    date_end__in={last for _first, last in chunk},
                )
                .order_by()
                .values_list(
                    "pk", "record_id", "title", "date_text", "date_edtf", "date_start", "date_end"
                )
            )
            wanted = set(chunk)
            for pk, record_id, title, text, edtf, first, last in rows:
                if pk not in self.exclude and (first, last) in wanted:
                    group = found.setdefault((first, last), _Group())
                    group.add((pk, record_id, None, title, _shown(text, edtf)))
        return found

    def _records_titled(self, titles):
        """{title: [(pk, record_id, date shown, first day, last day)]} of the single days."""
        found = {}
        titles = sorted(titles)
        for start in range(0, len(titles), IN_CHUNK):
            rows = (
                Document.objects.filter(title__in=titles[start : start + IN_CHUNK])
                .order_by()
                .values_list(
                    "pk", "record_id", "title", "date_text", "date_edtf", "date_start", "date_end"
                )
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
            if DamerauLevenshtein.distance(str(day.year), str(row.start.year)) != 1:
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
    # HTML of a long text's word diff from the record's to the row's, set by who shows it.
    inline: str = field(default="", compare=False)


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
