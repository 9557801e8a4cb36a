"""Baseline views the real pages are measured against.

- `bare`: the rows a real page showed, fetched by primary key and rendered with the same template:
  the floor for rendering those rows, with no filtering, counting or facets.
- `naive`: what a first attempt would write: a FilterSet generated from the model, a Paginator
  (with its COUNT), and facet counts by GROUP BY over the filtered rows, no select_related.
"""

import django_filters
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import engines
from django.template.response import TemplateResponse

from archive_collections.models import Collection
from documents.models import Document, ScanImage

FACETS = [
    "subjects__name",
    "places__name",
    "languages__name",
    "classification__name",
    "document_type__name",
]


# For lists whose real template does not exist yet: a plain list of the same document summaries.
BUILTIN = "builtin"
BUILTIN_TEMPLATE = """{% extends "base.html" %}{% block content %}
<p>{{ paginator.count }} documents</p>
{% for document in documents %}{% include "includes/document_summary.html" %}{% endfor %}
{% endblock %}"""


def render_list(request, template, context):
    if template == BUILTIN:
        compiled = engines["django"].from_string(BUILTIN_TEMPLATE)
        return TemplateResponse(request, compiled, context).render()
    return render(request, template, context)


class NaiveDocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains")

    class Meta:
        model = Document
        fields = [
            "subjects",
            "places",
            "languages",
            "classification",
            "document_type",
            "collections",
        ]


def bare(request, template):
    """Render the rows listed by primary key in ?ids=1,2,3, in that order."""
    try:
        pks = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk]
    except ValueError as error:
        raise Http404("ids must be numbers.") from error
    by_pk = Document.objects.select_related("document_type").in_bulk(pks)
    rows = [by_pk[pk] for pk in pks if pk in by_pk]
    context = {"documents": rows, "object_list": rows, "document_list": rows}
    if slug := request.GET.get("collection"):
        collection = Collection.objects.get(slug=slug)
        context.update(collection=collection, object=collection)
    return render(request, template, context)


def naive_list(request, template, collection_slug=None):
    documents = Document.objects.published()
    context = {}
    if collection_slug:
        collection = get_object_or_404(Collection.objects.published(), slug=collection_slug)
        documents = documents.filter(collections=collection)
        context.update(collection=collection, object=collection)
    filtered = NaiveDocumentFilter(request.GET, queryset=documents).qs
    page = Paginator(filtered, 20).get_page(request.GET.get("page"))
    facets = {
        name: list(filtered.values(name).annotate(n=Count("pk")).order_by("-n")[:10])
        for name in FACETS
    }
    context.update(
        documents=page.object_list,
        object_list=page.object_list,
        document_list=page.object_list,
        page_obj=page,
        paginator=page.paginator,
        is_paginated=page.has_other_pages(),
        facets=facets,
    )
    return render_list(request, template, context)


def bare_oai(request):
    """The documents in ?ids=1,2,3 read by primary key and written as minimal oai_dc with lxml.

    The floor for a ListRecords page of those records: one query, title, date and address only.
    """
    from django.http import HttpResponse
    from lxml import etree

    pks = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.isdigit()]
    oai, dc = "http://www.openarchives.org/OAI/2.0/", "http://purl.org/dc/elements/1.1/"
    root = etree.Element(f"{{{oai}}}OAI-PMH", nsmap={None: oai, "dc": dc})
    listed = etree.SubElement(root, f"{{{oai}}}ListRecords")
    rows = Document.objects.filter(pk__in=pks).values_list("record_id", "title", "date_edtf")
    for record_id, title, date_edtf in rows:
        record = etree.SubElement(listed, f"{{{oai}}}record")
        etree.SubElement(record, f"{{{oai}}}identifier").text = f"oai:testserver:{record_id}"
        metadata = etree.SubElement(record, f"{{{oai}}}metadata")
        etree.SubElement(metadata, f"{{{dc}}}title").text = title
        etree.SubElement(metadata, f"{{{dc}}}date").text = date_edtf
        etree.SubElement(metadata, f"{{{dc}}}identifier").text = request.build_absolute_uri(
            f"/documents/{record_id}/"
        )
    return HttpResponse(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


# IIIF baselines (benchmarks/iiif.py): the rows a Manifest and a Collection read, as bare JSON.


def bare_iiif_images(request, document_id):
    """A document's image rows as JSON, with no description: the floor of its Manifest."""
    rows = ScanImage.objects.filter(scan__document_id=document_id).values(
        "key", "width", "height", "tile_size", "scale_factors", "sizes"
    )
    return JsonResponse({"items": list(rows)})


def bare_iiif_collection(request, collection_id):
    """A collection's published documents as JSON, without asking which have scans."""
    rows = (
        Document.objects.published()
        .filter(collections=collection_id)
        .values_list("record_id", "title")
    )
    return JsonResponse({"items": [list(row) for row in rows]})
