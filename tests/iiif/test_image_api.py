"""The IIIF Image API 3.0 at level 0: info.json checked by the IIIF validator against a live
server, every listed size and tile served at the promised size, and public images only."""

import io
import json
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from iiif_validator import validator
from PIL import Image

from documents.models import ScanImage, Status
from documents.scans import apply_upload, check_upload
from documents.tasks import scans as scan_tasks
from tests.factories import DocumentFactory
from tests.iiif.conftest import add_scan, pdf, photo, validator_test_image


def _run_validator(live_server, key, version="3.0", *, level=0, also=()):
    """Run the validator's tests for `level` (and the named ones); return the failures."""
    server = urlsplit(live_server.url).netloc
    tests = validator.TestSuite(validator.ValidationInfo()).list_tests(version)
    names = [name for name, about in tests.items() if about["level"] <= level] + list(also)
    failures = {}
    for name in names:
        result = validator.ImageAPI(key, server, prefix="iiif/image", version=version, debug=False)
        validator.TestSuite(validator.ValidationInfo()).run_test(name, result)
        if result.exception and not result.exception.warning:
            failures[name] = (result.urls, result.exception.message, result.exception.got)
    return names, failures


@pytest.mark.django_db(transaction=True)
def test_the_iiif_validator_passes_an_image_at_level_0_with_cross_origin_headers(live_server):
    document = DocumentFactory(status=Status.PUBLISHED)
    add_scan(document, "squares.png", validator_test_image())
    image = ScanImage.objects.get()
    assert (image.width, image.height) == (1000, 1000)
    names, failures = _run_validator(live_server, image.key, also=["cors"])
    assert {"info_json", "id_basic", "id_squares", "format_jpg", "cors"} <= set(names)
    assert failures == {}
    # The same checks fail where there is no image.
    _, failures = _run_validator(live_server, "0" * 64)
    assert {"info_json", "id_basic", "id_squares"} <= set(failures)


def _fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def _image_size(response):
    data = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        return image.size


def _tile_addresses(info):
    """Every tile a viewer may ask for, computed from info.json as OpenSeadragon does."""
    width, height = info["width"], info["height"]
    tiles = info["tiles"][0]
    size = tiles["width"]
    for factor in tiles["scaleFactors"]:
        step = size * factor
        for y in range(0, height, step):
            for x in range(0, width, step):
                region_w, region_h = min(step, width - x), min(step, height - y)
                out_w, out_h = -(-region_w // factor), -(-region_h // factor)
                whole = (region_w, region_h) == (width, height)
                region = "full" if whole else f"{x},{y},{region_w},{region_h}"
                size_text = "max" if (out_w, out_h) == (width, height) else f"{out_w},{out_h}"
                yield f"{region}/{size_text}/0/default.jpg", (out_w, out_h)


@pytest.mark.parametrize(
    ("name", "data", "pages"),
    [
        ("photo.png", photo(2100, 1300), 1),
        ("small.png", photo(300, 200), 1),
        ("letter.pdf", pdf((595, 842), (842, 595), (300, 300)), 3),
    ],
)
def test_every_size_and_tile_in_info_json_is_an_image_of_the_promised_size(
    client, db, name, data, pages
):
    add_scan(DocumentFactory(status=Status.PUBLISHED), name, data)
    images = list(ScanImage.objects.order_by("page"))
    assert [image.page for image in images] == list(range(1, pages + 1))
    for image in images:
        info_url = reverse("iiif:info", kwargs={"key": image.key})
        info = json.loads(_fetch(client, info_url).content)
        base = info["id"]
        assert base == f"http://testserver/iiif/image/{image.key}"
        requests = [("full/max/0/default.jpg", (info["width"], info["height"]))]
        requests += [
            (f"full/{s['width']},{s['height']}/0/default.jpg", (s["width"], s["height"]))
            for s in info.get("sizes", [])
        ]
        requests += list(_tile_addresses(info))
        assert len(requests) > 1 or max(info["width"], info["height"]) <= 512
        for path, size in requests:
            response = _fetch(client, f"{base.removeprefix('http://testserver')}/{path}")
            assert _image_size(response) == size, path


def test_a_pdf_page_is_drawn_no_larger_than_the_bound_however_large_the_page(client, db):
    add_scan(DocumentFactory(status=Status.PUBLISHED), "map.pdf", pdf((14400, 7200)))
    image = ScanImage.objects.get()
    assert (image.width, image.height) == (2400, 1200)


def test_the_address_of_an_image_gives_nothing_of_the_original_away(client, db):
    scan = add_scan(DocumentFactory(status=Status.PUBLISHED), "photo.png", photo())
    image = scan.images.get()
    assert scan.sha256 not in image.key
    info = client.get(reverse("iiif:info", kwargs={"key": image.key})).content.decode()
    assert scan.sha256 not in info and scan.file.name not in info


def test_the_image_service_address_leads_to_its_information(client, db):
    scan = add_scan(DocumentFactory(status=Status.PUBLISHED), "photo.png", photo())
    key = scan.images.get().key
    response = client.get(f"/iiif/image/{key}")
    assert response.status_code == 303
    assert response["Location"] == f"/iiif/image/{key}/info.json"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.WITHDRAWN])
def test_images_of_a_document_the_public_cannot_see_are_not_served(client, db, status):
    scan = add_scan(DocumentFactory(status=status), "photo.png", photo())
    key = scan.images.get().key
    for path in ("info.json", "full/max/0/default.jpg"):
        assert client.get(f"/iiif/image/{key}/{path}").status_code == 404


def test_a_request_a_level_0_service_cannot_answer_is_not_found(client, db):
    scan = add_scan(DocumentFactory(status=Status.PUBLISHED), "photo.png", photo())
    key = scan.images.get().key
    for path in (
        "full/max/90/default.jpg",
        "full/pct:50/0/default.jpg",
        "full/max/0/gray.png",
        "full/7,7/0/default.jpg",
        "../../../../secret/0/default.jpg",
    ):
        assert client.get(f"/iiif/image/{key}/{path}").status_code == 404, path


def test_a_scan_given_another_file_gets_the_images_of_the_new_file(client, db):
    document = DocumentFactory(status=Status.PUBLISHED)
    scan = add_scan(document, "photo.png", photo(colour=(10, 10, 10)))
    old_key = scan.images.get().key
    upload = SimpleUploadedFile("two.pdf", pdf((595, 842), (595, 842)))
    apply_upload(scan, upload, check_upload(upload))
    scan.save()
    scan_tasks.schedule(scan)
    assert scan.images.count() == 2
    assert old_key not in set(scan.images.values_list("key", flat=True))
    assert client.get(f"/iiif/image/{old_key}/info.json").status_code == 404
