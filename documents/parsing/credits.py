"""The credit sentence the archive prints after a citation, read back out of a citation's text.

The archive's pages end the source line with a credit rendered from the people linked in a
credit role: "GAPPOD, f.1, op.89, d.112. Obtained for CWIHP by Jamil Hasanli and translated for
CWIHP by Gary Goldberg." Curators copy such lines whole into a citation, and the credit is then
printed twice: once as part of the citation's text, once from the people. `split_credit` finds
where the citation ends and the credit begins, so the import and the admin can tell the curator
(documents.spreadsheets.kinds.CitationsColumn, documents.models.Citation.clean).

The verbs are the model's (`Contribution.CREDIT_VERBS`), passed in: this module holds only the
text rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Credit", "split_credit"]


@dataclass(frozen=True)
class Credit:
    """One phrase of a credit sentence: 'translated for CWIHP by Gary Goldberg'."""

    verb: str
    names: tuple[str, ...]
    for_whom: str = ""


_NAME_SEPARATORS = re.compile(r"\s*(?:,\s*and\s+|,|\s+and\s+|\s*&\s*)\s*")


def split_credit(text: str, verbs) -> tuple[str, tuple[Credit, ...]]:
    """Split 'RGASPI, f. 558, ll. 1-3. Translated by Gary Goldberg.' into the citation as
    written ('RGASPI, f. 558, ll. 1-3.') and its credit phrases.

    A credit begins a sentence (at the start of the text or after '. ' or '; ') with one of
    `verbs` ('obtained', 'translated', ...), perhaps 'for' someone, then 'by' and names, and runs
    to the end of the text. Text without one comes back whole, with no phrases.
    """
    text = text or ""
    phrase = _phrase_re(tuple(str(verb) for verb in verbs))
    for match in phrase.finditer(text):
        before = text[: match.start()].rstrip()
        if before and not before.endswith((".", ";")):
            continue
        credits = _phrases(text[match.start() :], phrase)
        if credits:
            return before.rstrip(";").rstrip(), credits
    return text, ()


def _phrases(credit, phrase):
    matches = list(phrase.finditer(credit))
    found = []
    for index, match in enumerate(matches):
        stop = matches[index + 1].start() if index + 1 < len(matches) else len(credit)
        names = credit[match.end() : stop].strip().rstrip(".").strip()
        # "... by Jamil Hasanli and translated by ...": the joining word belongs to neither.
        names = re.sub(r"(?:,?\s*\band)$|,$", "", names, flags=re.IGNORECASE).strip()
        split = tuple(name for name in _NAME_SEPARATORS.split(names) if name)
        if not split:
            return ()
        found.append(Credit(match["verb"].casefold(), split, (match["for"] or "").strip()))
    return tuple(found)


@lru_cache(maxsize=8)
def _phrase_re(verbs):
    alternatives = "|".join(re.escape(verb) for verb in verbs)
    return re.compile(
        rf"\b(?P<verb>{alternatives})(?:\s+for\s+(?P<for>[^.;]+?))?\s+by\s+", re.IGNORECASE
    )
