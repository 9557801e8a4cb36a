"""The IIIF addresses: image information and files, Manifests and Collections, public only.

Every answer carries `Access-Control-Allow-Origin: *` (viewers on other sites read them).
Information, Manifests and Collections are JSON-LD built per request, with the host the request
came to (the page cache keeps them per address and drops them when a record changes); the image
files are the static level-0 files in the default storage, served only while their scan is
public and its document published.
"""

import re

from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef, Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from archive_collections.models import Collection
from documents.iiif import images as image_api
from documents.iiif import presentation
from documents.models import (
    Citation,
    Contribution,
    Document,
    Scan,
    ScanImage,
    Status,
    iiif_file_path,
)

# What a level-0 service has files for: a region, a size, no rotation, the default quality.
_IMAGE_REQUEST = re.compile(r"^(full|\d+,\d+,\d+,\d+)/(max|\d+,\d+)/0/default\.jpg$")
_FILE_CACHE_SECONDS = 24 * 60 * 60


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(data, media_type):
    response = JsonResponse(data, content_type=media_type)
    return _cors(response)


def _absolute(request):
    return request.build_absolute_uri


@require_safe
def image_base(request, key):
    """The service's own address: a client is sent to its information (Image API § 2.2)."""
    response = HttpResponseRedirect(reverse("iiif:info", kwargs={"key": key}))
    response.status_code = 303
    return _cors(response)


@require_safe
def image_info(request, key):
    image = ScanImage.objects.public().filter(key=key).first()
    if image is None:
        raise Http404("No public image has this identifier.")
    service_id = request.build_absolute_uri(reverse("iiif:image", kwargs={"key": key}))
    return _json(image_api.info(image, service_id), image_api.IMAGE_MEDIA_TYPE)


@require_safe
def image_file(request, key, name):
    if not _IMAGE_REQUEST.match(name):
        raise Http404("This image service (level 0) has files for listed sizes and tiles only.")
    if not ScanImage.objects.public().filter(key=key).exists():
        raise Http404("No public image has this identifier.")
    try:
        handle = default_storage.open(iiif_file_path(key, name), "rb")
    except FileNotFoundError as error:
        raise Http404("This image has no tile or size at this address.") from error
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = f"public, max-age={_FILE_CACHE_SECONDS}"
    return _cors(response)


def images_of(document):
    """The document's (scan, image) pairs in reading order: its public scans, page by page."""
    return [(scan, image) for scan in document.public_scans for image in scan.images.all()]


def manifest_documents():
    """Published documents as a Manifest reads them: everything it shows in a fixed number of
    queries, however many pages and people it has."""
    return (
        Document.objects.published()
        .select_related("document_type", "classification", "rights")
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related("person"),
            ),
            Prefetch("citations", queryset=Citation.objects.select_related("repository")),
            "languages",
            "subjects",
            "places",
            Prefetch(
                "collections",
                queryset=Collection.objects.published(),
                to_attr="published_collections",
            ),
            Prefetch(
                "scans",
                queryset=Scan.objects.public().prefetch_related("images"),
                to_attr="public_scans",
            ),
        )
    )


@require_safe
def manifest(request, record_id):
    document = manifest_documents().filter(record_id=record_id).first()
    if document is None:
        if Document.objects.filter(record_id=record_id, status=Status.WITHDRAWN).exists():
            context = {"record_id": record_id}
            return _cors(render(request, "documents/document_withdrawn.html", context, status=410))
        raise Http404("No published document has this record ID.")
    images = images_of(document)
    if not images:
        raise Http404("This document has no public scans to show.")
    data = presentation.manifest(
        document,
        images,
        rights=document.rights_statement,
        collections=document.published_collections,
        url=_absolute(request),
    )
    return _json(data, presentation.PRESENTATION_MEDIA_TYPE)


def _has_images():
    return Exists(ScanImage.objects.public().filter(scan__document=OuterRef("pk")))


@require_safe
def collection(request, slug):
    found = get_object_or_404(Collection.objects.published(), slug=slug)
    documents = (
        Document.objects.published()
        .in_collection(found)
        .filter(_has_images())
        .values_list("record_id", "title")
    )
    data = presentation.collection(found, list(documents), url=_absolute(request))
    return _json(data, presentation.PRESENTATION_MEDIA_TYPE)


@require_safe
def collections(request):
    with_manifests = Exists(
        Document.objects.published().filter(collections=OuterRef("pk")).filter(_has_images())
    )
    found = Collection.objects.published().filter(with_manifests).only("title", "slug")
    data = presentation.top_collection(list(found), url=_absolute(request))
    return _json(data, presentation.PRESENTATION_MEDIA_TYPE)
