"""The addresses crawlers look for at the site's root: robots.txt and the sitemap."""

from django.urls import path

from documents.discovery.robots import robots_txt
from documents.discovery.sitemaps import sitemap_index, sitemap_section

urlpatterns = [
    path("robots.txt", robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap_index, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap_section,
        name="sitemap-section",
    ),
]
