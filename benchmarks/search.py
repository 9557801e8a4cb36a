"""Benchmark the public search and browse pages on a large generated archive.

    .venv/bin/python benchmarks/search.py --documents 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:55434/bench \\
        .venv/bin/python benchmarks/search.py --documents 1000000

It builds (once; reused while the document count matches) a database of synthetic documents
with people, variant names, citations, subjects, places and languages, indexes it, then times
whole page requests through Django's test client: a rare term, a common term, a common term with
filters, browsing with no query, and a collection page. It prints p50/p95 in milliseconds and
writes benchmarks/results/search-<vendor>-<n>.json. SQLite uses /tmp/archive-bench.sqlite3
unless DATABASE_URL says otherwise.
"""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import standalone  # noqa: E402

standalone.setup(
    DATABASE_URL="sqlite:////tmp/archive-bench.sqlite3",
    ALLOWED_HOSTS="testserver",
    SECRET_KEY="benchmark-only-not-secret",
    SECURE_SSL_REDIRECT="0",
)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from archive_collections.models import Collection  # noqa: E402
from documents import models, search  # noqa: E402

RARE_WORD = "zyxquorth"  # planted in about 20 documents
COMMON_WORD = "iran"  # in about half the documents
BATCH = 5000


def vocabulary(rng, size=20000):
    syllables = [
        "ba",
        "ku",
        "ta",
        "bri",
        "zo",
        "mol",
        "ov",
        "sta",
        "lin",
        "te",
        "he",
        "ran",
        "qa",
        "vam",
        "pi",
        "she",
        "va",
        "ri",
        "ma",
        "len",
        "kov",
        "ber",
        "ia",
        "so",
    ]
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def text(rng, words, n):
    # Zipf-like: a few words very common, most rare.
    picks = [words[min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)] for _ in range(n)]
    return " ".join(picks)


def build(n, seed=7):
    rng = random.Random(seed)
    words = vocabulary(rng)
    call_command("migrate", verbosity=0)
    if models.Document.objects.count() == n:
        print(f"Reusing {n} documents.")
        return
    print(f"Building {n} documents...")
    started = time.perf_counter()
    with transaction.atomic():
        models.Document.objects.all().delete()
        types = [
            models.DocumentType.objects.get_or_create(name=t)[0]
            for t in ("Letter", "Telegram", "Decree", "Memo")
        ]
        languages = [
            models.Language.objects.get_or_create(code=c, defaults={"name": c})[0]
            for c in ("ru", "fa", "az", "en")
        ]
        subjects = [models.Subject.objects.get_or_create(name=f"Subject {i}")[0] for i in range(60)]
        places = [models.Place.objects.get_or_create(name=f"Place {i}")[0] for i in range(80)]
        repositories = [
            models.Repository.objects.get_or_create(
                abbreviation=f"R{i}", defaults={"name": f"Repository {i}"}
            )[0]
            for i in range(10)
        ]
        people = models.Person.objects.bulk_create(
            models.Person(name=f"Person {i}", sort_name=f"Person {i}", slug=f"person-{i}")
            for i in range(max(100, n // 20))
        )
        models.PersonName.objects.bulk_create(
            models.PersonName(person=p, name=f"Variant {p.pk}") for p in people
        )
    collection = Collection.objects.create(
        title="Benchmark collection", status=models.Status.PUBLISHED
    )
    day0 = date(1917, 1, 1)
    for start in range(0, n, BATCH):
        with transaction.atomic():
            batch = []
            for i in range(start, min(n, start + BATCH)):
                body = text(rng, words, 150)
                if i % 2 == 0:
                    body += f" {COMMON_WORD}"
                if i % (n // 20 or 1) == 0:
                    body += f" {RARE_WORD}"
                day = day0 + timedelta(days=rng.randint(0, 365 * 70))
                batch.append(
                    models.Document(
                        record_id=i + 1,
                        slug=f"document-{i + 1}",
                        title=text(rng, words, 10).capitalize(),
                        date_text=day.isoformat(),
                        date_edtf=day.isoformat(),
                        date_start=day,
                        date_end=day,
                        summary=text(rng, words, 40),
                        text=body,
                        document_type=rng.choice(types),
                        status=models.Status.PUBLISHED if i % 10 else models.Status.DRAFT,
                    )
                )
            documents = models.Document.objects.bulk_create(batch)
            models.Contribution.objects.bulk_create(
                models.Contribution(document=d, person=rng.choice(people), role=role)
                for d in documents
                for role in ("author", "recipient", "mentioned")
            )
            models.Citation.objects.bulk_create(
                models.Citation(
                    document=d, repository=rng.choice(repositories), reference=f"f. {d.pk}, op. 1"
                )
                for d in documents
            )
            models.Document.subjects.through.objects.bulk_create(
                models.Document.subjects.through(document=d, subject=s)
                for d in documents
                for s in rng.sample(subjects, 2)
            )
            models.Document.places.through.objects.bulk_create(
                models.Document.places.through(document=d, place=rng.choice(places))
                for d in documents
            )
            models.Document.languages.through.objects.bulk_create(
                models.Document.languages.through(document=d, language=rng.choice(languages))
                for d in documents
            )
            Collection.documents.through.objects.bulk_create(
                Collection.documents.through(collection=collection, document=d)
                for d in documents[::10]
            )
        print(f"  {min(n, start + BATCH)} documents", flush=True)
    print("Indexing...", flush=True)
    search.rebuild_index()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Built in {time.perf_counter() - started:.0f} s.")


def measure(client, url, runs):
    client.get(url)  # warm caches
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    build(args.documents)
    client = Client()
    collection = Collection.objects.get(title="Benchmark collection")
    cases = {
        "search, rare term": f"/documents/?q={RARE_WORD}",
        "search, common term": f"/documents/?q={COMMON_WORD}",
        "search, common term + 3 filters": (
            f"/documents/?q={COMMON_WORD}&type=letter&language=ru&place=place-3"
        ),
        "search, common term, page 50": f"/documents/?q={COMMON_WORD}&page=50",
        "browse, no query": "/documents/",
        "browse, 2 filters, by title": "/documents/?subject=subject-1&place=place-2&sort=title",
        "collection page": collection.get_absolute_url(),
        "document page": "/documents/12/",
    }
    results = {"vendor": connection.vendor, "documents": args.documents, "cases": {}}
    for name, url in cases.items():
        results["cases"][name] = measure(client, url, args.runs)
        timing = results["cases"][name]
        print(f"{name:38} p50 {timing['p50_ms']:8.1f} ms   p95 {timing['p95_ms']:8.1f} ms")
    out = ROOT / "benchmarks" / "results" / f"search-{connection.vendor}-{args.documents}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
