"""Time the admin's document list on a large archive.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python benchmarks/admin_document_list.py \
        --documents 100000

Migrates the database named by DATABASE_URL (use a throwaway one), fills it with documents that
have people, citations and scans, then requests list pages as a Curator and prints the median time
of each, the median CPU time of this process (steadier than the wall clock on a busy machine) and
the number of queries.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import standalone  # noqa: E402

standalone.setup(DEBUG="1")

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.placeholders import placeholder_scan  # noqa: E402
from documents.models import (  # noqa: E402
    Citation,
    Contribution,
    Document,
    Person,
    PersonName,
    Repository,
    Scan,
)

BATCH = 5000


def fill(count):
    existing = Document.objects.count()
    if existing >= count:
        return
    people = [Person.objects.create(name=f"Person {n}") for n in range(200)]
    PersonName.objects.create(person=people[0], name="Jafar Pishavari")
    repository, _ = Repository.objects.get_or_create(abbreviation="RGASPI", defaults={"name": "R"})
    for start in range(existing, count, BATCH):
        stop = min(start + BATCH, count)
        documents = Document.objects.bulk_create(
            Document(
                record_id=1_000_000 + n,
                slug=f"bench-{n}",
                title=f"Telegram number {n} from Baku to Moscow",
                summary="A short summary a curator wrote.",
                date_text=f"{1920 + n % 40}",
                date_edtf=f"{1920 + n % 40}",
                date_start=f"{1920 + n % 40}-01-01",
                date_end=f"{1920 + n % 40}-12-31",
                status="published" if n % 3 else "draft",
            )
            for n in range(start, stop)
        )
        Contribution.objects.bulk_create(
            Contribution(document=d, person=people[i % 200], role="author")
            for i, d in enumerate(documents)
        )
        Citation.objects.bulk_create(
            Citation(document=d, repository=repository, reference=f"f. 558, op. 11, d. {d.pk}")
            for d in documents
        )
        Scan.objects.bulk_create(
            placeholder_scan(d, folder="b", name=d.pk, number=d.pk) for d in documents[::4]
        )
        print(f"  {stop} documents", file=sys.stderr)


def measure(client, label, url, repeat):
    times, cpu_times, queries = [], [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    print(
        f"{label:<38} {statistics.median(times):8.1f} ms  "
        f"{statistics.median(cpu_times):8.1f} ms CPU  {queries:3d} queries"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    fill(args.documents)
    user, _ = User.objects.get_or_create(username="bench-curator", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Curator"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    print(f"{connection.vendor}, {Document.objects.count()} documents")
    base = "/admin/documents/document/"
    measure(client, "list, first page", base, args.repeat)
    measure(client, "list, page 50", f"{base}?p=50", args.repeat)
    measure(client, "list, sorted by title", f"{base}?o=3", args.repeat)
    measure(client, "filter: status published", f"{base}?status__exact=published", args.repeat)
    measure(client, "filter: decade 1940s", f"{base}?decade=1940", args.repeat)
    measure(client, "filter: repository", f"{base}?repository=1", args.repeat)
    measure(client, "search: title word", f"{base}?q=Baku", args.repeat)
    measure(client, "search: variant name", f"{base}?q=Pishavari", args.repeat)
    measure(client, "search: citation", f"{base}?q=d.+4711", args.repeat)
    measure(client, "people list, search variant", "/admin/documents/person/?q=pishavari", 3)


if __name__ == "__main__":
    main()
