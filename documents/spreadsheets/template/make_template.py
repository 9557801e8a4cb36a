"""Write documents-template.csv and .xlsx from documents/spreadsheets/resources.py.

    DEBUG=1 .venv/bin/python documents/spreadsheets/template/make_template.py

The files are committed; tests check they still match the columns.
"""

import csv
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from openpyxl.styles import Font  # noqa: E402

from documents.spreadsheets.resources import COLUMN_NAMES, COLUMNS  # noqa: E402


def main():
    with (HERE / "documents-template.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerow(COLUMN_NAMES)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "documents"
    sheet.append(COLUMN_NAMES)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("columns")
    guide.append(["column", "what goes in", "example"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        guide.append([column.name, column.description, column.example])
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 90
    guide.column_dimensions["C"].width = 45
    workbook.properties.creator = "Archive CMS"
    workbook.save(HERE / "documents-template.xlsx")


if __name__ == "__main__":
    main()
