"""Write the XLSX, ODS and encoding variants of good_rows.csv (run once; the files are committed).

.venv/bin/python tests/importing/files/make_files.py
"""

import csv
from pathlib import Path

import openpyxl
import tablib

HERE = Path(__file__).resolve().parent


def main():
    with (HERE / "good_rows.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(HERE / "good_rows.xlsx")
    dataset = tablib.Dataset(headers=rows[0])
    for row in rows[1:]:
        dataset.append(row)
    (HERE / "good_rows.ods").write_bytes(dataset.export("ods"))
    text = (HERE / "good_rows.csv").read_text(encoding="utf-8")
    (HERE / "good_rows_bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    # Windows-1252 can hold curly quotes, dashes and accents, but not Persian or Cyrillic.
    with (HERE / "windows1252.csv").open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "date", "summary"])
        writer.writerow(["9001", "Note on the “Tudeh” party – café meeting", "1946", "Résumé…"])


if __name__ == "__main__":
    main()
