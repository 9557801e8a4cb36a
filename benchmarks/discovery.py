"""The discovery measurements: a sitemap page, the Atom feeds and the API's document list,
each beside what the stock framework gives with no care for size, in the same run.

- `/sitemap.xml`, `/sitemap-documents.xml` (50,000 addresses), `/sitemap-people.xml`, beside
  Django's `GenericSitemap` over `Document.objects.published()` with its template (model rows,
  a `reverse()` per item);
- `/documents/feed/` and the biggest collection's feed, beside a stock `Feed` of the same
  entries without prefetching (queries per entry);
- `/api/documents/` (100 a page), one filter, a search and a deep page, beside a stock REST
  framework list: `ModelSerializer`, `DjangoFilterBackend` with the same `DocumentFilter` in
  SQL, `PageNumberPagination` with its COUNT.

Run by `benchmarks/run.py` (skip with `--skip discovery`), or alone on an archive generated
before, which is how the figures in the README were measured:

    python -m benchmarks.discovery --database sqlite:////tmp/bench-100000-1.sqlite3 --repeat 10
"""

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from benchmarks.timing import measure, with_query

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
API_PAGE = {"page_size": 100}


# Baselines ----------------------------------------------------------------------------------------


def stock_sitemaps():
    from django.contrib.sitemaps import GenericSitemap

    from documents.models import Document

    return {
        "documents": GenericSitemap(
            {"queryset": Document.objects.published().order_by("pk"), "date_field": "updated_at"}
        )
    }


def stock_feed():
    from django.contrib.syndication.views import Feed
    from django.utils.feedgenerator import Atom1Feed

    from documents.models import Document

    class StockFeed(Feed):
        feed_type = Atom1Feed
        title = "Newly published documents"
        link = "/documents/"

        def items(self):
            return Document.objects.published().order_by("-first_published_at")[:50]

        def item_description(self, document):
            return document.summary

        def item_author_name(self, document):
            authors = document.contributions.filter(role="author").select_related("person")
            return ", ".join(str(c.person) for c in authors)

        def item_categories(self, document):
            return [str(s) for s in document.subjects.all()] + [
                str(p) for p in document.places.all()
            ]

        def item_updateddate(self, document):
            return document.updated_at

    return StockFeed()


def stock_api_view():
    from django_filters.rest_framework import DjangoFilterBackend
    from rest_framework import generics, serializers
    from rest_framework.pagination import PageNumberPagination

    from documents.browse.filters import DocumentFilter
    from documents.models import Document

    class StockSerializer(serializers.ModelSerializer):
        class Meta:
            model = Document
            fields = ["record_id", "title", "date_text", "date_edtf", "summary", "document_type"]

    class StockPagination(PageNumberPagination):
        page_size_query_param = "page_size"
        max_page_size = 100

    class StockDocumentList(generics.ListAPIView):
        queryset = Document.objects.published().order_by("date_start", "pk")
        serializer_class = StockSerializer
        filter_backends = [DjangoFilterBackend]
        filterset_class = DocumentFilter
        pagination_class = StockPagination

    return StockDocumentList.as_view()


def baseline_urlpatterns():
    """The baselines' addresses, mounted by benchmarks/urls.py only."""
    from django.contrib.sitemaps import views as sitemap_views
    from django.urls import path

    return [
        path(
            "bench/stock-sitemap-<section>.xml",
            sitemap_views.sitemap,
            {"sitemaps": stock_sitemaps()},
        ),
        path("bench/stock-feed/", stock_feed()),
        path("bench/stock-api/documents/", stock_api_view()),
    ]


# The suite ----------------------------------------------------------------------------------------


def discovery_suite(report, *, repeat, client):
    from django.db.models import Count, Q

    from archive_collections.models import Collection
    from documents.models import Status, Subject

    stock_sitemap = measure(
        client, "/bench/stock-sitemap-documents.xml", repeat=repeat, baseline=True
    )
    report.add("sitemap", "index", measure(client, "/sitemap.xml", repeat=repeat))
    report.add(
        "sitemap",
        "documents, page 1 (50,000 addresses)",
        measure(client, "/sitemap-documents.xml", repeat=repeat),
        [("stock GenericSitemap, page 1", stock_sitemap)],
    )
    report.add("sitemap", "people", measure(client, "/sitemap-people.xml", repeat=repeat))

    stock = measure(client, "/bench/stock-feed/", repeat=repeat, baseline=True)
    report.add(
        "feed",
        "archive-wide (50 entries)",
        measure(client, "/documents/feed/", repeat=repeat),
        [("stock Feed, no prefetching", stock)],
    )
    collection = (
        Collection.objects.published()
        .annotate(n=Count("documents", filter=Q(documents__status=Status.PUBLISHED)))
        .order_by("-n")
        .first()
    )
    if collection is not None:
        report.add(
            "feed",
            f"biggest collection ({collection.n:,} documents)",
            measure(client, f"/collections/{collection.slug}/feed/", repeat=repeat),
        )

    subject = Subject.objects.annotate(n=Count("documents")).order_by("-n").first()
    cases = {"no filter": {}, "one filter": {"subject": subject.slug} if subject else {}}
    cases["search 'uranium'"] = {"q": "uranium"}
    for case, params in cases.items():
        query = {**API_PAGE, **params}
        ours = measure(client, with_query("/api/documents/", query), repeat=repeat)
        base = measure(
            client, with_query("/bench/stock-api/documents/", query), repeat=repeat, baseline=True
        )
        report.add("API document list", f"{case}, 100 a page", ours, [("stock DRF list", base)])
    last = measure(client, with_query("/api/documents/", {**API_PAGE, "page": 899}), repeat=repeat)
    report.add("API document list", "page 899, 100 a page", last)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="DATABASE_URL of a generated archive")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    from benchmarks.standalone import configure_environment

    configure_environment(args.database, Path("/tmp"))
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from benchmarks.report import Report, git_revision, machine_info, print_table
    from documents.models import Document

    settings.ROOT_URLCONF = "benchmarks.urls"
    report = Report()
    discovery_suite(report, repeat=args.repeat, client=Client())
    vendor = "postgresql" if args.database.startswith("postgres") else "sqlite"
    documents = Document.objects.count()
    results = {
        "documents": documents,
        "seed": None,
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git": git_revision(),
        "machine": machine_info(),
        "generate_seconds": None,
        "rows": report.rows,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"discovery-{vendor}-{documents}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print_table(results)
    print(f"Results written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
