"""IIIF Presentation 3.0: a published document's Manifest and the archive's IIIF Collections.

A Manifest has a Canvas per page of the document's public scans, in their order (a PDF gives
one per page), each painted with the page's level-0 image service; its descriptive properties
come from the record: the title, the summary, metadata (date, people in their roles, archival
citations, languages, type, subjects, places, collections, record ID), the rights notice as the
`requiredStatement` and the statement's URI as `rights` (only a rightsstatements.org or
creativecommons.org URI, as the specification allows), the document page as `homepage`, its
citation files as `seeAlso` and the archive as `provider`.

Language maps: what the archive writes (the title, summary, labels, the rights notice, names of
vocabulary entries) is in the archive's language (LANGUAGE_CODE); names, dates and references
are in no language ("none").

The builders make no queries: callers pass a document with its contributions (with people),
citations (with repositories), languages, subjects, places, published collections and rights
prefetched, and its images (`images_of`), and a function that makes an absolute URL of a path.
"""

from django.conf import settings
from django.urls import reverse

from documents.iiif import images as image_api
from documents.models import Contribution

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
PRESENTATION_MEDIA_TYPE = f'application/ld+json;profile="{PRESENTATION_CONTEXT}"'
# Presentation 3 allows these rights URIs (and registered extensions) only.
RIGHTS_PREFIXES = (
    "http://rightsstatements.org/",
    "https://rightsstatements.org/",
    "http://creativecommons.org/",
    "https://creativecommons.org/",
)
CITATION_FILES = (
    ("documents:cite-ris", "application/x-research-info-systems", "Citation (RIS)"),
    ("documents:cite-bibtex", "application/x-bibtex", "Citation (BibTeX)"),
    ("documents:cite-csl", "application/vnd.citationstyles.csl+json", "Citation (CSL-JSON)"),
)


def archive_language():
    return settings.LANGUAGE_CODE.split("-")[0]


def written(*values):
    """A language map of text the archive writes."""
    return {archive_language(): [str(value) for value in values]}


def unwritten(*values):
    """A language map of names, dates and references: in no language."""
    return {"none": [str(value) for value in values]}


def image_service_ids(url):
    """A function giving an image's service address, reversed once for all of a manifest's
    pages (a reverse and an absolute URL per page cost more than the rest of the canvas)."""
    placeholder = "0" * 64
    template = url(reverse("iiif:image", kwargs={"key": placeholder}))
    root = template.removesuffix(placeholder)
    return lambda image: f"{root}{image.key}"


def manifest_id(document, url):
    return url(reverse("iiif:manifest", kwargs={"record_id": document.record_id}))


def collection_id(collection, url):
    return url(reverse("iiif:collection", kwargs={"slug": collection.slug}))


def manifest(document, images, *, rights, collections, url):
    """The Manifest of a published document; `images` are its ScanImages, in reading order."""
    own_id = manifest_id(document, url)
    service_id = image_service_ids(url)
    data = {
        "@context": PRESENTATION_CONTEXT,
        "id": own_id,
        "type": "Manifest",
        "label": written(document.title),
        "metadata": _metadata(document, collections),
    }
    if document.summary:
        data["summary"] = written(document.summary)
    if rights:
        notice = rights.text
        if rights.contact_text:
            contact = f" {rights.contact_email}" if rights.contact_email else ""
            notice = f"{notice}\n\n{rights.contact_text}{contact}."
        data["requiredStatement"] = {"label": written("Rights"), "value": written(notice)}
        if rights.link_uri.startswith(RIGHTS_PREFIXES):
            data["rights"] = rights.link_uri
    data["provider"] = [_provider(url)]
    data["homepage"] = [
        {
            "id": url(document.get_absolute_url()),
            "type": "Text",
            "label": written(document.title),
            "format": "text/html",
        }
    ]
    data["seeAlso"] = [
        {
            "id": url(reverse(name, kwargs={"record_id": document.record_id})),
            "type": "Dataset",
            "label": written(label),
            "format": media_type,
        }
        for name, media_type, label in CITATION_FILES
    ]
    if collections:
        data["partOf"] = [
            {"id": collection_id(c, url), "type": "Collection", "label": written(c.title)}
            for c in collections
        ]
    if images:
        data["thumbnail"] = [_thumbnail(images[0][1], service_id(images[0][1]))]
    data["items"] = [
        _canvas(own_id, number, scan, image, service_id(image))
        for number, (scan, image) in enumerate(images, start=1)
    ]
    return data


def collection(collection, documents, *, url):
    """The IIIF Collection of a published archive collection: its documents' Manifests."""
    data = {
        "@context": PRESENTATION_CONTEXT,
        "id": collection_id(collection, url),
        "type": "Collection",
        "label": written(collection.title),
    }
    if collection.description:
        data["summary"] = written(collection.description)
    data["homepage"] = [
        {
            "id": url(collection.get_absolute_url()),
            "type": "Text",
            "label": written(collection.title),
            "format": "text/html",
        }
    ]
    data["provider"] = [_provider(url)]
    data["items"] = _manifest_references(documents, url)
    return data


def top_collection(collections, *, url):
    """The archive's IIIF Collection: one IIIF Collection per published archive collection."""
    return {
        "@context": PRESENTATION_CONTEXT,
        "id": url(reverse("iiif:collections")),
        "type": "Collection",
        "label": written(settings.ARCHIVE_NAME),
        "provider": [_provider(url)],
        "items": [
            {"id": collection_id(c, url), "type": "Collection", "label": written(c.title)}
            for c in collections
        ],
    }


def _manifest_references(documents, url):
    """References to the Manifests of (record ID, title) pairs; the address reversed once."""
    sentinel = 987654321987654321
    template = url(reverse("iiif:manifest", kwargs={"record_id": sentinel}))
    before, after = template.split(str(sentinel))
    return [
        {"id": f"{before}{record_id}{after}", "type": "Manifest", "label": written(title)}
        for record_id, title in documents
    ]


def _metadata(document, collections):
    entries = []

    def add(label, value_map):
        entries.append({"label": written(label), "value": value_map})

    if document.date_display:
        add("Date", unwritten(document.date_display))
    contributions = list(document.contributions.all())
    for role, label in Contribution.Role.choices:
        names = [c.name_as_written or c.person.name for c in contributions if c.role == role]
        if names:
            add(label, unwritten(*names))
    citations = [str(citation) for citation in document.citations.all()]
    if citations:
        add("Archival citation", unwritten(*citations))
    for label, values in (
        ("Original language", document.languages.all()),
        ("Document type", [document.document_type] if document.document_type else []),
        ("Original classification", [document.classification] if document.classification else []),
        ("Subjects", document.subjects.all()),
        ("Places", document.places.all()),
        ("Collections", collections),
    ):
        names = [str(value) for value in values]
        if names:
            add(label, written(*names))
    add("Record ID", unwritten(document.record_id))
    return entries


def _provider(url):
    home = url(reverse("home"))
    return {
        "id": settings.ARCHIVE_INSTITUTION_URL or home,
        "type": "Agent",
        "label": written(settings.ARCHIVE_NAME),
        "homepage": [
            {
                "id": home,
                "type": "Text",
                "label": written(settings.ARCHIVE_NAME),
                "format": "text/html",
            }
        ],
    }


def _thumbnail(image, service_id):
    width, height, path = image_api.smallest_size(image)
    return {
        "id": f"{service_id}/{path}",
        "type": "Image",
        "format": "image/jpeg",
        "width": width,
        "height": height,
        "service": [image_api.service(image, service_id)],
    }


def _canvas(manifest_url, number, scan, image, service_id):
    canvas_id = f"{manifest_url}/canvas/{number}"
    caption = scan.caption or "Scan of the original"
    label = f"{caption}, page {image.page}" if scan.page_count > 1 else caption
    return {
        "id": canvas_id,
        "type": "Canvas",
        "label": written(label),
        "width": image.width,
        "height": image.height,
        "thumbnail": [_thumbnail(image, service_id)],
        "items": [
            {
                "id": f"{canvas_id}/page",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/page/image",
                        "type": "Annotation",
                        "motivation": "painting",
                        "target": canvas_id,
                        "body": {
                            "id": f"{service_id}/{image_api.FULL_IMAGE}",
                            "type": "Image",
                            "format": "image/jpeg",
                            "width": image.width,
                            "height": image.height,
                            "service": [image_api.service(image, service_id)],
                        },
                    }
                ],
            }
        ],
    }
