"""The bounded load benchmark: readers, curators and an import at once, against gunicorn.

    python -m benchmarks.load --seconds 60             # SQLite, then PostgreSQL if installed
    python -m benchmarks.load --seconds 600 --databases sqlite

For each database it generates an archive (generate_archive), serves it on loopback with
gunicorn (the site's own archive_site.wsgi, 2 x cores + 1 workers), and for --seconds runs at
once: readers (--readers threads) requesting random public pages (a document, a collection, a
search, a person); curators (--curators threads), each signed in through the admin login form,
saving documents through the admin change form (GET it, change the summary, POST it back with
its CSRF token); and one `manage.py import_documents` of --import-rows new rows, started a few
seconds in. It reports requests, errors and p50/p95/p99 per kind, then checks the database:
every save the server confirmed and every row of the import must be there. PostgreSQL is
started with scripts/postgres.sh (BENCH_PG_DATA, BENCH_PG_PORT) when it is installed, unless
--postgres names a server. Results go to benchmarks/results/load-<database>-<time>.json and a
table.
"""

import argparse
import csv
import datetime as dt
import http.cookiejar
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.admin_form import change_form_fields, csrf_token
from benchmarks.databases import fresh_postgres, fresh_sqlite
from benchmarks.report import Report, git_revision, machine_info, percentile, print_table
from benchmarks.servers import free_port, start_gunicorn, stop
from benchmarks.standalone import configure_environment

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
READER_KINDS = ("document page", "collection page", "search", "person page")
CURATOR_PASSWORD = "load-benchmark-password-not-secret"  # noqa: S105 - loopback only
REQUEST_TIMEOUT = 120


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to look at (the admin's "saved"), not a page to fetch."""

    def redirect_request(self, *args, **kwargs):
        return None


class _BehindTLSProxy(http.cookiejar.DefaultCookiePolicy):
    """Send the site's Secure cookies: the requests say they came through a TLS proxy."""

    def return_ok_secure(self, cookie, request):
        return True


def _browser():
    """A client as deployed: behind a TLS proxy (X-Forwarded-Proto), with cookies, no redirects."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar(policy=_BehindTLSProxy())),
        _NoRedirects(),
    )
    opener.addheaders = [("X-Forwarded-Proto", "https"), ("User-Agent", "archive-load-benchmark")]
    return opener


def _request(opener, url, data=None):
    """(status, body) of one request; a redirect or an error status is an answer, not a raise."""
    body = None if data is None else urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, body)
    if body is not None:
        # What a browser sends with a form post; Django's CSRF check compares it on HTTPS.
        parts = urllib.parse.urlsplit(url)
        request.add_header("Origin", f"https://{parts.netloc}")
    try:
        with opener.open(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


class Log:
    """Every request's kind, latency and error (None when it succeeded), from every thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = []

    def add(self, kind, started, error=None):
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.entries.append((kind, elapsed, error))

    def figures(self, kind):
        times = [ms for k, ms, error in self.entries if k == kind and error is None]
        errors = [error for k, _ms, error in self.entries if k == kind and error is not None]
        figures = {"status": "ok", "requests": len(times) + len(errors), "errors": len(errors)}
        figures.update({f"p{share}_ms": None for share in (50, 95, 99)})
        if times:
            for share in (50, 95, 99):
                figures[f"p{share}_ms"] = round(percentile(times, share / 100), 1)
        if errors:
            figures["first_errors"] = sorted(set(errors))[:5]
        return figures


def reader(base, pages, log, stop_at, seed):
    """Request random public pages, one after another, until stop_at."""
    rng = random.Random(seed)
    opener = _browser()
    while time.monotonic() < stop_at:
        kind = rng.choice(READER_KINDS)
        url = base + rng.choice(pages[kind])
        started = time.perf_counter()
        try:
            status, _body = _request(opener, url)
            log.add(kind, started, None if status == 200 else f"HTTP {status} for {url}")
        except OSError as error:
            log.add(kind, started, f"{type(error).__name__}: {error} for {url}")


def sign_in(base, username, log):
    """A curator's browser, signed in through the admin login form (None if that failed)."""
    opener = _browser()
    login = f"{base}/admin/login/?next=/admin/"
    started = time.perf_counter()
    try:
        _status, html = _request(opener, login)
        status, _body = _request(
            opener,
            login,
            {
                "csrfmiddlewaretoken": csrf_token(html) or "",
                "username": username,
                "password": CURATOR_PASSWORD,
                "next": "/admin/",
            },
        )
    except OSError as error:
        log.add("curator: sign in", started, f"{type(error).__name__}: {error}")
        return None
    log.add("curator: sign in", started, None if status == 302 else f"HTTP {status}")
    return opener if status == 302 else None


def curator(base, opener, username, documents, log, stop_at, saved):
    """Save `documents` one after another through the admin change form until stop_at."""
    if opener is None:
        return
    for number, (pk, change_url) in enumerate(documents):
        if time.monotonic() >= stop_at:
            return
        summary = f"Summary saved under load by {username} (save {number})."
        started = time.perf_counter()
        try:
            status, html = _request(opener, base + change_url)
            log.add("curator: change form", started, None if status == 200 else f"HTTP {status}")
            if status != 200:
                continue
            fields = change_form_fields(html, summary=summary)
            started = time.perf_counter()
            status, body = _request(opener, base + change_url, fields)
        except OSError as error:
            log.add("curator: save", started, f"{type(error).__name__}: {error}")
            continue
        if status == 302:
            log.add("curator: save", started)
            saved[pk] = summary
        elif status == 200:
            log.add("curator: save", started, f"the form was refused: {_form_errors(body)}")
        else:
            log.add("curator: save", started, f"HTTP {status}")


def _form_errors(html):
    start = html.find('class="errorlist')
    return html[start : start + 300] if start >= 0 else html[:300]


def run_import(path, delay, outcome):
    """`manage.py import_documents` in a process of its own, as a curator runs it."""
    time.sleep(delay)
    started = time.perf_counter()
    process = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_documents",
            str(path),
            "--create-missing",
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    outcome["import_seconds"] = round(time.perf_counter() - started, 1)
    outcome["returncode"] = process.returncode
    if process.returncode != 0:
        outcome["error"] = f"exit {process.returncode}: {process.stderr.strip()[-300:]}"


def prepare(args, workdir):
    """Generate the archive, the curators and the import file; the pages readers ask for."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.urls import reverse

    from archive_collections.models import Collection
    from documents.management.commands.generate_archive import SEARCH_TERMS
    from documents.models import Contribution, Document

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("generate_archive", documents=args.documents, seed=args.seed, verbosity=0)
    generate_seconds = round(time.perf_counter() - started, 1)
    spreadsheet = workdir / f"load-import-{args.import_rows}.csv"
    call_command(
        "generate_archive",
        documents=args.import_rows,
        seed=args.seed + 1,
        csv=str(spreadsheet),
        verbosity=0,
    )
    curators = Group.objects.get(name="Curator")
    usernames = []
    for number in range(args.curators):
        user = User.objects.create_user(
            f"load-curator-{number}", password=CURATOR_PASSWORD, is_staff=True
        )
        user.groups.add(curators)
        usernames.append(user.username)
    rng = random.Random(args.seed)
    published = list(Document.objects.published().order_by("pk").values_list("pk", "record_id"))
    rng.shuffle(published)
    credited = Contribution.objects.filter(document__status="published")
    people = sorted(set(credited.values_list("person__slug", flat=True)))
    pages = {
        "document page": [
            reverse("documents:detail", kwargs={"record_id": record_id})
            for _pk, record_id in published[:300]
        ],
        "collection page": [c.get_absolute_url() for c in Collection.objects.published()],
        "search": [
            f"{reverse('documents:list')}?{urllib.parse.urlencode({'q': term})}"
            for term in SEARCH_TERMS.values()
        ],
        "person page": [
            reverse("people:detail", kwargs={"slug": slug})
            for slug in rng.sample(people, min(300, len(people)))
        ],
    }
    # Each curator saves documents of their own, so that every confirmed save can be checked.
    shares = [[] for _ in usernames]
    for index, (pk, _record_id) in enumerate(published):
        url = reverse("admin:documents_document_change", args=[pk])
        shares[index % len(usernames)].append((pk, url))
    return generate_seconds, spreadsheet, usernames, pages, shares


def persisted(saved, spreadsheet):
    """How many confirmed saves and imported rows the database holds afterwards."""
    from documents.models import Document

    found = dict(Document.objects.filter(pk__in=list(saved)).values_list("pk", "summary"))
    saves_kept = sum(found.get(pk) == summary for pk, summary in saved.items())
    with open(spreadsheet, newline="", encoding="utf-8") as handle:
        record_ids = [int(row["record_id"]) for row in csv.DictReader(handle)]
    rows_kept = 0
    for start in range(0, len(record_ids), 500):
        chunk = record_ids[start : start + 500]
        rows_kept += Document.objects.filter(record_id__in=chunk).count()
    return (saves_kept, len(saved)), (rows_kept, len(record_ids))


def run_load(args, base, pages, usernames, shares, spreadsheet):
    """Readers, curators and the import at once for args.seconds; what each request met."""
    log, saved, outcome = Log(), {}, {}
    # Signed in before the clock starts: the window measures saving, not password hashing.
    openers = [sign_in(base, name, log) for name in usernames]
    stop_at = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=reader, args=(base, pages, log, stop_at, args.seed + n))
        for n in range(args.readers)
    ]
    threads += [
        threading.Thread(target=curator, args=(base, opener, name, share, log, stop_at, saved))
        for opener, name, share in zip(openers, usernames, shares, strict=True)
    ]
    threads.append(
        threading.Thread(target=run_import, args=(spreadsheet, min(5, args.seconds / 6), outcome))
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return log, saved, outcome


def measure_one(args):
    """Run the load against one database (in this process); return the results."""
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if args.database == "postgresql":
        database_url = fresh_postgres(args.postgres, f"load_{args.documents}")
    else:
        database_url, _path = fresh_sqlite(workdir, args.documents, args.seed, prefix="load")
    configure_environment(database_url, workdir)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.db import connections

    generate_seconds, spreadsheet, usernames, pages, shares = prepare(args, workdir)
    results = {
        "benchmark": "load",
        "documents": args.documents,
        "seed": args.seed,
        "seconds": args.seconds,
        "readers": args.readers,
        "curators": args.curators,
        "import_rows": args.import_rows,
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git": git_revision(),
        "machine": machine_info(),
        "generate_seconds": generate_seconds,
    }
    connections.close_all()
    workers = 2 * (os.cpu_count() or 1) + 1
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(workdir / "load-gunicorn.log", "w") as errors:
        server = start_gunicorn(
            {}, port=port, workers=workers, app="archive_site.wsgi:application", log=errors
        )
        try:
            for kind in READER_KINDS * workers:
                _request(_browser(), base + pages[kind][0])  # warm the workers up
            log, saved, outcome = run_load(args, base, pages, usernames, shares, spreadsheet)
        finally:
            stop(server)
    (saves_kept, saves), (rows_kept, rows) = persisted(saved, spreadsheet)
    report = Report()
    group = f"load, {args.seconds} s"
    for kind in (*READER_KINDS, "curator: sign in", "curator: change form", "curator: save"):
        report.add(
            group, kind if kind.startswith("curator") else f"reader: {kind}", log.figures(kind)
        )
    imported = {"status": "ok", "rows": rows, **outcome}
    if "error" in outcome:
        imported["status"] = f"failed: {outcome['error']}"
    report.add(group, f"import of {rows:,} rows", imported)
    report.add(
        group,
        "confirmed saves in the database",
        {"status": "ok", "persisted": saves_kept, "expected": saves, "unit": "saves"},
    )
    report.add(
        group,
        "imported rows in the database",
        {
            "status": "ok"
            if outcome.get("returncode") == 0
            else "failed: the import did not finish",
            "persisted": rows_kept,
            "expected": rows,
            "unit": "rows",
        },
    )
    results["rows"] = report.rows
    return results


def start_postgres(args):
    """The server URL of a PostgreSQL for the run, and how to stop it (None: not available)."""
    if args.postgres:
        return args.postgres, lambda: None
    data = os.environ.get("BENCH_PG_DATA", f"{tempfile.gettempdir()}/archive-load-pg-{os.getuid()}")
    port = os.environ.get("BENCH_PG_PORT", "55437")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        print(
            "PostgreSQL is not installed: the load benchmark runs on SQLite only.", file=sys.stderr
        )
        return None, None
    script = ROOT / "scripts" / "postgres.sh"
    started = subprocess.run(
        [str(script), "start", data, port], capture_output=True, text=True, check=False
    )
    if started.returncode != 0:
        print(f"PostgreSQL not available: {started.stderr.strip()[-300:]}", file=sys.stderr)
        return None, None

    def stop_server():
        subprocess.run([str(script), "stop", data], capture_output=True, check=False)

    return f"postgres://postgres@127.0.0.1:{port}/", stop_server


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--curators", type=int, default=3)
    parser.add_argument("--import-rows", type=int, default=3_000)
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated (default %(default)s)"
    )
    parser.add_argument("--postgres", metavar="SERVER_URL", help="postgres://user@host:port/")
    parser.add_argument(
        "--workdir",
        default=os.environ.get(
            "BENCH_WORKDIR", f"{tempfile.gettempdir()}/archive-bench-{os.getuid()}"
        ),
    )
    parser.add_argument("--database", help=argparse.SUPPRESS)  # one database, in a child
    args = parser.parse_args(argv)
    if args.database:
        print(json.dumps(measure_one(args), default=str))
        return
    passed = [
        *("--seconds", str(args.seconds), "--documents", str(args.documents)),
        *("--seed", str(args.seed), "--readers", str(args.readers)),
        *("--curators", str(args.curators), "--import-rows", str(args.import_rows)),
        *("--workdir", args.workdir),
    ]
    for database in args.databases.split(","):
        stop_server = None
        child = [sys.executable, "-m", "benchmarks.load", *passed, "--database", database]
        if database == "postgresql":
            server, stop_server = start_postgres(args)
            if server is None:
                continue
            child += ["--postgres", server]
        try:
            finished = subprocess.run(
                child, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False
            )
        finally:
            if stop_server is not None:
                stop_server()
        if finished.returncode != 0:
            print(f"The load benchmark on {database} failed (exit {finished.returncode}).")
            continue
        results = json.loads(finished.stdout.strip().splitlines()[-1])
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"load-{database}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
        out.write_text(json.dumps(results, indent=2, default=str))
        print_table(results)
        print(f"Results written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
