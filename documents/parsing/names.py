"""The text rules of the person-matching policy: folding names into keys and comparing keys.

Pure functions on strings, no database. What the keys mean, and which grade of match each
rule gives, is described once, in the policy's docstring (`documents.authorities.matching`);
the comments here only say how each step is done.
"""

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Keys are stored in columns of this length (Person.name_key, PersonName.sound_key, ...).
KEY_LENGTH = 200

# Apostrophes, ayin/hamza marks and quotes that transliterations add or drop.
_MARKS = re.compile(r"['’‘`´ʼʻʹʾʿ\"“”]")
_NON_ALNUM = re.compile(r"[\W_]+")
# Letters that only Azerbaijani or Turkish Latin writes; a word holding one is read as such.
_TURKIC_ONLY = re.compile("[əğışç]")
# How Azerbaijani and Turkish Latin letters are written in English (ə as in Əliyev / Aliyev;
# c and x are j and kh there: Cəfər / Jafar, Xəlil / Khalil).
_TURKIC = str.maketrans(
    {"ə": "a", "ğ": "g", "ı": "i", "ş": "sh", "ç": "ch", "c": "j", "x": "kh", "ö": "o", "ü": "u"}
)

# Words that join parts of a Persian or Arabic name and are written many ways
# (Qavam-os-Saltaneh, Qavam al-Saltaneh, Vosugh od-Dowleh, Vossugh-ed-Dowleh).
_ARTICLES = frozenset(
    "al el ol ul os es us as ad ed od ud ash esh osh ot et at oz ez an en on ar er or ur".split()
)
# Forenames whose English and Russian forms differ by more than spelling (Joseph / Iosif).
_FORENAMES = {
    "joseph": "iosif",
    "josef": "iosif",
    "jacob": "yakov",
    "michael": "mikhail",
    "alexander": "aleksandr",
    "alexandr": "aleksandr",
    "george": "georgy",
    "peter": "pyotr",
    "petr": "pyotr",
    "paul": "pavel",
    "nicholas": "nikolai",
    "andrew": "andrei",
    "gregory": "grigory",
    "eugene": "evgeny",
}
# Letter groups that different transliteration systems write differently; applied in order.
_TRANSLITERATIONS = [
    ("tsch", "c"),
    ("shch", "s"),
    ("sch", "s"),
    ("tch", "c"),
    ("dzh", "j"),
    ("zh", "z"),
    ("dj", "j"),
    ("kh", "h"),
    ("gh", "q"),
    ("ch", "c"),
    ("sh", "s"),
    ("ph", "f"),
    ("ck", "q"),
    ("x", "h"),
    ("k", "q"),
    ("g", "q"),
    ("w", "v"),
    ("y", "i"),
    ("ou", "u"),
    ("ei", "i"),
]
_C_AS_J = re.compile(r"c(?![hkz])")  # Azerbaijani c read without its letters: Cefer / Jafar
_FINAL_H = re.compile(r"(?<=[aeiou])h$")  # Persian -eh / -ah: Saltaneh / Saltana
_SILENT_H = re.compile(r"(?<=.e)h(?=[^aeiou])")  # Persian -eh- inside a word: Pishehvari
_INITIAL_E = re.compile(r"^(?:[yi]?e)")  # Russian Е, Persian e/i: Yezhov / Ezhov, Ebrahim / Ibrahim
_VOWELS = re.compile(r"[aeiou]")
_REPEATS = re.compile(r"(.)\1+")


def name_key(name):
    """Fold case, scripts, diacritics, apostrophes and punctuation: equal keys are one name."""
    words = []
    for word in name.casefold().split():
        if _TURKIC_ONLY.search(word):
            word = word.translate(_TURKIC)
        words.append(word)
    folded = anyascii(unicodedata.normalize("NFC", " ".join(words))).casefold()
    return _NON_ALNUM.sub(" ", _MARKS.sub("", folded)).strip()[:KEY_LENGTH]


def natural_order(name):
    """'Surname, Forenames' as 'Forenames Surname'; any other name as it is."""
    surname, comma, forenames = name.partition(",")
    if comma and name_key(surname) and name_key(forenames):
        return f"{forenames} {surname}"
    return name


def sound_key(name):
    """The name in natural order, transliteration differences folded too."""
    words = name_key(natural_order(name)).split()
    if len(words) > 1:
        words = [w for w in words if w not in _ARTICLES] or words
    return " ".join(_sound(word) for word in words)[:KEY_LENGTH]


def _sound(word):
    word = _FORENAMES.get(word, word)
    word = _SILENT_H.sub("", _FINAL_H.sub("", word))
    word = _C_AS_J.sub("j", _INITIAL_E.sub("i", word))
    for written, spoken in _TRANSLITERATIONS:
        word = word.replace(written, spoken)
    # Vowels are where transliterations disagree most (Pishevari / Pishavari); keep the first.
    word = word[:1] + _VOWELS.sub("", word[1:])
    return _REPEATS.sub(r"\1", word)


def parts(sound):
    """Every run of whole words of a sound key, the key itself included."""
    words = sound.split()
    return {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


def likely_same(a, b):
    """Whether two different sound keys are likely one person's (see the policy's LIKELY)."""
    if not a or not b or a == b:
        return bool(a) and a == b
    if f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return True
    first, last = _split(a)
    other_first, other_last = _split(b)
    return last == other_last and _forenames_agree(first, other_first)


# An import compares each new name with every name of its surname (hundreds, for a common one):
# a key is split once, not once per pair of names.
@lru_cache(maxsize=50_000)
def _split(sound):
    """(the forenames, the surname) of a sound key."""
    *first, last = sound.split()
    return tuple(_forenames(first)), last


def contradicts(a, b):
    """Whether two sound keys end in one surname and both give forenames that disagree."""
    *first, last = a.split() or [""]
    *other_first, other_last = b.split() or [""]
    first, other_first = _forenames(first), _forenames(other_first)
    return (
        last == other_last
        and bool(first)
        and bool(other_first)
        and not _forenames_agree(first, other_first)
    )


def _forenames(words):
    """The words before a surname that are forenames: titles and ranks left out."""
    return [word for word in words if word not in _TITLES]


def _forenames_agree(first, other):
    """Whether forenames may be one person's: one list's, in order, among the other's."""
    if "".join(first) == "".join(other):  # Mirjafar / Mir Jafar
        return True
    short, long = sorted((first, other), key=len)
    remaining = iter(long)
    return all(any(_same_forename(word, o) for o in remaining) for word in short)


def _same_forename(a, b):
    """The same forename, or an initial (a one-letter word) and a forename it may stand for."""
    if len(a) > 1 and len(b) > 1:
        return a == b
    return any(
        len(initial) == 1 and other[0] in _INITIALS.get(initial, initial)
        for initial, other in ((a, b), (b, a))
    )


# Titles and ranks written before a name (General Derakhshani), as sound keys write them.
_TITLES = frozenset(
    _sound(title)
    for title in "general generalissimo marshal colonel prince princess comrade cde".split()
)

# Initials that stand for forenames beginning with another letter too: J. for Iosif (Joseph),
# Iakov and Yakov (Jakob), as sound keys write Ya- as i; D. for Dzhafar (Jafar), as Russian
# initials write Dzh- (sound keys write it j).
_INITIALS = {"j": "ji", "d": "dj"}
