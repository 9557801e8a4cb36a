"""What a visitor typed in the search box, as a safe FTS5 query, and PostgreSQL's language.

`fts5_query` also says whether a query has any words at all (an empty result matches nothing on
either database); PostgreSQL reads the text itself, with web-search syntax, in `PG_CONFIG`.
"""

import re

# PostgreSQL text-search configuration: English, the language of the translations and summaries.
PG_CONFIG = "english"

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def fts5_query(text):
    """Turn what a visitor typed into a safe FTS5 query with web-search conventions.

    Words must all match; "a quoted phrase" matches as a phrase; `or` between words matches
    either; a leading minus excludes a word. Every term is quoted, so FTS5 operators and
    punctuation typed by a visitor can never raise a syntax error.
    """
    positives, negatives = [], []
    pending_or = False
    for negated_phrase, phrase, bare in _TOKEN.findall(text or ""):
        negated = bool(negated_phrase)
        if bare:
            if bare.lower() == "or" and positives:
                pending_or = True
                continue
            negated = bare.startswith("-")
            words = _WORD.findall(bare)
        else:
            words = _WORD.findall(phrase)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if negated:
            negatives.append(term)
        elif pending_or:
            positives[-1] = f"{positives[-1]} OR {term}"
            pending_or = False
        else:
            positives.append(term)
    if not positives:
        return ""
    query = " AND ".join(f"({p})" if " OR " in p else p for p in positives)
    for term in negatives:
        query = f"({query}) NOT {term}"
    return query
