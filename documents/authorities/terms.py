"""Which vocabulary entry a written value means: the archive's one policy for subjects, places,
collections, repositories, funders and other organizations, document types, classifications
and languages.

Owns deciding, for a value written in a spreadsheet cell (or a form), which entry of a
controlled vocabulary it names, and when it only nearly names one, which question to ask and
which answer to propose. The importer builds one `TermMatcher` per vocabulary per import from
the entries (`Entry`: id, display name, and every other text that finds the entry: slug,
abbreviation, code, other names) and asks `decide(value)` for every distinct value. This
docstring is the one description of the rule; tests/authorities/term_pairs.py is the table of
real pairs it is held to, in both directions.

Keys. A text is folded as a person's name is (`documents.parsing.names.name_key`): case,
spacing, punctuation and hyphens, apostrophes, diacritics, Azerbaijani and Turkish letters and
other scripts (anyascii) do not count. Its *words* are the folded words without the small words
of, the, a, an, and, in, on, at, for, to, each in its singular form (concessions: concession,
parties: party).

Decisions. A written value is

- the SAME entry, grade `SAME`, when it is, character for character (spaces around it aside),
  one of the entry's names; grade `FOLDED` when only its folded key is that of one of the
  entry's names ('tudeh party of IRAN', 'Iran–Soviet relations', 'Bakı' for 'Baki'): linked
  all the same, and listed for a curator to check (`TermDecision.please_check`);
- AMBIGUOUS when that text or key is several entries' (two collections of one title);
- NEAR (a question, never a silent new entry) when it is none of them but differs from one of
  an entry's names in one of the ways below. Each way either proposes to *link* the entry (the
  value is a spelling of it) or to *create* a new entry (a real difference is likely):

  link, a spelling of the entry:
    * only small words, plurals or word order differ ('Oil concession', 'Iran Crisis of 1946'
      for 'Iran Crisis, 1946', 'Soviet-Iranian relations' for 'Iranian-Soviet relations');
    * only the spacing of the letters differs ('AVPRF' for 'AVP RF');
    * one word differs by one letter (added, dropped, changed or two swapped) in a word of six
      letters or more, not its first ('Teheran' / 'Tehran', 'Tebriz' / 'Tabriz'), or is
      another transliteration of it (the person policy's sound key of the word: q/k/g/gh,
      kh/h, y/i, doubled letters, vowels after the first), six letters or more
      ('Kazvin' / 'Qazvin', 'Azerbaydzhan' / 'Azerbaijan', 'Kordestan' / 'Kurdistan');
    * in a name of several words, one word is shortened or lengthened from its start or is an
      abbreviation keeping its first letter ('Carnegie Corp.' for 'Carnegie Corporation',
      'Iran-Soviet Relations' / 'Iranian-Soviet Relations', 'Cde.' / 'Comrade');
    * one is the other's first words (the first equal, the others equal or abbreviated as
      above) followed by a *qualifier*: words after a comma, a parenthesis, a bracket or a
      colon, or after 'of', 'in', 'for', 'at' or 'on' ('Tudeh Party' / 'Tudeh Party of Iran',
      'Carnegie Corp.' / 'Carnegie Corporation of New York', 'Azerbaijan Crisis' /
      'Azerbaijan Crisis, 1945-1946', 'Tabriz' / 'Tabriz (Iran)'); words after '--' are a
      subdivision, not a qualifier ('Soviet Union--Foreign relations' is not 'Soviet Union'),
      and a single word is shortened only from before a punctuation mark ('Ministry' is not
      'Ministry of Foreign Affairs');
    * one is a single word written in capitals that are the initials of the other's words
      ('CWIHP' / 'Cold War International History Project', 'AVP RF' read as 'AVPRF');

  create, probably a different entry, asked because it may be a typing error:
    * one letter differs in a word of fewer than six letters, or a short word is another
      transliteration ('Iran' / 'Iraq', 'Gilan' / 'Golan', 'Rasht' / 'Resht', 'Baku' / 'Baki');
    * one digit of a number differs ('Azerbaijan Crisis, 1945-1946' / '..., 1945-1947');

  and across vocabularies: a value whose folded key is the name of an entry of a vocabulary
  the matcher is told to look in as well (`also`: the subjects' matcher looks in the places)
  is that entry, proposed as the link ('Tabriz' written as a subject is the place Tabriz),
  before any near entry of the matcher's own vocabulary. When several entries would each be
  linked, the proposed answer is to create, and the candidates are the question;
- NEW otherwise. A word differing in its first letter is another name ('Baku' / 'Maku',
  'Russia' / 'Prussia'), two differing words are other words ('Democratic Party of Iran' /
  'Azerbaijan Democratic Party'), different numbers of more than one digit are different
  entries ('Five-Year Plan, 1946-1950' / '..., 1951-1955'), and a single word is not a name
  it begins ('Iran' / 'Iran-Soviet Relations').

Every rule is symmetric: whichever of two texts is written and whichever stored, the decision
between them is the same.

Speed. Entries are indexed by keys that every pair the rules accept share (the words with
one of them replaced by each one-letter deletion of it, by its sound key or by its first
letter; the words sorted; the letters without spaces; the first word; the initials), so
`decide` compares a value with a handful of entries, never all of them; a test compares the
index with comparing every entry. Measured with 5,000 entries of one to four words and 10,000
distinct values (a third new, a third near an entry, a third folded variants) on 2 shared
cores: building the matcher 0.5 CPU s (1.2 s), deciding the 10,000 values 0.9 to 1.0 CPU s
(2.2 to 2.6 s), about 100 µs a value, where comparing each value with every entry would take
16 ms a value, 165 s in all (`python benchmarks/authorities.py terms`).

May import `documents.parsing`.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein

from documents.parsing import names as text_rules

# Decisions.
SAME = "same"
AMBIGUOUS = "ambiguous"
NEAR = "near"
NEW = "new"
# Grades of a match: SAME, NEAR, and this one.
FOLDED = "folded"
# Proposed answers to a NEAR question.
LINK = "link"
CREATE = "create"

# Words that do not tell two names apart.
SMALL_WORDS = frozenset("of the a an and in on at for to".split())
# Words after which the rest of a name qualifies it ('Tudeh Party of Iran').
QUALIFYING_WORDS = frozenset("of in for at on".split())
# A word of fewer letters differing by one letter is probably another word (Iran / Iraq).
SHORT_WORD = 6
_QUALIFIER_MARK = re.compile(r"[,(\[:]")
_SUBDIVISION = re.compile(r"--|—")
_CAPITALS = re.compile(r"^[A-Z]{2,8}$")


@dataclass(frozen=True)
class Entry:
    """A vocabulary entry: its id, the name it is shown by, and its other names.

    `names` are every other text that finds it: slug, abbreviation, code, and the other names
    (`documents.models.base.split_names(entry.other_names)`)."""

    id: int
    name: str
    names: tuple = ()

    def all_names(self):
        return tuple(dict.fromkeys(n.strip() for n in (self.name, *self.names) if n.strip()))


@dataclass(frozen=True)
class Difference:
    """How a written value differs from a name: a sentence, and whether it proposes a link."""

    reason: str
    link: bool


@dataclass(frozen=True)
class Candidate:
    """An entry a NEAR value may mean.

    `vocabulary` is the label of the vocabulary it is in (another one for a cross-vocabulary
    candidate: 'place' in the subjects' matcher); `matched` is the entry's name the value was
    compared with; `reason` says how they differ, in a sentence; `link` whether that difference
    proposes linking."""

    vocabulary: str
    id: int
    name: str
    matched: str
    reason: str
    link: bool


@dataclass(frozen=True)
class TermDecision:
    """What a written value means: `kind` (SAME, AMBIGUOUS, NEAR or NEW), which entries, how.

    `candidates` are the entry (SAME), the entries sharing the text (AMBIGUOUS) or the
    entries it may mean (NEAR): the proposed one first, then those a link is proposed for.
    `grade` is SAME or FOLDED for SAME and AMBIGUOUS, NEAR for NEAR, "" for NEW. `proposed`
    is LINK or CREATE for NEAR ("" else); a LINK proposal links `proposal`."""

    kind: str
    value: str
    grade: str = ""
    candidates: tuple = ()
    proposed: str = ""

    @property
    def id(self):
        """The entry's id when SAME, else None."""
        return self.candidates[0].id if self.kind == SAME else None

    @property
    def please_check(self):
        """Whether the value was linked on folded keys alone, for a curator to look at."""
        return self.kind == SAME and self.grade == FOLDED

    @property
    def proposal(self):
        """The candidate the proposed answer links (the first), or None."""
        return self.candidates[0] if self.proposed == LINK else None


# Texts ---------------------------------------------------------------------------------------

fold = lru_cache(maxsize=50_000)(text_rules.name_key)


@lru_cache(maxsize=50_000)
def _word_sound(word):
    return text_rules.sound_key(word)


def singular(word):
    """An English plural word in its singular form: concessions, parties, churches."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class _Text:
    """A name read for comparing: its key, its words, where its qualifier starts, its caps."""

    key: str
    words: tuple
    qualifier_at: int | None  # index in `words` of the first word of a qualifier
    qualifier_marked: bool  # whether it follows a punctuation mark (not 'of', 'in', ...)
    capitals: str  # the name if it is one word in capitals ('RGASPI'), else ""
    initials: tuple = field(default=())


@lru_cache(maxsize=50_000)
def read(text):
    """`text` read for comparing (see the module docstring for words and qualifiers)."""
    text = text.strip()
    words, qualifier_at, qualifier_marked, all_words = [], None, False, []
    main = _SUBDIVISION.split(text)
    # Words of the text in order, noting where a qualifier starts.
    pieces = re.split(r"([,(\[:])", main[0])
    after_mark = False
    for piece in pieces:
        if _QUALIFIER_MARK.fullmatch(piece):
            after_mark = True
            continue
        previous_small = False
        for word in fold(piece).split():
            all_words.append(word)
            if word in SMALL_WORDS:
                previous_small = previous_small or word in QUALIFYING_WORDS
                continue
            if (after_mark or previous_small) and words and qualifier_at is None:
                qualifier_at, qualifier_marked = len(words), after_mark
            after_mark = previous_small = False
            words.append(singular(word))
    for rest in main[1:]:
        folded = fold(rest).split()
        all_words += folded
        words += [singular(w) for w in folded if w not in SMALL_WORDS]
    if not words:  # a name of small words only is its words
        words = [singular(w) for w in fold(text).split()]
    letters = text.replace(" ", "")
    capitals = letters if _CAPITALS.match(letters) else ""
    initials = ()
    if len(all_words) > 1:
        initials = tuple(
            {"".join(w[0] for w in all_words), "".join(w[0] for w in words if w)} - {""}
        )
    return _Text(fold(text), tuple(words), qualifier_at, qualifier_marked, capitals, initials)


def _deletions(word):
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def keys(text):
    """The index keys of `text`: two texts the rules find near share at least one."""
    t = read(text)
    words = t.words
    found = {("sorted", " ".join(sorted(words))), ("letters", "".join(words))}
    for i, word in enumerate(words):
        # A string: its hash is computed once, not once per key holding it.
        skeleton = " ".join(words[:i] + ("*",) + words[i + 1 :])
        found.update(("one", skeleton, variant) for variant in _deletions(word))
        found.add(("sound", skeleton, _word_sound(word)))
        if len(words) > 1:
            found.add(("abbreviated", skeleton, word[:1]))
    if len(words) > 1:
        found.add(("start", words[0], words[1][:1]))
    head = words[: t.qualifier_at] if t.qualifier_at else words
    if len(head) == 1:
        found.add(("head", head[0]))
    found.update(("initials", i) for i in t.initials)
    if t.capitals:
        found.add(("initials", t.capitals.lower()))
    return found


# The rule ------------------------------------------------------------------------------------


def _quote(words):
    return " ".join(words)


def _word_difference(x, y, several_words):
    """How two different singular words differ, or None when they are other words."""
    if any(c.isdigit() for c in x + y):
        if x.isdigit() and y.isdigit() and DamerauLevenshtein.distance(x, y) == 1:
            return Difference(f"The numbers '{x}' and '{y}' differ by one digit.", link=False)
        return None
    shortest = min(len(x), len(y))
    one_letter = x[0] == y[0] and DamerauLevenshtein.distance(x, y) == 1
    sounds_alike = _word_sound(x) == _word_sound(y)
    if one_letter and shortest >= SHORT_WORD:
        return Difference(f"The words '{x}' and '{y}' differ by one letter.", link=True)
    if sounds_alike and shortest >= SHORT_WORD:
        return Difference(f"'{x}' and '{y}' are transliterations of one word.", link=True)
    if several_words and abbreviates(x, y):
        return Difference(f"'{x}' and '{y}' may be one word, one of them shortened.", link=True)
    if one_letter:
        return Difference(
            f"The words '{x}' and '{y}' differ by one letter, but short words that do are "
            "often different names.",
            link=False,
        )
    if sounds_alike:
        return Difference(
            f"'{x}' and '{y}' may be transliterations of one word, but short words that sound "
            "alike are often different names.",
            link=False,
        )
    return None


def abbreviates(x, y):
    """Whether one word is the other's start, or its letters in order keeping the first."""
    short, long = sorted((x, y), key=len)
    if short[0] != long[0] or len(short) < 3:
        return False
    if long.startswith(short):
        return True
    rest = iter(long[1:])
    return len(short) <= 4 and all(letter in rest for letter in short[1:])


def compare(written, name):
    """How `written` differs from `name` if the rule finds them near, else None.

    Texts with the same folded key are not compared (they are the same entry)."""
    a, b = read(written), read(name)
    if a.key == b.key or not a.key or not b.key:
        return None
    if a.words == b.words:
        return Difference("Only small words, plurals or punctuation differ.", link=True)
    if len(a.words) == len(b.words):
        found = _same_length(a.words, b.words)
        if found is not None:
            return found
    if sorted(a.words) == sorted(b.words):
        return Difference("The same words are in another order.", link=True)
    if "".join(a.words) == "".join(b.words):
        return Difference("Only the spacing differs.", link=True)
    if len(a.words) != len(b.words):
        short, long = sorted((a, b), key=lambda t: len(t.words))
        found = _qualified(short, long)
        if found is not None:
            return found
    return _initials(a, b) or _initials(b, a)


def _same_length(words, other):
    differing = [(x, y) for x, y in zip(words, other, strict=True) if x != y]
    if len(differing) != 1:
        return None
    return _word_difference(*differing[0], several_words=len(words) > 1)


def _qualified(short, long):
    """`short` as `long`'s first words followed by a qualifier (see the docstring)."""
    n = len(short.words)
    if long.qualifier_at != n or short.words[0] != long.words[0]:
        return None
    if n == 1 and not long.qualifier_marked:
        return None  # 'Ministry' is not 'Ministry of Foreign Affairs'.
    for x, y in zip(short.words[1:], long.words[1:n], strict=True):
        if x != y and not abbreviates(x, y):
            return None
    qualifier = _quote(long.words[n:])
    return Difference(
        f"One is the other's first words, and the other adds '{qualifier}' to them.", link=True
    )


def _initials(capitals, other):
    if capitals.capitals and capitals.capitals.lower() in other.initials:
        return Difference(
            f"'{capitals.capitals}' are the initials of the other's words.", link=True
        )
    return None


# The matcher ---------------------------------------------------------------------------------


class TermMatcher:
    """Decides which entries of one vocabulary written values mean; built once per import.

    `label` names the vocabulary in candidates ('subject'); `entries` are `Entry`s; `also`
    are matchers of other vocabularies whose entries a value of this one may name (the
    subjects' matcher is given the places'). `add(entry)` counts an entry created meanwhile
    (with a negative id, say) among those later values may mean."""

    def __init__(self, label, entries, *, also=()):
        self.label = label
        self.also = tuple(also)
        self.entries = {}
        self.exact = {}  # name as written -> ids
        self.folded = {}  # folded key -> ids
        self.index = {}  # key -> [(id, name)]
        # Decisions already taken, by value: an import's cells name the same entries again and
        # again. Cleared when an entry is added here or to a matcher of `also`.
        self.decided = {}
        self.decided_when = None  # (entries added here, to each of `also`) when `decided` began
        self.added = 0
        for entry in entries:
            self.add(entry)

    def add(self, entry):
        self.added += 1
        self.entries[entry.id] = entry
        for name in entry.all_names():
            self.exact.setdefault(name, set()).add(entry.id)
            key = fold(name)
            if not key:
                continue
            self.folded.setdefault(key, set()).add(entry.id)
            item = (entry.id, name)
            for index_key in keys(name):
                self.index.setdefault(index_key, []).append(item)

    def decide(self, value):
        """The `TermDecision` for `value` (NEW for a value with no letters or digits)."""
        now = (self.added, *(other.added for other in self.also))
        if self.decided_when != now:
            self.decided, self.decided_when = {}, now
        decision = self.decided.get(value)
        if decision is None:
            decision = self.decided[value] = self._decide(value)
        return decision

    def _decide(self, value):
        value = value.strip()
        key = fold(value)
        if not key:
            return TermDecision(NEW, value)
        same = self.same(value)
        if same is not None:
            return same
        near = {}
        found = set()
        for index_key in keys(value):
            found.update(self.index.get(index_key, ()))
        for pid, name in sorted(found):
            difference = compare(value, name)
            if difference is None:
                continue
            best = near.get(pid)
            if best is None or (difference.link and not best.link):
                entry = self.entries[pid]
                near[pid] = Candidate(
                    self.label, pid, entry.name, name, difference.reason, difference.link
                )
        for other in self.also:
            found = other.same(value)
            if found is not None and found.kind == SAME:
                entry = found.candidates[0]
                near[(other.label, entry.id)] = Candidate(
                    other.label,
                    entry.id,
                    entry.name,
                    entry.matched,
                    f"'{value}' is the name of the {other.label} '{entry.name}'.",
                    link=True,
                )
        if not near:
            return TermDecision(NEW, value)
        candidates = sorted(near.values(), key=lambda c: (not c.link, c.name, c.id))
        # An entry of another vocabulary named exactly is a surer answer than a near one.
        equal = [c for c in candidates if c.vocabulary != self.label]
        linked = equal or [c for c in candidates if c.link]
        if len(linked) == 1:
            candidates.remove(linked[0])
            candidates.insert(0, linked[0])
        proposed = LINK if len(linked) == 1 else CREATE
        return TermDecision(NEAR, value, NEAR, tuple(candidates), proposed=proposed)

    def same(self, value):
        """The SAME or AMBIGUOUS decision for `value`, or None when no entry has its key."""
        value = value.strip()
        ids = self.exact.get(value)
        grade = SAME
        if not ids:
            ids, grade = self.folded.get(fold(value)), FOLDED
        if not ids:
            return None
        candidates = tuple(
            Candidate(self.label, pid, self.entries[pid].name, self._matched(pid, value), "", True)
            for pid in sorted(ids)
        )
        return TermDecision(SAME if len(ids) == 1 else AMBIGUOUS, value, grade, candidates)

    def _matched(self, pid, value):
        key = fold(value)
        names = self.entries[pid].all_names()
        return next((n for n in names if n == value), None) or next(
            (n for n in names if fold(n) == key), self.entries[pid].name
        )
