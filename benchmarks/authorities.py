"""Times the vocabulary and record matchers of documents/authorities on generated data.

    .venv/bin/python benchmarks/authorities.py terms [--entries 5000] [--values 10000]
    DATABASE_URL=sqlite:////tmp/records.sqlite3 .venv/bin/python benchmarks/authorities.py \
        records [--documents 100000] [--rows 1000]

`terms` builds a `TermMatcher` of `--entries` entries of one to four words and decides
`--values` distinct values: a third new, a third near an entry (a letter changed, a plural),
a third folded variants (case, punctuation). `records` migrates the database DATABASE_URL
names (use a throwaway one), fills it with `--documents` records of this archive's kind of
titles and dates (most single days, some months, years or undated), and times
`DuplicateFinder.find` on batches of `--rows` rows, a third repeating a record with its date
written otherwise. Both print the seconds taken. Not part of `make bench`; the figures are
quoted in the docstrings of documents/authorities/terms.py and records.py.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SYLLABLES = "ta bri za ra sht qa zvin ma shad ku rdi stan ba ku ir an so vi et oil ko lo".split()


def word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def name(rng):
    words = [word(rng) for _ in range(rng.randint(1, 4))]
    if len(words) > 2 and rng.random() < 0.3:
        words.insert(-1, "of")
    return " ".join(words)


def variant(text, rng):
    kind = rng.randrange(3)
    if kind == 0:
        return text.upper().replace(" ", "-")
    words = text.split()
    if kind == 1:
        i = rng.randrange(len(words))
        w = words[i]
        j = rng.randrange(1, len(w))
        words[i] = w[:j] + rng.choice("aeioukqs") + w[j + 1 :]
        return " ".join(words)
    return text + "s"


def terms(entries, values):
    from documents.authorities.terms import Entry, TermMatcher

    rng = random.Random(12)
    names = list(dict.fromkeys(name(rng) for _ in range(entries * 2)))[:entries]
    start, cpu = time.perf_counter(), time.process_time()
    matcher = TermMatcher("subject", [Entry(i, n) for i, n in enumerate(names)])
    built, built_cpu = time.perf_counter() - start, time.process_time() - cpu
    written = set()
    while len(written) < values:
        third = len(written) % 3
        written.add(name(rng) if third == 0 else variant(rng.choice(names), rng))
    start, cpu = time.perf_counter(), time.process_time()
    kinds = {}
    for value in written:
        decision = matcher.decide(value)
        kinds[decision.kind] = kinds.get(decision.kind, 0) + 1
    decided, decided_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"{entries} entries built in {built:.2f} s ({built_cpu:.2f} CPU s); {values} distinct "
        f"values decided in {decided:.2f} s ({decided_cpu:.2f} CPU s, "
        f"{decided_cpu / values * 1e6:.0f} µs each): {kinds}"
    )


KINDS = ["Telegram", "Letter", "Report", "Cable", "Record of Conversation", "Memorandum"]
PEOPLE = [
    "Molotov",
    "Stalin",
    "Bagirov",
    "Pishevari",
    "Qavam",
    "Sadchikov",
    "Maximov",
    "Beria",
    "Vyshinsky",
    "Ivanov",
    "Ali Shabestari",
    "Kavtaradze",
    "Dekanozov",
]
TOPICS = [
    "the Situation in Tabriz",
    "Oil Concessions in Northern Iran",
    "the Tudeh Party",
    "the Withdrawal of Soviet Troops",
    "the Kurdish Question",
    "the Azerbaijan Democratic Party",
    "the Elections to the Majlis",
    "Grain Deliveries",
    "Measures in Gilan",
]


def title(rng):
    a, b = rng.sample(PEOPLE, 2)
    return f"{rng.choice(KINDS)} from {a} to {b} on {rng.choice(TOPICS)}"


def a_date(rng):
    import datetime

    day = datetime.date(1941, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 50))
    kind = rng.random()
    if kind < 0.03:
        return "", "", None, None
    if kind < 0.1:
        return (
            str(day.year),
            str(day.year),
            datetime.date(day.year, 1, 1),
            datetime.date(day.year, 12, 31),
        )
    if kind < 0.25:
        first = day.replace(day=1)
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        return day.strftime("%B %Y"), day.strftime("%Y-%m"), first, last
    return day.strftime("%B %d, %Y"), day.isoformat(), day, day


def records(documents, rows):
    from benchmarks import standalone

    standalone.setup(DEBUG="1")
    from django.core.management import call_command

    from documents.authorities.records import DuplicateFinder, Row
    from documents.models import Document

    call_command("migrate", verbosity=0)
    rng = random.Random(12)
    existing = Document.objects.count()
    for start in range(existing, documents, 5000):
        batch = []
        for n in range(start, min(start + 5000, documents)):
            text, edtf, first, last = a_date(rng)
            batch.append(
                Document(
                    record_id=2_000_000 + n,
                    slug=f"records-bench-{n}",
                    title=title(rng),
                    date_text=text,
                    date_edtf=edtf,
                    date_start=first,
                    date_end=last,
                )
            )
        Document.objects.bulk_create(batch)
    rng = random.Random(13)  # not the records' sequence again
    sample = list(
        Document.objects.order_by("?").values_list("title", "date_edtf", "date_start", "date_end")[
            :rows
        ]
    )
    for _repeat in range(3):
        batch = []
        for n in range(rows):
            if n % 3 == 0:
                written, edtf, first, last = sample[n]
                batch.append(Row(n, written.replace(" from ", ", ") + ".", first, last, edtf))
            else:
                text, _edtf, first, last = a_date(rng)
                batch.append(Row(n, title(rng), first, last, text))
        started, cpu = time.perf_counter(), time.process_time()
        found = DuplicateFinder().find(batch)
        print(
            f"{documents} records, {rows} rows: {time.perf_counter() - started:.2f} s "
            f"({time.process_time() - cpu:.2f} CPU s), {len(found)} rows with possible duplicates"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["terms", "records"])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--values", type=int, default=10000)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1000)
    options = parser.parse_args()
    if options.what == "terms":
        terms(options.entries, options.values)
    else:
        records(options.documents, options.rows)


if __name__ == "__main__":
    main()
