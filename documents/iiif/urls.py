"""IIIF addresses (included at /iiif/ by archive_site/urls.py; see documents/iiif/views.py)."""

from django.urls import path, register_converter

from documents.iiif import views


class ImageKey:
    """The identifier of a IIIF image: the SHA-256 of its full-size JPEG."""

    regex = "[0-9a-f]{64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ImageKey, "image_key")

app_name = "iiif"

urlpatterns = [
    path("image/<image_key:key>", views.image_base, name="image"),
    path("image/<image_key:key>/info.json", views.image_info, name="info"),
    path("image/<image_key:key>/<path:name>", views.image_file, name="file"),
    path("documents/<int:record_id>/manifest.json", views.manifest, name="manifest"),
    path("collections/<slug:slug>.json", views.collection, name="collection"),
    path("collections.json", views.collections, name="collections"),
]
