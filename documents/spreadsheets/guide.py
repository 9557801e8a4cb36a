"""The column guide curators read, written from the declaration (documents.spreadsheets.columns).

The template spreadsheets (template/documents-template.csv and .xlsx, offered on the admin's
import page) and the README's column table are committed files: `template/make_template.py`
writes them, and the tests check they still match the declaration. May import `columns` only.
"""

import csv
import re
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from documents.spreadsheets.columns import COLUMN_NAMES, HEADERS

TEMPLATE_DIR = Path(__file__).resolve().parent / "template"
README = Path(__file__).resolve().parent.parent.parent / "README.md"
_TABLE_HEAD = "| Column | What goes in | Example |\n|---|---|---|\n"
_TABLE = re.compile(re.escape(_TABLE_HEAD) + r"(?:\|.*\n)*")


def help_text(header):
    """What goes in a column, as the README and the admin's import page say it."""
    return header.help + (" Several: separate with `;`." if header.multiple else "")


def readme_table():
    """The README's table of the columns, in Markdown."""
    lines = [
        f"| `{h.name}` | {help_text(h)} | {f'`{h.example}`' if h.example else ''} |"
        for h in HEADERS
    ]
    return _TABLE_HEAD + "".join(f"{line}\n" for line in lines)


def readme_with_table(text):
    """The README's text with its column table replaced by the declaration's."""
    if not _TABLE.search(text):
        raise ValueError("The README has no column table (a line '| Column | What goes in | ...').")
    return _TABLE.sub(lambda _match: readme_table(), text, count=1)


def write_template_csv(path):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerow(COLUMN_NAMES)


def template_guide_rows():
    """The rows of the XLSX template's second sheet, which describes the columns."""
    return [["column", "what goes in", "example"]] + [
        [header.name, header.help, header.example] for header in HEADERS
    ]


def write_template_xlsx(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "documents"
    sheet.append(COLUMN_NAMES)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("columns")
    for row in template_guide_rows():
        guide.append(row)
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 90
    guide.column_dimensions["C"].width = 45
    workbook.properties.creator = "Archive CMS"
    workbook.save(path)


def write_all(readme=README, template_dir=TEMPLATE_DIR):
    """Write the template files and the README's table from the declaration."""
    write_template_csv(template_dir / "documents-template.csv")
    write_template_xlsx(template_dir / "documents-template.xlsx")
    readme.write_text(readme_with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
