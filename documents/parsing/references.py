"""Archival references to former-Soviet archives, read as curators write them.

A reference such as "RGASPI, f. 558, op. 11, d. 317, ll. 0069-0072" names the
repository (RGASPI), then the fond (collection), opis (inventory), delo (file)
and listy (folios). The labels come abbreviated or spelled out, in Latin
transliteration or in Cyrillic; values are kept exactly as written, leading
zeros and "ob." (verso) included, because they are quoted back in citations.

A citation is kept as the curator wrote it, repository and all ("REPO AzR, f. 1, ..." stays so):
`leading_name` finds the repository a text begins with, without rewriting the text, and
`cited_as` is the one rule for how a citation is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from documents.parsing.names import name_key

__all__ = [
    "ArchivalReference",
    "cited_as",
    "leading_name",
    "parse_reference",
    "split_source",
    "within_repository",
]


@dataclass(frozen=True)
class ArchivalReference:
    """The fond, opis, delo and folios of an archival reference; empty when not given."""

    fond: str = ""
    opis: str = ""
    delo: str = ""
    folios: str = ""


# Longer labels come first so that "fond" is not read as "f" followed by "ond".
_LABELS = {
    "delo": r"ed\.?\s*khr\.?|ед\.?\s*хр\.?",  # edinitsa khraneniia, a storage unit: the file
    "fond": r"fonds?|фонд|f\.?|ф\.?",
    "opis": r"opis['’]?|опись|op\.?|оп\.?|perechen['’]?|per\.?|переч\.?",
    "folios": r"listy|list|ll\.?|l\.?|листы|лист|лл\.?|л\.?",
}
_LABELS["delo"] += r"|delo|дело|d\.?|д\.?"

# A label counts only where a value follows: a number, perhaps behind a short
# letter prefix as in "f. R-9401". This keeps prose such as "Archiv d. Bundes"
# or "vol. 3" from being read as reference parts.
_LABEL_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _LABELS.items())
    + r")(?=\s*(?:[^\W\d_]{1,3}-?)?\d)",
    re.IGNORECASE,
)
# Folio lists may contain commas ("ll. 12, 14-15"), so they end only at a
# semicolon or a sentence break; the other parts end at the first comma. A
# period before another folio number is "ob." (verso) inside the list, as in
# "ll. 1 ob. - 2 ob.", not the end of the reference.
_FOLIOS_END_RE = re.compile(r";|\.\s+(?![\d\-\u2013])")
_PART_END_RE = re.compile(r"[,;]")
# Where a name may end: before anything but a letter or digit, or at the end of the text.
_WORD_END = re.compile(r"(?<=[^\W_])(?:[\W_]|$)")


def parse_reference(reference: str) -> ArchivalReference:
    """Read fond, opis, delo and folios from a reference as written; parts not found stay empty."""
    reference = reference or ""
    labels = list(_LABEL_RE.finditer(reference))
    parts: dict[str, str] = {}
    for index, label in enumerate(labels):
        name = label.lastgroup
        assert name is not None
        if name in parts:
            # A second fond or delo belongs to another reference; keep the first.
            continue
        stop = labels[index + 1].start() if index + 1 < len(labels) else len(reference)
        value = reference[label.end() : stop]
        end = (_FOLIOS_END_RE if name == "folios" else _PART_END_RE).search(value)
        if end is not None:
            value = value[: end.start()]
        parts[name] = _clean(value)
    return ArchivalReference(**parts)


def split_source(source: str) -> tuple[str, str]:
    """Split 'GAPPOD, f.1, op.89, d.112' into ('GAPPOD', 'f.1, op.89, d.112')."""
    text = _clean(source or "")
    if not text:
        return "", ""
    head, comma, rest = text.partition(",")
    label = _LABEL_RE.search(text)
    if label is not None and label.start() < len(head):
        # The reference begins before any comma, as in "RGASPI f. 558, op. 11".
        return _clean(text[: label.start()]), text[label.start() :]
    if not comma:
        # With neither a comma nor a reference label there is no repository to
        # tell apart, so keep the whole text as the reference.
        return "", text
    return head.strip(), rest.strip()


def leading_name(text: str, is_name) -> str:
    """The longest start of `text`, in whole words, that `is_name` says names an entry.

    'REPO AzR, f. 1' begins with 'REPO' (and with 'REPO AzR', if that is a name too), never
    with 'REP': a name ends where the text has a space, a comma or other punctuation, or ends,
    and before the reference's first part ('f. 1'). Returns the text's own spelling of the
    name found, or '' when it begins with none.
    """
    text = text or ""
    found = ""
    # A repository comes before the reference's first part ('f. 1'), so only that is read.
    label = _LABEL_RE.search(text)
    head = text[: label.start()] if label else text
    for boundary in _WORD_END.finditer(head):
        end = boundary.start()
        for stop in (end, end + 1) if boundary.group() == "." else (end,):
            if is_name(text[:stop].strip()):
                found = text[:stop]
    return found.strip()


def cited_as(reference: str, repository: str, names=()) -> str:
    """A citation as shown: the reference exactly as written when it names its repository
    (`repository` or one of `names`, folded as names are: case, accents, punctuation and
    script aside) at the start; otherwise the repository, a comma and the reference
    ('RGASPI, f. 558'), or the repository alone when there is no reference."""
    reference = (reference or "").strip()
    if not reference:
        return repository
    keys = {name_key(name) for name in (repository, *names) if name} - {""}
    if leading_name(reference, lambda start: name_key(start) in keys):
        return reference
    return f"{repository}, {reference}"


def within_repository(reference: str, repository: str, names=()) -> str:
    """The reference without the repository it starts with, for formats that give the repository
    a field of its own ('RGASPI, f. 558, op. 11' -> 'f. 558, op. 11'); the same names as
    `cited_as` count as the repository's."""
    reference = (reference or "").strip()
    keys = {name_key(name) for name in (repository, *names) if name} - {""}
    lead = leading_name(reference, lambda start: name_key(start) in keys)
    if not lead:
        return reference
    return reference[len(lead) :].lstrip(" ,;:").strip()


def _clean(value: str) -> str:
    """Strip whitespace and the trailing commas and periods that punctuate a citation."""
    return value.strip().rstrip(",.").strip()
