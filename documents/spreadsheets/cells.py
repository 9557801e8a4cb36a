"""How values are written in a spreadsheet cell: several in one cell, formulas, people's names.

Shared by every column (documents.spreadsheets.kinds), the import and the export. May import
`documents.parsing` only.
"""

from functools import lru_cache

from documents.authorities import matching

# Multi-valued cells hold several values separated by this (titles contain commas).
SEPARATOR = ";"

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
    """The values of a multi-valued cell, trimmed, empty ones left out."""
    return tuple([part.strip() for part in value.split(SEPARATOR) if part.strip()])


def join(values):
    return f"{SEPARATOR} ".join(values)


def person_label(name, person_id, name_owners):
    """The name as written, with '[#id]' added where the name alone would not find this person."""
    return matching.label(name, person_id, name_owners)
