"""The site's URLs plus the baselines, for benchmark runs only."""

from django.urls import path

from archive_site.urls import urlpatterns as site_urlpatterns
from benchmarks import browse, views
from benchmarks.admin import stock_site
from benchmarks.discovery import baseline_urlpatterns

urlpatterns = [
    path("bench/bare/<path:template>", views.bare, name="bench-bare"),
    path("bench/naive/documents/<path:template>", views.naive_list, name="bench-naive"),
    path(
        "bench/naive/collections/<slug:collection_slug>/<path:template>",
        views.naive_list,
        name="bench-naive-collection",
    ),
    path("bench/bare-oai/", views.bare_oai, name="bench-bare-oai"),
    path("bench/naive/browse/<str:vocabulary>/", browse.naive_directory),
    path("bench/timeline/index/<slug:collection_slug>/", browse.timeline_in_memory),
    path("bench/timeline/sql/<slug:collection_slug>/", browse.timeline_by_sql),
    path("bench/bare-iiif/images/<int:document_id>", views.bare_iiif_images),
    path("bench/bare-iiif/collection/<int:collection_id>", views.bare_iiif_collection),
    path("bench-admin/", stock_site.urls),
    *baseline_urlpatterns(),
    *site_urlpatterns,
]
