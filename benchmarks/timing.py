"""Timing one page in-process with Django's test client: latency, queries, what it showed."""

import re
import time
from urllib.parse import urlencode

from benchmarks.report import percentile

MEASURE_BUDGET_SECONDS = 10
MIN_REPEAT = 8
BASELINE_MIN_REPEAT = MIN_REPEAT  # set by run.py's --baseline-min-repeat


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
