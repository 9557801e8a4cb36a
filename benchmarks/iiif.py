"""IIIF: a many-page document's Manifest and a collection's IIIF Collection, beside baselines.

    .venv/bin/python -m benchmarks.iiif --documents 100000 [--workdir DIR] [--repeat 30]

run by itself (it generates the archive, seeded, or reuses the SQLite file an earlier run left
in --workdir), and as a suite of `benchmarks/run.py`. The generator makes no scans, so the suite
gives documents placeholder scans with IIIF image rows and no files (a Manifest and a Collection
read only rows; `benchmarks.placeholders`): the richest published document gets a PDF of
MANY_PAGES pages, a second one a single image, and every published document of the largest
collection one image. Measured, each beside a baseline in the same run:

- the Manifest of the many-page document, beside the bare view (benchmarks/views.py) that reads
  the same document's image rows and returns them as JSON, with no description: the floor;
  and the Manifest of the one-page document (pages should cost little);
- the collection's IIIF Collection, beside the bare view that lists the same collection's
  published documents as JSON without asking which have scans.
"""

import argparse
import sys
import time
from pathlib import Path

MANY_PAGES = 500


def add_placeholder_images(*, pages=MANY_PAGES):
    """Give documents placeholder scans and IIIF image rows; return (many, one, collection)."""
    from django.db.models import Count, Q

    from archive_collections.models import Collection
    from benchmarks.placeholders import placeholder_scan
    from documents import changes
    from documents.models import Contribution, Document, Scan, ScanImage

    collection = (
        Collection.objects.published()
        .annotate(n=Count("documents", filter=Q(documents__status="published")))
        .order_by("-n", "pk")
        .first()
    )
    richest = (
        Contribution.objects.filter(document__status="published")
        .values("document")
        .annotate(n=Count("pk"))
        .order_by("-n", "document")
        .first()
    )
    many = Document.objects.get(pk=richest["document"])
    one = Document.objects.published().exclude(pk=many.pk).order_by("pk").first()
    if ScanImage.objects.filter(scan__document=many).count() >= pages:
        return many, one, collection
    in_collection = list(
        Document.objects.published().in_collection(collection).exclude(pk__in=[many.pk, one.pk])
    )
    scans = [
        placeholder_scan(
            many,
            folder="iiif",
            name="many",
            number=1,
            media_type=Scan.MediaType.PDF,
            public_file="scans/derivatives/iiif/many-public.pdf",
            page_count=pages,
        ),
        placeholder_scan(one, folder="iiif", name="one", number=2),
    ]
    scans += [
        placeholder_scan(document, folder="iiif", name=document.pk, number=10 + document.pk)
        for document in in_collection
    ]
    scans = Scan.objects.bulk_create(scans, batch_size=2000)

    def image(scan, page):
        return ScanImage(
            scan=scan,
            page=page,
            key=f"{scan.pk:032x}{page:032x}",
            width=1696,
            height=2400,
            tile_size=512,
            scale_factors=[1, 2, 4, 8],
            sizes=[[212, 300]],
        )

    rows = [image(scans[0], page) for page in range(1, pages + 1)]
    rows += [image(scan, 1) for scan in scans[1:]]
    ScanImage.objects.bulk_create(rows, batch_size=2000)
    changes.record(documents=[s.document_id for s in scans], models=[Scan, ScanImage])
    return many, one, collection


def iiif_suite(report, *, repeat, client):
    from django.urls import reverse

    from benchmarks.timing import measure

    many, one, collection = add_placeholder_images()
    manifest = reverse("iiif:manifest", kwargs={"record_id": many.record_id})
    ours = measure(client, manifest, repeat=repeat)
    ours["pages"] = MANY_PAGES
    bare = measure(client, f"/bench/bare-iiif/images/{many.pk}", repeat=repeat, baseline=True)
    single = measure(
        client, reverse("iiif:manifest", kwargs={"record_id": one.record_id}), repeat=repeat
    )
    report.add(
        "IIIF manifest",
        f"{MANY_PAGES} pages",
        ours,
        [("bare image rows as JSON", bare), ("manifest of 1 page", single)],
    )
    url = reverse("iiif:collection", kwargs={"slug": collection.slug})
    ours = measure(client, url, repeat=repeat)
    response = client.get(url)
    ours["manifests"] = response.content.count(b'"type": "Manifest"')
    bare = measure(
        client, f"/bench/bare-iiif/collection/{collection.pk}", repeat=repeat, baseline=True
    )
    report.add("IIIF collection", "largest collection", ours, [("bare document list", bare)])


def main(argv=None):
    import os
    import tempfile

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--workdir", default=f"{tempfile.gettempdir()}/archive-bench-iiif-{os.getuid()}"
    )
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    from benchmarks.databases import fresh_sqlite
    from benchmarks.report import Report, git_revision, machine_info, print_table
    from benchmarks.standalone import configure_environment

    database_url, _path = fresh_sqlite(workdir, args.documents, args.seed, keep=True)
    configure_environment(database_url, workdir)
    sys.path.insert(0, str(root))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from documents.models import Document

    settings.ROOT_URLCONF = "benchmarks.urls"
    call_command("migrate", verbosity=0)
    generate_seconds = None  # generated by an earlier run, reused
    if Document.objects.count() < args.documents:
        started = time.perf_counter()
        call_command("generate_archive", documents=args.documents, seed=args.seed)
        generate_seconds = round(time.perf_counter() - started, 1)
    report = Report()
    iiif_suite(report, repeat=args.repeat, client=Client())
    results = {
        "documents": args.documents,
        "seed": args.seed,
        "git": git_revision(),
        "machine": machine_info(),
        "generate_seconds": generate_seconds,
        "rows": report.rows,
    }
    print_table(results)


if __name__ == "__main__":
    main()
