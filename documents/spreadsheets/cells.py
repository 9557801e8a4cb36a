"""How values are written in a spreadsheet cell: several in one cell, formulas, people's names.

Shared by every column (documents.spreadsheets.kinds), the import and the export. May import
`documents.parsing` only.
"""

import re
from functools import lru_cache

from documents.authorities import matching

# Multi-valued cells hold several values separated by this (titles contain commas).
SEPARATOR = ";"
# The escaping rule of multi-valued cells, the only one: a ';' that is part of a value is
# written '\;', and a backslash before a ';', another backslash or the value's end is written
# '\\'. Any other backslash is itself. `join` writes it, `split_cell` reads it.
ESCAPE = "\\"
_TOKENS = re.compile(r"(\\[;\\]|;)")
_ESCAPED_BACKSLASH = re.compile(r"\\(?=[;\\]|$)")

# Spreadsheet programs run a cell as a formula when it starts with one of these. Exported
# cells that do are prefixed with an apostrophe, which the importer removes again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The column the importer adds to a file of bad rows; ignored when that file is imported again.
ERRORS_COLUMN = "import_errors"


def escape_formula(value):
    """Make a cell safe to open in a spreadsheet program; `unescape_formula` reverses it."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(value):
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


@lru_cache(maxsize=10_000)
def split_cell(value):
    """The values of a multi-valued cell, trimmed, empty ones left out; a '\\;' is a ';'."""
    if ESCAPE not in value:
        return tuple([part.strip() for part in value.split(SEPARATOR) if part.strip()])
    parts, current = [], []
    for index, piece in enumerate(_TOKENS.split(value)):
        if index % 2 == 0:
            current.append(piece)
        elif piece == SEPARATOR:
            parts.append("".join(current))
            current = []
        else:
            current.append(piece[1])
    parts.append("".join(current))
    return tuple([part.strip() for part in parts if part.strip()])


def escape_value(value):
    """One value as a multi-valued cell writes it (`split_cell` reads it back)."""
    if ESCAPE in value:
        value = _ESCAPED_BACKSLASH.sub(lambda _match: ESCAPE * 2, value)
    return value.replace(SEPARATOR, ESCAPE + SEPARATOR)


def join(values):
    return f"{SEPARATOR} ".join(escape_value(value) for value in values)


def person_label(name, person_id, name_owners):
    """The name as written, with '[#id]' added where the name alone would not find this person."""
    return matching.label(name, person_id, name_owners)


def written_name(value):
    """The name a people cell's value writes, without the decision after it ('[#12]', '[new]')."""
    return matching.read_cell(value).name
