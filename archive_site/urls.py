from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from archive_collections.views import HomeView
from documents.admin import dashboard
from documents.unapi import unapi

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("collections/", include("archive_collections.urls")),
    path("documents/", include("documents.urls")),
    path("people/", include("documents.people_urls")),
    path("", include("documents.term_urls")),
    path("unapi", unapi, name="unapi"),
    path("oai/", include("documents.oai.urls")),  # OAI-PMH for harvesters (documents/oai/)
    path("iiif/", include("documents.iiif.urls")),
    # The admin's home is the curators' dashboard; resolved before the admin's own index, which
    # it renders (so "admin:index" still names this page).
    path("admin/", admin.site.admin_view(dashboard.index)),
    path("admin/", admin.site.urls),
    path("api/", include("documents.api.urls")),
    path("", include("documents.discovery.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

admin.site.site_header = f"{settings.ARCHIVE_NAME} administration"
admin.site.site_title = settings.ARCHIVE_NAME

handler500 = "documents.views.server_error"
