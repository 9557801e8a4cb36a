"""IIIF Presentation 3.0: Manifests and Collections, loaded and checked by iiif-prezi3 (the
IIIF community's Python models of the specification), published records only."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from iiif_prezi3 import Collection as IIIFCollection
from iiif_prezi3 import Manifest
from pydantic import ValidationError

from archive_collections.models import Collection
from documents.models import Contribution, Language, RightsStatement, Status
from tests.factories import ContributionFactory, DocumentFactory, PersonFactory
from tests.iiif.conftest import add_scan, pdf, photo

pytestmark = pytest.mark.django_db


def _manifest(client, document):
    response = client.get(reverse("iiif:manifest", kwargs={"record_id": document.record_id}))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(response.content)


def _validated(model, data):
    """The document as iiif-prezi3 loads it (strict), dumped back as JSON-LD."""
    return json.loads(model.model_validate(data).jsonld())


def test_a_manifest_has_a_canvas_per_page_with_its_image_service(client, scanned_document):
    data = _manifest(client, scanned_document)
    # iiif-prezi3 reads every property as the specification defines it: nothing is dropped.
    assert _validated(Manifest, data) == data
    canvases = data["items"]
    assert [c["label"]["en"][0] for c in canvases] == [
        "Envelope",
        "Letter, page 1",
        "Letter, page 2",
    ]
    for canvas in canvases:
        body = canvas["items"][0]["items"][0]["body"]
        service = body["service"][0]
        assert service["type"] == "ImageService3" and service["profile"] == "level0"
        info = json.loads(client.get(f"{service['id']}/info.json").content)
        assert (info["width"], info["height"]) == (canvas["width"], canvas["height"])
        assert body["id"] == f"{service['id']}/full/max/0/default.jpg"
    # The PDF's pages are drawn in their own orientation.
    assert canvases[1]["width"] < canvases[1]["height"]
    assert canvases[2]["width"] > canvases[2]["height"]


def test_iiif_prezi3_refuses_a_manifest_that_breaks_the_specification(client, scanned_document):
    data = _manifest(client, scanned_document)
    without_width = copy.deepcopy(data)
    without_width["items"][0]["width"] = "wide"
    without_notice = copy.deepcopy(data)
    without_notice["requiredStatement"] = {"label": {"en": ["Rights"]}}
    for broken in (without_width, without_notice):
        with pytest.raises(ValidationError):
            _validated(Manifest, broken)


def test_a_manifest_describes_the_record_rights_citations_and_the_archive(
    client, scanned_document, settings
):
    document = scanned_document
    author = PersonFactory(name="Mao Zedong")
    ContributionFactory(document=document, person=author, role=Contribution.Role.AUTHOR)
    document.languages.add(Language.objects.create(name="Russian", code="ru"))
    rights = RightsStatement.objects.create(
        title="Educational use",
        text="This document may be used for education.",
        uri="http://rightsstatements.org/vocab/InC-EDU/1.0/",
    )
    document.rights = rights
    document.save()
    collection = Collection.objects.create(title="Soviet telegrams", status=Status.PUBLISHED)
    collection.documents.add(document)
    hidden = Collection.objects.create(title="A draft collection", status=Status.DRAFT)
    hidden.documents.add(document)

    data = _manifest(client, document)
    _validated(Manifest, data)
    assert data["label"] == {"en": ["Telegram to Moscow"]}
    assert data["summary"] == {"en": [document.summary]}
    metadata = {entry["label"]["en"][0]: entry["value"] for entry in data["metadata"]}
    assert metadata["Date"] == {"none": ["May 8, 1946"]}
    assert metadata["Author"] == {"none": ["Mao Zedong"]}
    assert metadata["Original language"] == {"en": ["Russian"]}
    assert metadata["Collections"] == {"en": ["Soviet telegrams"]}
    assert metadata["Record ID"] == {"none": [str(document.record_id)]}
    assert "A draft collection" not in json.dumps(data)
    assert data["requiredStatement"]["value"] == {"en": [rights.text]}
    assert data["rights"] == rights.uri
    page = f"http://testserver{document.get_absolute_url()}"
    assert data["homepage"][0]["id"] == page
    formats = {see["format"]: see["id"] for see in data["seeAlso"]}
    assert formats["application/x-research-info-systems"] == (
        f"http://testserver{reverse('documents:cite-ris', args=[document.record_id])}"
    )
    for url in formats.values():
        assert client.get(url.removeprefix("http://testserver")).status_code == 200
    assert data["provider"][0]["label"] == {"en": [settings.ARCHIVE_NAME]}
    assert data["partOf"][0]["id"].endswith(f"/iiif/collections/{collection.slug}.json")


def test_a_rights_uri_outside_the_two_allowed_vocabularies_is_left_out(client, scanned_document):
    scanned_document.rights = RightsStatement.objects.create(
        title="Ours", text="Ask us first.", uri="https://example.org/rights"
    )
    scanned_document.save()
    data = _manifest(client, scanned_document)
    assert "rights" not in data
    assert data["requiredStatement"]["value"] == {"en": ["Ask us first."]}


@pytest.mark.parametrize(("status", "code"), [(Status.DRAFT, 404), (Status.WITHDRAWN, 410)])
def test_a_document_the_public_cannot_see_has_no_manifest(client, scanned_document, status, code):
    scanned_document.status = status
    scanned_document.save()
    url = reverse("iiif:manifest", kwargs={"record_id": scanned_document.record_id})
    assert client.get(url).status_code == code


def test_a_published_document_without_scans_has_no_manifest(client):
    document = DocumentFactory(status=Status.PUBLISHED)
    url = reverse("iiif:manifest", kwargs={"record_id": document.record_id})
    assert client.get(url).status_code == 404


def test_the_queries_for_a_manifest_do_not_grow_with_its_pages_or_people(client):
    small = DocumentFactory(status=Status.PUBLISHED)
    add_scan(small, "one.png", photo(600, 400))
    large = DocumentFactory(status=Status.PUBLISHED)
    add_scan(large, "one.png", photo(600, 400))
    add_scan(large, "many.pdf", pdf(*[(300, 400)] * 12))
    for _ in range(5):
        ContributionFactory(document=large, role=Contribution.Role.AUTHOR)

    def count(document):
        with CaptureQueriesContext(connection) as queries:
            assert len(_manifest(client, document)["items"]) >= 1
        return len(queries)

    assert len(_manifest(client, large)["items"]) == 13
    assert count(large) == count(small)


def test_collections_list_only_published_documents_with_scans(client, scanned_document):
    collection = Collection.objects.create(title="Telegrams", status=Status.PUBLISHED)
    draft = DocumentFactory(status=Status.DRAFT)
    add_scan(draft, "draft.png", photo())
    withdrawn = DocumentFactory(status=Status.WITHDRAWN)
    add_scan(withdrawn, "gone.png", photo())
    unscanned = DocumentFactory(status=Status.PUBLISHED)
    collection.documents.add(scanned_document, draft, withdrawn, unscanned)
    only_drafts = Collection.objects.create(title="Drafts only", status=Status.PUBLISHED)
    only_drafts.documents.add(draft)
    hidden = Collection.objects.create(title="Unpublished", status=Status.DRAFT)
    hidden.documents.add(scanned_document)

    response = client.get(reverse("iiif:collection", kwargs={"slug": collection.slug}))
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    _validated(IIIFCollection, data)
    manifest_url = reverse("iiif:manifest", kwargs={"record_id": scanned_document.record_id})
    assert [item["id"] for item in data["items"]] == [f"http://testserver{manifest_url}"]
    for item in data["items"]:
        _validated(Manifest, json.loads(client.get(item["id"]).content))

    assert client.get(reverse("iiif:collection", kwargs={"slug": hidden.slug})).status_code == 404
    top = json.loads(client.get(reverse("iiif:collections")).content)
    _validated(IIIFCollection, top)
    assert [item["label"]["en"][0] for item in top["items"]] == ["Telegrams"]
    for item in top["items"]:
        _validated(IIIFCollection, json.loads(client.get(item["id"]).content))


def test_a_cached_manifest_is_gone_once_its_document_is_withdrawn(
    client, scanned_document, page_cache
):
    url = reverse("iiif:manifest", kwargs={"record_id": scanned_document.record_id})
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Archive-Cache"] == "hit"
    scanned_document.status = Status.WITHDRAWN
    scanned_document.save()
    assert client.get(url).status_code == 410


def test_a_scan_made_before_iiif_images_gets_them_from_process_scans(client, scanned_document):
    scan = scanned_document.scans.get(caption="Letter")
    scan.images.all().delete()
    assert len(_manifest(client, scanned_document)["items"]) == 1
    call_command("process_scans", stdout=io.StringIO())
    assert scan.images.count() == 2
    assert len(_manifest(client, scanned_document)["items"]) == 3
