"""Match people's names the way curators read them.

Two spellings are the same name when they differ only in case, diacritics, apostrophes,
punctuation or spacing ("Ja'far Pishevari" / "Jafar Pishevari"). They are a *likely* match
when they also differ by a common transliteration of Persian, Azerbaijani or Russian names
("Ghavam" / "Qavam", "Pishevari" / "Pishavari", "Mohammed" / "Mohammad"): a curator decides.
"""

import re
import unicodedata

# Apostrophes, ayin/hamza marks and quotes that transliterations add or drop.
_MARKS = re.compile(r"['’‘`´ʼʻʹʾʿ\"“”]")
_NON_ALNUM = re.compile(r"[\W_]+")
# Latin letters that Unicode does not decompose into a base letter plus a mark.
_FOLD = str.maketrans({"ə": "e", "ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae"})

# Letter groups that different transliteration systems write differently; applied in order.
_TRANSLITERATIONS = [
    ("gh", "q"),
    ("kh", "x"),
    ("ch", "c"),
    ("sh", "s"),
    ("zh", "z"),
    ("dj", "j"),
    ("ph", "f"),
    ("ck", "k"),
    ("ou", "u"),
    ("ei", "i"),
    ("k", "q"),
    ("w", "v"),
    ("y", "i"),
]
_VOWELS = re.compile(r"[aeiou]")
_REPEATS = re.compile(r"(.)\1+")


def name_key(name):
    """Fold case, diacritics, apostrophes and punctuation: equal keys are the same name."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    without_marks = _MARKS.sub("", without_marks)
    return _NON_ALNUM.sub(" ", without_marks).strip()


def sound_key(name):
    """Fold common transliteration differences too: equal keys are likely the same name."""
    words = []
    for word in name_key(name).split():
        for written, spoken in _TRANSLITERATIONS:
            word = word.replace(written, spoken)
        # Vowels are where transliterations disagree most (Pishevari / Pishavari); keep the first.
        word = word[:1] + _VOWELS.sub("", word[1:])
        words.append(_REPEATS.sub(r"\1", word))
    return " ".join(words)
