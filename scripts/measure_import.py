"""Measure the spreadsheet import: rows per second and peak memory on a generated file.

    SECRET_KEY=x DATABASE_URL=sqlite:////tmp/measure.sqlite3 \
        .venv/bin/python scripts/measure_import.py 20000

Generates N rows (CSV), migrates a fresh database, imports the file (all new), imports it again
(all unchanged), and prints rows/s and the process's peak RSS for each pass. `make bench`
(issue 6) has the formal benchmark; this is the quick check used while developing.
"""

import csv
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from documents.spreadsheets.columns import COLUMN_NAMES  # noqa: E402
from documents.spreadsheets.importing import import_documents  # noqa: E402

WORDS = (
    "Soviet Iran Azerbaijan Tabriz Tehran Baku letter telegram report meeting committee party "
    "government army oil concession democratic withdrawal negotiations treaty Moscow"
).split()


def _names(n):
    """Distinct names whose consonant skeletons differ, so none is a likely match of another."""
    consonants = "bdfglmnprstvz"
    names = []
    for a in consonants:
        for b in consonants:
            for c in consonants:
                if a != b and b != c:
                    names.append(f"{a.upper()}a{b}e{c}ov")
    return [f"{names[i % len(names)]} {names[(7 * i) % len(names)]}" for i in range(n)]


def generate(path, n, seed=1):
    rng = random.Random(seed)
    people = _names(1500)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMN_NAMES)
        for i in range(n):
            writer.writerow(
                [
                    "",
                    f"Telegram {i} from {rng.choice(WORDS)} to {rng.choice(WORDS)}",
                    f"{rng.choice(['May', 'June', 'November'])} {rng.randint(1, 28)}, "
                    f"{rng.randint(1940, 1960)}",
                    rng.choice(["Letter", "Telegram", "Report"]),
                    " ".join(rng.choice(WORDS) for _ in range(40)),
                    "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(4)),
                    "",
                    rng.choice(["Russian", "Persian", "Russian; Azerbaijani"]),
                    rng.choice(["Top Secret", "Secret", ""]),
                    "",
                    f"RGASPI, f. 558, op. 11, d. {rng.randint(1, 999)}, "
                    f"ll. {rng.randint(1, 99)}-{rng.randint(100, 200)}",
                    rng.choice(people),
                    "; ".join(rng.sample(people, 2)),
                    "",
                    "",
                    "Gary Goldberg",
                    "",
                    "Iran-Soviet Relations",
                    rng.choice(["Oil", "Elections", "Diplomacy"]),
                    "; ".join(rng.sample(["Tabriz", "Tehran", "Baku"], 2)),
                    "MacArthur Foundation",
                    "",
                    rng.choice(["draft", "published"]),
                ]
            )


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(default_rows):
    """Rows from the command line (or the default), their generated file, a migrated database."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else default_rows
    path = Path(f"/tmp/measure-import-{n}.csv")
    if not path.exists():
        generate(path, n)
    call_command("migrate", verbosity=0)
    return n, path


def main():
    n, path = prepare(20000)
    for label, kwargs in (
        ("first import (all new, people created)", {"create_missing": True}),
        ("second import (same file: all unchanged)", {"create_missing": True}),
    ):
        start, cpu = time.perf_counter(), time.process_time()
        result = import_documents(path, **kwargs)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"{label}: {result.summary()} {n / seconds:,.0f} rows/s "
            f"({seconds:.1f} s wall, {n / cpu:,.0f} rows per CPU-second), "
            f"peak RSS {peak_mb():.0f} MB"
        )


if __name__ == "__main__":
    main()
