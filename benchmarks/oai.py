"""The OAI-PMH measurements: a ListRecords page of 100 records, beside its baselines.

Ours: /oai/?verb=ListRecords in oai_dc and in MODS, the first page and a page reached by a
resumption token from the middle of the list (an aggregator's harvest walks every page).
Baselines in the same run: the bare view (benchmarks/views.py `bare_oai`: the same 100
documents read by primary key, their titles and dates written as minimal oai_dc with lxml) and
the /documents/ page (20 rows, the public list).
"""

from benchmarks.timing import measure

PAGE = 100


def oai_suite(report, *, repeat, client):
    from django.conf import settings

    from documents.models import HarvestRecord

    settings.OAI_PAGE_SIZE = PAGE
    rows = HarvestRecord.objects.order_by("datestamp", "document_id")
    total = rows.count()
    if not total:
        report.add("OAI-PMH", "ListRecords", {"status": "not available: no records"})
        return
    middle = rows[total // 2 : total // 2 + PAGE]
    ids = ",".join(str(pk) for pk in middle.values_list("document_id", flat=True))
    bare = measure(client, f"/bench/bare-oai/?ids={ids}", repeat=repeat, baseline=True)
    documents_page = measure(client, "/documents/", repeat=repeat, baseline=True)
    for prefix in ("oai_dc", "mods"):
        first = f"/oai/?verb=ListRecords&metadataPrefix={prefix}"
        report.add(
            "OAI-PMH",
            f"ListRecords {prefix}, page 1 of {total:,} records",
            measure(client, first, repeat=repeat),
            [("bare query + lxml", bare), ("/documents/ page 1", documents_page)],
        )
        token = _token_into_middle(client, prefix, rows, total)
        report.add(
            "OAI-PMH",
            f"ListRecords {prefix}, a page from the middle (resumption token)",
            measure(client, f"/oai/?verb=ListRecords&resumptionToken={token}", repeat=repeat),
            [("bare query + lxml", bare)],
        )


def _token_into_middle(client, prefix, rows, total):
    """A token for the page after the middle record, issued as the provider issues them."""
    from urllib.parse import quote

    from django.utils import timezone

    from documents.oai import tokens

    last = rows[total // 2]
    token, _ = tokens.issue(
        "ListRecords",
        {"metadataPrefix": prefix},
        after=(last.datestamp, last.document_id),
        cursor=total // 2 + 1,
        size=total,
        now=timezone.now(),
    )
    return quote(token)
