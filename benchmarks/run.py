"""Run the benchmark suite against a freshly generated archive.

    python -m benchmarks.run --documents 10000                      # SQLite
    python -m benchmarks.run --documents 100000 --postgres postgres://postgres@127.0.0.1:55436/

Generates the archive (generate_archive, seeded), then measures, each beside a baseline in the
same run: the import, the collection page and /documents/ (no filter, one, three filters, a
search; page 1 and a deep page), the document and person pages, the admin changelist, full-text
search, and requests per second under gunicorn + wrk. Pages are timed in-process with Django's
test client (p50/p95 and queries per request). Anything this checkout does not have yet (a URL
that does not resolve, a filter set, the archive's import) is reported as "not available", never
estimated. Results go to benchmarks/results/<database>-<documents>-<timestamp>.json and a table.
"""

import argparse
import csv
import datetime as dt
import importlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
GUNICORN_PORT = int(os.environ.get("BENCH_GUNICORN_PORT", "8026"))
IGNORED = "not available: the page ignores these parameters in this checkout"
NO_PAGINATION = "not available: the page has no pagination links in this checkout"
MEASURE_BUDGET_SECONDS = 10
MIN_REPEAT = 8
BASELINE_MIN_REPEAT = MIN_REPEAT  # set by --baseline-min-repeat
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "56379"))

# The targets, shown beside the figures (None: no target stated for that row).
TARGETS = {
    ("collection page", "three filters, page 1"): "p95 <= 50 ms (100k SQLite), <= 2x bare view",
    ("collection page", "deep page"): "<= 1.2x page 1",
    ("document page", "richest document"): "p95 <= 20 ms",
    ("admin changelist", "page 1"): "p95 <= 60 ms, <= 8 queries",
    ("search", "rare term"): "p95 <= 50 ms",
    ("search", "common term"): "p95 <= 150 ms",
    ("throughput", "collection page"): ">= 150 requests/s",
    ("import", "new rows"): ">= 5,000 rows/s, >= 6x baseline, < 300 MB",
    ("import", "unchanged file"): ">= 10,000 rows/s, zero writes",
}


def configure_environment(database_url, workdir):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="archive_site.settings",
        SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-only-secret-key"),
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        STATIC_MANIFEST="0",
        PAGE_CACHE_SECONDS="0",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(workdir / "media"),
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CACHE_URL", None)
    os.environ.pop("DATABASE_REPLICA_URLS", None)


# Databases ---------------------------------------------------------------------------------------


def fresh_sqlite(workdir, documents, seed, *, keep=False):
    path = workdir / f"bench-{documents}-{seed}.sqlite3"
    if keep and path.exists():
        return f"sqlite:///{path}", path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}", path


def fresh_postgres(server_url, name):
    import psycopg

    with psycopg.connect(server_url.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rstrip("/") + f"/{name}"


def postgres_database_exists(server_url, name):
    import psycopg

    with psycopg.connect(server_url.rstrip("/") + "/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def clone_database(vendor, source, workdir, tag):
    """A copy of the benchmark database for a run that writes (the import)."""
    from django.db import connections

    connections.close_all()
    if vendor == "sqlite":
        target = workdir / f"clone-{tag}.sqlite3"
        shutil.copyfile(source, target)
        return f"sqlite:///{target}", lambda: target.unlink(missing_ok=True)
    import psycopg

    server, _slash, name = source.rpartition("/")
    clone = f"{name}_{tag}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{clone}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{clone}" TEMPLATE "{name}"')

    def drop():
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{clone}" WITH (FORCE)')

    return f"{server}/{clone}", drop


def machine_info():
    from django.db import connection

    info = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "database": connection.vendor,
    }
    import django

    info["django"] = django.get_version()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["postgresql"] = cursor.fetchone()[0]
    try:
        with open("/proc/meminfo") as handle:
            info["memory_gb"] = round(int(handle.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


# Timing pages ------------------------------------------------------------------------------------


def percentile(values, share):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(client, url, *, repeat, baseline=False):
    """p50/p95 latency (ms) and queries per request of GET url, or why it is not available.

    A slow page stops after MIN_REPEAT requests once the time budget is spent; a slow baseline
    after BASELINE_MIN_REPEAT (`--baseline-min-repeat`: naive views take tens of seconds a
    request at a million documents).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if url is None:
        return {"status": "not available"}
    try:
        response = client.get(url)
    except Exception as error:  # noqa: BLE001 - any failure is reported, never hidden
        return {"status": f"failed: {type(error).__name__}: {error}"[:300], "url": url}
    if response.status_code != 200:
        return {"status": f"not available: HTTP {response.status_code}", "url": url}
    times, queries = [], []
    budget = time.perf_counter() + MEASURE_BUDGET_SECONDS
    for done in range(repeat):
        enough = BASELINE_MIN_REPEAT if baseline else MIN_REPEAT
        if done >= enough and time.perf_counter() > budget:
            break  # slow pages: enough samples for p50/p95 without stretching the run
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
    return {
        "status": "ok",
        "url": url,
        "p50_ms": round(percentile(times, 0.5), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "queries": max(queries),
        "bytes": len(response.content),
        "requests": len(times),
    }


def probe(client, url):
    """One instrumented request: the template used, the rows shown, the result count."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    try:
        response = client.get(url)
    finally:
        teardown_test_environment()
    if response.status_code != 200:
        return None
    context = response.context
    found = {"template": response.templates[0].name if response.templates else None, "count": None}
    rows = None
    if context is not None:
        page = context.get("page_obj")
        if page is not None:
            rows = list(page.object_list)
            found["count"] = page.paginator.count
        else:
            for key in ("documents", "document_list", "object_list"):
                if context.get(key) is not None:
                    rows = list(context.get(key))
                    found["count"] = len(rows)
                    break
    found["ids"] = [row.pk for row in rows or [] if hasattr(row, "pk")]
    html = response.content.decode()
    pages = [int(n) for n in re.findall(r"[?&;]page=(\d+)", html)]
    found["last_page"] = max(pages) if pages else None
    if found["count"] is None:
        match = re.search(r"([\d,]+)\s+(?:results|documents|records)", html)
        if match:
            found["count"] = int(match.group(1).replace(",", ""))
    return found


def url_or_none(name, **kwargs):
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def with_query(url, params):
    if url is None:
        return None
    if not params:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params, doseq=True)}"


# What the public pages can filter on -------------------------------------------------------------


def discover_filterset():
    """The public document FilterSet (documents.browse.filters), if this checkout has one."""
    try:
        module = importlib.import_module("documents.browse.filters")
    except ImportError:
        return None
    import django_filters

    from documents.models import Document

    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, django_filters.FilterSet)
            and value is not django_filters.FilterSet
            and getattr(value._meta, "model", None) is Document
        ):
            return value
    return None


# Public filter name -> (Document field the naive baseline filters on, the value's field).
VALUE_FILTERS = {
    "subject": ("subjects", "slug"),
    "place": ("places", "slug"),
    "language": ("languages", "code"),
    "classification": ("classification", "slug"),
    "type": ("document_type", "slug"),
}


def choose_filters(filterset, documents):
    """Up to three relation filters with their most common values among `documents`.

    Returns (search parameter name, [(param, value, naive_field, pk), ...]).
    """
    import django_filters
    from django.db.models import Count

    search_param = "q"
    chosen = []
    if filterset is None:
        return search_param, chosen
    for name in filterset.base_filters:
        if name in ("q", "search", "query", "text", "keywords"):
            search_param = name
            break
    preferred = ["subjects", "places", "languages", "classification", "document_type"]
    candidates = []
    for name, item in filterset.base_filters.items():
        if isinstance(
            item, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter
        ):
            field = item.field_name.split("__")[0]
            to_field = item.extra.get("to_field_name") or "pk"
        elif name in VALUE_FILTERS:
            # Filters by a readable value in the query string (?subject=oil), not by id.
            field, to_field = VALUE_FILTERS[name]
        else:
            continue
        rank = preferred.index(field) if field in preferred else len(preferred)
        candidates.append((rank, name, to_field, field))
    narrowed = documents
    for _rank, name, to_field, field in sorted(candidates, key=lambda c: c[0]):
        if len(chosen) == 3:
            break
        top = (
            narrowed.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n")
            .first()
        )
        if not top:
            continue
        pk = top[field]
        related_model = narrowed.model._meta.get_field(field).related_model
        value = getattr(related_model.objects.get(pk=pk), to_field)
        chosen.append((name, value, field, pk))
        narrowed = narrowed.filter(**{field: pk})
    return search_param, chosen


# The suite ---------------------------------------------------------------------------------------


def ratio(numerator, denominator):
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 2)


class Report:
    def __init__(self):
        self.rows = []

    def add(self, group, case, ours, baselines=()):
        row = {"group": group, "case": case, "ours": ours, "baselines": []}
        for name, figures in baselines:
            entry = {"name": name, **figures}
            if ours.get("status") == "ok" and figures.get("status") == "ok" and "p95_ms" in ours:
                entry["ratio_p95"] = ratio(ours["p95_ms"], figures["p95_ms"])
            row["baselines"].append(entry)
        if (group, case) in TARGETS:
            row["target"] = TARGETS[(group, case)]
        self.rows.append(row)
        return row


def page_suite(report, *, repeat, client, admin_client):
    from django.db.models import Count

    from archive_collections.models import Collection
    from documents.management.commands.generate_archive import SEARCH_TERMS
    from documents.models import Contribution, Document, Person

    published = Document.objects.published()
    collection = (
        Collection.objects.published()
        .annotate(n=Count("documents", filter=models_q_published()))
        .order_by("-n")
        .first()
    )
    filterset = discover_filterset()
    search_param, filters = choose_filters(filterset, published.filter(collections=collection))
    list_url = url_or_none("documents:list")
    pages = {
        "collection page": (
            url_or_none("collections:detail", slug=collection.slug),
            f"bench/naive/collections/{collection.slug}/",
            {"collection": collection.slug},
        ),
        "document list": (list_url, "bench/naive/documents/", {}),
    }
    for group, (base_url, naive_prefix, bare_extra) in pages.items():
        if base_url is None:
            for case in (
                "no filter, page 1",
                "one filter, page 1",
                "three filters, page 1",
                "deep page",
                f"search '{SEARCH_TERMS['mid']}'",
            ):
                report.add(
                    group, case, {"status": "not available: URL does not exist in this checkout"}
                )
            continue
        unfiltered = probe(client, base_url) or {}
        cases = [("no filter, page 1", [], None)]
        if filters:
            cases += [
                ("one filter, page 1", filters[:1], None),
                ("three filters, page 1", filters[:3], None),
            ]
        cases.append((f"search '{SEARCH_TERMS['mid']}'", [], SEARCH_TERMS["mid"]))
        for case, chosen, term in cases:
            params = {name: value for name, value, _field, _pk in chosen}
            naive_params = {field: pk for _n, _v, field, pk in chosen}
            if term:
                params[search_param] = naive_params["q"] = term
            url = with_query(base_url, params)
            found = probe(client, url) or {}
            if (
                (chosen or term)
                and found.get("count") is not None
                and found["count"] == unfiltered.get("count")
            ):
                report.add(
                    group,
                    case,
                    {
                        "status": IGNORED,
                        "url": url,
                    },
                )
                continue
            ours = measure(client, url, repeat=repeat)
            ours["count"] = found.get("count")
            baselines = []
            template = found.get("template")
            if ours["status"] == "ok" and template:
                if found.get("ids"):
                    bare_url = with_query(
                        f"/bench/bare/{template}",
                        {"ids": ",".join(map(str, found["ids"])), **bare_extra},
                    )
                    baselines.append(
                        ("bare view", measure(client, bare_url, repeat=repeat, baseline=True))
                    )
                naive_url = with_query(f"/{naive_prefix}{template}", naive_params)
                baselines.append(
                    (
                        "naive FilterSet+Paginator",
                        measure(client, naive_url, repeat=repeat, baseline=True),
                    )
                )
            report.add(group, case, ours, baselines)
            if case == "no filter, page 1" and not filters:
                note = (
                    "not available: no public FilterSet (documents.browse.filters) in this checkout"
                )
                report.add(group, "one filter, page 1", {"status": note})
                report.add(group, "three filters, page 1", {"status": note})
            if case == "no filter, page 1":
                # A deep page, against page 1 of the same list.
                if found.get("last_page") and found["last_page"] > 1 and ours["status"] == "ok":
                    deep = measure(
                        client, with_query(base_url, {"page": found["last_page"]}), repeat=repeat
                    )
                    deep["page"] = found["last_page"]
                    report.add(group, "deep page", deep, [("page 1 (same list)", ours)])
                else:
                    report.add(
                        group,
                        "deep page",
                        {"status": NO_PAGINATION},
                    )

    # The front door, with its recently published documents.
    report.add("home page", "recently published", measure(client, "/", repeat=repeat))

    # Document and person pages.
    richest = (
        Contribution.objects.filter(document__status="published")
        .values("document")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    document = Document.objects.get(pk=richest["document"])
    report.add(
        "document page",
        "richest document",
        measure(client, document.get_absolute_url(), repeat=repeat),
    )
    people = list(
        Person.objects.annotate(n=Count("contributions")).filter(n__gt=0).order_by("-n", "pk")
    )
    busiest, typical = people[0], people[len(people) // 2]
    ours = measure(client, busiest.get_absolute_url(), repeat=repeat)
    ours["documents"] = busiest.n
    report.add("person page", "most documents", ours)
    ours = measure(client, typical.get_absolute_url(), repeat=repeat)
    ours["documents"] = typical.n
    report.add("person page", "median person", ours)
    return filters, search_param


def models_q_published():
    from django.db.models import Q

    return Q(documents__status="published")


def admin_suite(report, *, repeat, admin_client):
    from django.contrib import admin

    from documents.models import Document, Person

    real = admin.site._registry.get(Document)
    if real is None:
        report.add("admin changelist", "page 1", {"status": "not available: no document admin"})
        return
    total = Document.objects.count()
    last_page = max(1, -(-total // real.list_per_page))
    surname = Person.objects.order_by("pk").values_list("name", flat=True).first().split()[-1]
    cases = [
        ("page 1", {}),
        ("a filter", {"status__exact": "published"}),
        (f"search '{surname}'", {"q": surname}),
        (f"deep page ({last_page})", {"p": last_page}),
    ]
    for case, params in cases:
        ours = measure(
            admin_client, with_query("/admin/documents/document/", params), repeat=repeat
        )
        stock = measure(
            admin_client,
            with_query("/bench-admin/documents/document/", params),
            repeat=repeat,
            baseline=True,
        )
        report.add("admin changelist", case, ours, [("stock ModelAdmin", stock)])


def search_suite(report, *, repeat, client, search_param):
    from documents.management.commands.generate_archive import SEARCH_TERMS
    from documents.models import Document

    list_url = url_or_none("documents:list")
    naive_template = (
        "documents/document_list.html"
        if _template_exists("documents/document_list.html")
        else "builtin"
    )
    for kind in ("common", "mid", "rare", "phrase"):
        term = SEARCH_TERMS[kind]
        query = f'"{term}"' if kind == "phrase" else term
        case = f"{kind} term" if kind != "phrase" else "phrase"
        url = with_query(list_url, {search_param: query})
        ours = measure(client, url, repeat=repeat)
        expected = Document.objects.published().filter(text__icontains=term).count()
        if ours["status"] == "ok":
            found = probe(client, url) or {}
            ours["count"] = found.get("count")
            if (
                found.get("count") is not None
                and found["count"] == Document.objects.published().count()
                and expected < found["count"]
            ):
                ours["status"] = "not available: the list ignores the search parameter"
        elif list_url is None:
            ours["status"] = "not available: /documents/ (search) does not exist in this checkout"
        naive = measure(
            client,
            with_query(f"/bench/naive/documents/{naive_template}", {"q": term}),
            repeat=max(3, repeat // 3),
            baseline=True,
        )
        naive["count"] = expected
        report.add("search", f"{case} ('{term}')", ours, [("naive icontains scan", naive)])


def _template_exists(name):
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


# Import -----------------------------------------------------------------------------------------


def import_suite(report, *, vendor, database_source, workdir, documents, seed, baseline_rows):
    """Import N new rows, the same file again, and the file with 1% of rows changed."""
    from documents.models import Document

    highest = Document.objects.order_by("-record_id").values_list("record_id", flat=True).first()
    path = workdir / f"import-{documents}.csv"
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "generate_archive",
            "--documents",
            str(documents),
            "--seed",
            str(seed + 1),
            "--csv",
            str(path),
            "--first-record-id",
            str(highest + 1),
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    outcomes = {}
    for mode, rows in (("archive", documents), ("baseline", min(documents, baseline_rows))):
        source = path
        if rows < documents:
            source = workdir / f"import-{documents}-first-{rows}.csv"
            head(path, source, rows)
        changed = workdir / f"{source.stem}-1pct.csv"
        changed_rows = write_changed_copy(source, changed)
        clone_url, drop = clone_database(vendor, database_source, workdir, mode)
        try:
            for case, file in (
                ("new rows", source),
                ("unchanged file", source),
                ("1% changed", changed),
            ):
                outcome = run_import_child(mode, file, clone_url)
                outcome["file_rows"] = rows
                if case == "1% changed":
                    outcome["rows_changed_in_file"] = changed_rows
                outcomes[(mode, case)] = outcome
                if outcome.get("status") != "ok":
                    break
        finally:
            drop()
    for case in ("new rows", "unchanged file", "1% changed"):
        ours = outcomes.get(("archive", case)) or outcomes.get(("archive", "new rows"))
        stock = outcomes.get(("baseline", case)) or {"status": "not measured (earlier step failed)"}
        row = report.add("import", case, ours, [("stock ModelResource", stock)])
        if ours.get("status") == "ok" and stock.get("status") == "ok":
            row["baselines"][0]["ratio_rows_per_second"] = ratio(
                ours["rows_per_second"], stock["rows_per_second"]
            )


def run_import_child(mode, path, database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.importing", "--mode", mode, "--file", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (
            result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.returncode
        )
        return {"status": f"failed: {last}"}
    return json.loads(result.stdout.strip().splitlines()[-1])


def head(source, target, rows):
    with (
        open(source, newline="", encoding="utf-8") as reader_handle,
        open(target, "w", newline="", encoding="utf-8") as writer_handle,
    ):
        reader, writer = csv.reader(reader_handle), csv.writer(writer_handle)
        for index, row in enumerate(reader):
            if index > rows:
                break
            writer.writerow(row)


def write_changed_copy(source, target):
    """The same file with the summary of every hundredth row edited: exactly 1% of rows change."""
    changed = 0
    with (
        open(source, newline="", encoding="utf-8") as reader_handle,
        open(target, "w", newline="", encoding="utf-8") as writer_handle,
    ):
        reader, writer = csv.reader(reader_handle), csv.writer(writer_handle)
        header = next(reader)
        writer.writerow(header)
        summary = header.index("summary")
        for index, row in enumerate(reader, start=1):
            if index % 100 == 0:
                row[summary] = f"{row[summary]} (Revised by the curator.)"
                changed += 1
            writer.writerow(row)
    return changed


# Throughput ---------------------------------------------------------------------------------------


def wait_for_port(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def ensure_wrk():
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=False, stdout=subprocess.DEVNULL)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=False,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    return bool(shutil.which("wrk"))


def wrk(url, seconds):
    result = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", "--latency", url],
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds + 60,
    )
    text = result.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", text)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if not rps:
        return {"status": f"failed: {result.stderr.strip() or text.strip()}"[:300]}

    def ms(match):
        value, unit = float(match.group(1)), match.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)

    figures = {
        "status": "ok" if not non_2xx else f"failed: {non_2xx.group(1)} error responses",
        "requests_per_second": float(rps.group(1)),
        "p50_ms": ms(p50) if p50 else None,
        "p99_ms": ms(p99) if p99 else None,
        "seconds": seconds,
        "connections": 8,
    }
    return figures


def throughput_suite(report, *, collection_url, bare_url, seconds, workdir):
    if collection_url is None:
        report.add("throughput", "collection page", {"status": "not available"})
        return
    if not ensure_wrk():
        report.add("throughput", "collection page", {"status": "not available: wrk not installed"})
        return
    from django.db import connections

    connections.close_all()

    def serve(extra_env):
        env = {**os.environ, **extra_env}
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "benchmarks.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{GUNICORN_PORT}",
                "--log-level",
                "warning",
                "--limit-request-line",
                "0",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        if not wait_for_port(GUNICORN_PORT):
            process.kill()
            raise RuntimeError("gunicorn did not start")
        return process

    def stop(process):
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)

    base = f"http://127.0.0.1:{GUNICORN_PORT}"
    process = serve({})
    try:
        wrk(base + collection_url, 2)  # warm both workers
        ours = wrk(base + collection_url, seconds)
        bare = wrk(base + bare_url, seconds) if bare_url else {"status": "not available"}
    finally:
        stop(process)
    row = report.add("throughput", "collection page", ours, [("bare view", bare)])
    for entry in row["baselines"]:
        if ours.get("status") == "ok" and entry.get("status") == "ok":
            entry["ratio_rps"] = ratio(ours["requests_per_second"], entry["requests_per_second"])
    # The same page with the shared Redis page cache, as deployed beyond one machine.
    redis = shutil.which("redis-server")
    if not redis:
        report.add(
            "throughput",
            "collection page, Redis page cache",
            {"status": "not available: redis-server not installed"},
        )
        return
    redis_process = subprocess.Popen(
        [
            redis,
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(REDIS_PORT)
        process = serve(
            {"REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0", "PAGE_CACHE_SECONDS": "300"}
        )
        try:
            wrk(base + collection_url, 2)
            cached = wrk(base + collection_url, seconds)
        finally:
            stop(process)
    finally:
        os.killpg(redis_process.pid, signal.SIGTERM)
        redis_process.wait(timeout=30)
    row = report.add(
        "throughput", "collection page, Redis page cache", cached, [("uncached", ours)]
    )
    if cached.get("status") == "ok" and ours.get("status") == "ok":
        row["baselines"][0]["ratio_rps"] = ratio(
            cached["requests_per_second"], ours["requests_per_second"]
        )


# Output ------------------------------------------------------------------------------------------


def fmt(figures):
    if not figures:
        return "-"
    if figures.get("status") != "ok":
        return figures.get("status", "-")
    if "requests_per_second" in figures:
        if not figures["requests_per_second"]:
            return f"0 req/s: no request finished within {figures['seconds']} s"
        return f"{figures['requests_per_second']:.0f} req/s (p50 {figures['p50_ms']} ms)"
    if "rows_per_second" in figures:
        written = figures.get("writes")
        return (
            f"{figures['rows_per_second']:,.0f} rows/s, {figures['peak_memory_mb']:.0f} MB"
            f"{'' if written is None else f', {written:,} writes'}"
        )
    text = f"p50 {figures['p50_ms']:.1f} / p95 {figures['p95_ms']:.1f} ms, {figures['queries']} q"
    if figures.get("count") is not None:
        text += f", {figures['count']:,} hits"
    return text


def print_table(results):
    info = results["machine"]
    database = (
        f"PostgreSQL {info['postgresql']}" if "postgresql" in info else f"SQLite {info['sqlite']}"
    )
    print()
    print(
        f"Benchmark: {results['documents']:,} documents (seed {results['seed']}) on {database}; "
        f"{info['cores']} cores, {info.get('memory_gb', '?')} GB, Python {info['python']}, "
        f"Django {info['django']}; code {results.get('git', '?')}"
    )
    if results["generate_seconds"] is None:
        print("Archive generated by an earlier run (--reuse).")
    else:
        print(f"Generated in {results['generate_seconds']:.0f} s.")
    lines = [("group", "case", "ours", "baseline", "baseline figures", "ratio")]
    for row in results["rows"]:
        baselines = row["baselines"] or [{}]
        for index, baseline in enumerate(baselines):
            ratio = ""
            for key in ("ratio_p95", "ratio_rps", "ratio_rows_per_second"):
                if baseline.get(key) is not None:
                    ratio = f"{baseline[key]}x"
            lines.append(
                (
                    row["group"] if index == 0 else "",
                    row["case"] if index == 0 else "",
                    fmt(row["ours"]) if index == 0 else "",
                    baseline.get("name", ""),
                    fmt(baseline) if baseline else "",
                    ratio,
                )
            )
    widths = [min(max(len(str(line[i])) for line in lines), 60) for i in range(6)]
    for line in lines:
        print(
            "  ".join(str(cell)[:60].ljust(width) for cell, width in zip(line, widths, strict=True))
        )
    print()


def git_revision():
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return "?"


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres",
        metavar="SERVER_URL",
        help="postgres://user@host:port/ (a database bench_N is created)",
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the archive an earlier run generated (bench_N on PostgreSQL, or the "
        "SQLite file in --workdir) instead of generating it again",
    )
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument(
        "--baseline-import-rows",
        type=int,
        default=10_000,
        help="rows the stock import is timed on (it is slow)",
    )
    parser.add_argument(
        "--skip", action="append", default=[], choices=["import", "throughput", "admin", "search"]
    )
    parser.add_argument(
        "--workdir",
        default=os.environ.get(
            "BENCH_WORKDIR", f"{tempfile.gettempdir()}/archive-bench-{os.getuid()}"
        ),
    )
    parser.add_argument(
        "--baseline-min-repeat",
        type=int,
        default=MIN_REPEAT,
        help="fewest timed requests of a slow baseline (default %(default)s)",
    )
    args = parser.parse_args(argv)
    global BASELINE_MIN_REPEAT
    BASELINE_MIN_REPEAT = args.baseline_min_repeat

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if args.postgres:
        name = f"bench_{args.documents}"
        if args.reuse and postgres_database_exists(args.postgres, name):
            database_url = args.postgres.rstrip("/") + f"/{name}"
        else:
            database_url = fresh_postgres(args.postgres, name)
        vendor, source = "postgresql", database_url
    else:
        database_url, source = fresh_sqlite(workdir, args.documents, args.seed, keep=args.reuse)
        vendor = "sqlite"
    configure_environment(database_url, workdir)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    settings.ROOT_URLCONF = "benchmarks.urls"
    call_command("migrate", verbosity=0)
    from documents.models import Document

    started = time.perf_counter()
    if args.reuse and Document.objects.count() >= args.documents:
        generate_seconds = None  # generated by an earlier run (--reuse)
    else:
        call_command("generate_archive", documents=args.documents, seed=args.seed)
        generate_seconds = round(time.perf_counter() - started, 1)

    results = {
        "documents": args.documents,
        "seed": args.seed,
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git": git_revision(),
        "machine": machine_info(),
        "generate_seconds": generate_seconds,
    }
    report = Report()
    users = get_user_model().objects
    user = users.filter(username="bench").first() or users.create_superuser(
        "bench", "", "bench-password-not-secret"
    )
    client, admin_client = Client(), Client()
    admin_client.force_login(user)

    out = RESULTS / f"{vendor}-{args.documents}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"

    def step(name, function, *step_args, **step_kwargs):
        """Run one suite; a crash becomes a row in the report, and results are saved as we go."""
        try:
            return function(*step_args, **step_kwargs)
        except Exception as error:  # noqa: BLE001 - reported, never hidden
            report.add(name, "suite", {"status": f"failed: {type(error).__name__}: {error}"[:300]})
            return None
        finally:
            results["rows"] = report.rows
            RESULTS.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(results, indent=2, default=str))

    found = step(
        "pages", page_suite, report, repeat=args.repeat, client=client, admin_client=admin_client
    )
    search_param = found[1] if found else "q"
    if "admin" not in args.skip:
        step("admin changelist", admin_suite, report, repeat=args.repeat, admin_client=admin_client)
    if "search" not in args.skip:
        step(
            "search",
            search_suite,
            report,
            repeat=args.repeat,
            client=client,
            search_param=search_param,
        )
    if "throughput" not in args.skip:
        collection_row = next(
            (
                r
                for r in report.rows
                if (r["group"], r["case"]) == ("collection page", "no filter, page 1")
            ),
            {"ours": {}, "baselines": []},
        )
        collection_url = (
            collection_row["ours"].get("url")
            if collection_row["ours"].get("status") == "ok"
            else None
        )
        bare = next((b for b in collection_row["baselines"] if b["name"] == "bare view"), {})
        bare_url = bare.get("url") if bare.get("status") == "ok" else None
        step(
            "throughput",
            throughput_suite,
            report,
            collection_url=collection_url,
            bare_url=bare_url,
            seconds=args.wrk_seconds,
            workdir=workdir,
        )
    if "import" not in args.skip:
        step(
            "import",
            import_suite,
            report,
            vendor=vendor,
            database_source=str(source),
            workdir=workdir,
            documents=args.documents,
            seed=args.seed,
            baseline_rows=args.baseline_import_rows,
        )
    results["rows"] = report.rows
    print_table(results)
    print(f"Results written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
