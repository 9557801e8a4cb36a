"""Time the full-text search pages alone on an archive generate_archive made (issue 15).

    DATABASE_URL=postgres://postgres@127.0.0.1:55436/bench_1000000 \\
        .venv/bin/python -m benchmarks.ranking --repeat 20
    DATABASE_URL=sqlite:////tmp/bench-e100k/archive.sqlite3 .venv/bin/python -m benchmarks.ranking

The same requests as `benchmarks.pages.search_suite` (`/documents/?q=` for the common, mid and
rare term and the phrase of `SEARCH_TERMS`, ranked best first), without its naive baseline
(an icontains scan takes tens of seconds a request at a million documents) and without
migrating or generating anything: the database is measured as it is. Prints p50/p95 in ms, the
queries per request and the hit count, and with --json writes them to a file.
"""

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per search")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--kinds", default="common,mid,rare,phrase")
    args = parser.parse_args(argv)

    from benchmarks.standalone import configure_environment

    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        parser.error("set DATABASE_URL to the archive to measure")
    configure_environment(database_url, Path("/tmp/archive-ranking-bench"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from benchmarks.timing import measure, probe
    from documents.generating.words import SEARCH_TERMS
    from documents.search.backends import postgres

    client = Client()
    client.get("/documents/")  # the public index is built once, not inside a timing
    rows = {}
    for kind in args.kinds.split(","):
        term = SEARCH_TERMS[kind]
        query = f'"{term}"' if kind == "phrase" else term
        url = "/documents/?" + urlencode({"q": query})
        result = measure(client, url, repeat=args.repeat)
        found = probe(client, url) or {}
        result["count"] = found.get("count")
        result["first_ids"] = found.get("ids", [])[:5]
        rows[kind] = result
        print(
            f"{kind:7} {query!r:26} p50 {result.get('p50_ms')} ms  p95 {result.get('p95_ms')} ms"
            f"  {result.get('queries')} q  {result['count']} hits  {result.get('status')}"
        )
    from django.db import connection

    if connection.vendor == "postgresql":
        print("ranked by", "the RUM index" if postgres.ranks_in_index("default") else "ts_rank_cd")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
