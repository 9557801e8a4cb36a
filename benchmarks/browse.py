"""The browse pages (/people/, /subjects/, /places/) and the timeline, each beside a baseline.

    DATABASE_URL=sqlite:////tmp/bench-100000-1.sqlite3 .venv/bin/python benchmarks/browse.py \
        [--repeat 20]

measures an archive `manage.py generate_archive` made (or run.py's `--reuse` file); run.py runs
`browse_suite` after the page suite. The baselines are what a first attempt would write, mounted
only by the benchmark's URLconf (benchmarks/urls.py):

- a browse page: the vocabulary annotated with COUNT(DISTINCT document) over published
  documents, filtered to a count above zero, ordered by its sort label and paged by Django's
  Paginator (with its COUNT), rendered with the same template; a search by `icontains` over the
  names (and, for people, their variant names);
- the timeline: one COUNT of the collection's published documents per bar (the same spans as
  ours), rendered with the same template, beside ours drawn from the in-memory index on an
  otherwise empty page; and the collection page itself, which draws the timeline, beside its
  bare view (the same rows by primary key, no filters, facets or timeline).
"""

import argparse
import datetime as dt
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


# Baseline views ----------------------------------------------------------------------------


def naive_directory(request, vocabulary):
    from django.core.paginator import Paginator
    from django.db.models import Count, Q
    from django.shortcuts import render

    from documents.browse import directory as browse

    directories = {d.name: d for d in browse.DIRECTORIES}
    chosen = directories[vocabulary]
    model = chosen.model
    path = "contributions__document" if chosen is browse.PEOPLE_DIRECTORY else "documents"
    rows = model.objects.annotate(
        n=Count(path, filter=Q(**{f"{path}__status": "published"}), distinct=True)
    ).filter(n__gt=0)
    query = (request.GET.get("q") or "").strip()
    if query:
        names = Q(name__icontains=query)
        if chosen is browse.PEOPLE_DIRECTORY:
            names |= Q(variants__name__icontains=query)
        else:
            names |= Q(other_names__icontains=query)
        rows = rows.filter(names)
    rows = rows.order_by(chosen.vocabulary.sort_label, "pk")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    entries = [
        {
            "term": term,
            "count": term.n,
            "url": chosen.entry_url(term),
            "list_url": chosen.list_url(term),
            "variants": [],
        }
        for term in page.object_list
    ]
    context = {
        "title": model._meta.verbose_name_plural.capitalize(),
        "is_people": chosen is browse.PEOPLE_DIRECTORY,
        "letters": [],
        "query": query,
        "entries": entries,
        "page_obj": page,
        "paginator": page.paginator,
        "page_range": page.paginator.get_elided_page_range(page.number),
    }
    return render(request, "documents/directory.html", context)


TIMELINE_PAGE = """{% extends "base.html" %}{% block content %}
{% if timeline %}{% include "includes/timeline.html" %}{% endif %}{% endblock %}"""


def _timeline_page(request, drawn):
    from django.template import engines
    from django.template.response import TemplateResponse

    page = engines["django"].from_string(TIMELINE_PAGE)
    return TemplateResponse(request, page, {"timeline": drawn}).render()


def timeline_in_memory(request, collection_slug):
    """Ours alone: the collection's timeline from the in-memory index, on an empty page."""
    from django.shortcuts import get_object_or_404

    from archive_collections.models import Collection
    from documents.browse import index, timeline
    from documents.browse.filters import DocumentFilter
    from documents.models import Document

    collection = get_object_or_404(Collection.objects.published(), slug=collection_slug)
    filterset = DocumentFilter(request.GET, queryset=Document.objects.published())
    found = index.find(filterset, within=collection)
    return _timeline_page(request, timeline.timeline(found, request.GET))


def timeline_by_sql(request, collection_slug):
    """The baseline: one COUNT per bar over the collection's published documents."""
    import numpy as np
    from django.db.models import Max, Min, Q
    from django.shortcuts import get_object_or_404

    from archive_collections.models import Collection
    from documents.browse import timeline
    from documents.models import Document

    collection = get_object_or_404(Collection.objects.published(), slug=collection_slug)
    documents = Document.objects.published().in_collection(collection)
    dated = documents.filter(date_start__isnull=False, date_end__isnull=False)
    bounds = dated.aggregate(low=Min("date_start"), high=Max("date_end"))
    undated = documents.filter(date_start__isnull=True, date_end__isnull=True).count()
    open_ended = documents.filter(
        Q(date_start__isnull=True, date_end__isnull=False)
        | Q(date_start__isnull=False, date_end__isnull=True)
    ).count()
    if bounds["low"] is None:
        counts = timeline.YearCounts(0, 1, np.zeros(0, dtype=np.int64), undated, open_ended)
    else:
        low, high = bounds["low"].year, bounds["high"].year
        step = timeline.span_step(low, high, timeline.MOST_BARS)
        first = low - low % step
        spans = []
        for start in range(first, high + 1, step):
            spans.append(
                dated.filter(
                    date_start__lte=dt.date(start + step - 1, 12, 31),
                    date_end__gte=dt.date(start, 1, 1),
                ).count()
            )
        counts = timeline.YearCounts(first, step, np.array(spans), undated, open_ended)
    return _timeline_page(request, timeline.draw(counts, request.GET))


# The suite -----------------------------------------------------------------------------------


def browse_suite(report, *, repeat, client):
    from django.db.models import Count, Q

    from archive_collections.models import Collection
    from benchmarks.timing import measure, url_or_none
    from documents.models import Person

    surname = (
        Person.objects.filter(contributions__document__status="published")
        .order_by("pk")
        .values_list("name", flat=True)
        .first()
        .split()[-1]
    )
    cases = [
        ("people", "A to Z, page 1", "people:list", {}, "person"),
        ("people", "one letter (B)", "people:list", {"letter": "B"}, "person"),
        ("people", f"search '{surname}'", "people:list", {"q": surname}, "person"),
        ("subjects", "A to Z, page 1", "terms:subjects", {}, "subject"),
        ("places", "A to Z, page 1", "terms:places", {}, "place"),
    ]
    for group, case, name, params, vocabulary in cases:
        url = url_or_none(name)
        if url is None:
            report.add(group, case, {"status": "not available: URL does not exist"})
            continue
        query = "&".join(f"{k}={v}" for k, v in params.items())
        ours = measure(client, f"{url}?{query}" if query else url, repeat=repeat)
        baselines = []
        if "letter" not in params:  # the naive view has no letters to choose
            naive_url = f"/bench/naive/browse/{vocabulary}/" + (f"?{query}" if query else "")
            baselines.append(
                ("naive COUNT(DISTINCT) + Paginator", measure(client, naive_url, repeat=repeat))
            )
        report.add(f"{group} page", case, ours, baselines)

    collection = (
        Collection.objects.published()
        .annotate(n=Count("documents", filter=Q(documents__status="published")))
        .order_by("-n")
        .first()
    )
    slug = collection.slug
    ours = measure(client, f"/bench/timeline/index/{slug}/", repeat=repeat)
    naive = measure(client, f"/bench/timeline/sql/{slug}/", repeat=repeat, baseline=True)
    report.add(
        "timeline",
        f"'{collection.title}' ({collection.n} documents)",
        ours,
        [("one COUNT per bar", naive)],
    )
    page = measure(client, collection.get_absolute_url(), repeat=repeat)
    ids = ",".join(str(pk) for pk in _first_page_ids(client, collection.get_absolute_url()))
    bare = measure(
        client,
        f"/bench/bare/collections/collection_detail.html?ids={ids}&collection={slug}",
        repeat=repeat,
        baseline=True,
    )
    report.add("timeline", "collection page with the timeline", page, [("bare view", bare)])


def _first_page_ids(client, url):
    from benchmarks.timing import probe

    return (probe(client, url) or {}).get("ids", [])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    from benchmarks.standalone import setup

    setup(
        SECRET_KEY="benchmark-only-secret-key",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="testserver",
        STATIC_MANIFEST="0",
        PAGE_CACHE_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    from django.conf import settings
    from django.test import Client

    from benchmarks.report import Report
    from documents.models import Document

    settings.ROOT_URLCONF = "benchmarks.urls"
    report = Report()
    client = Client()
    client.get("/people/")  # builds the public index, as the first visitor after a change does
    browse_suite(report, repeat=args.repeat, client=client)
    print(f"{Document.objects.count():,} documents, {settings.DATABASES['default']['ENGINE']}")
    for row in report.rows:
        ours = row["ours"]
        line = f"{row['group']:<14} {row['case']:<44} {_figures(ours)}"
        for baseline in row["baselines"]:
            line += f" | {baseline['name']}: {_figures(baseline)}"
        print(line)


def _figures(result):
    if result.get("status") != "ok":
        return result.get("status", "?")
    return f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['queries']} queries"


if __name__ == "__main__":
    main()
