"""/api/: the read-only JSON API, its OpenAPI description and its browsable page."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from documents.api import views

app_name = "api"

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("documents/", views.DocumentList.as_view(), name="document-list"),
    path("documents/<int:record_id>/", views.DocumentDetail.as_view(), name="document-detail"),
    path("people/", views.PersonList.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetail.as_view(), name="person-detail"),
    path("collections/", views.CollectionList.as_view(), name="collection-list"),
    path("collections/<slug:slug>/", views.CollectionDetail.as_view(), name="collection-detail"),
    path("subjects/", views.SubjectList.as_view(), name="subject-list"),
    path("subjects/<slug:slug>/", views.SubjectDetail.as_view(), name="subject-detail"),
    path("places/", views.PlaceList.as_view(), name="place-list"),
    path("places/<slug:slug>/", views.PlaceDetail.as_view(), name="place-detail"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path(
        # Swagger UI from our static files (drf-spectacular-sidecar), its script a file of its
        # own: the Content-Security-Policy allows no inline script or style.
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
    # Any other address under /api/ (a slug with characters no slug has, say): a JSON 404.
    re_path(r"^[\s\S]*$", views.NotFoundView.as_view(), name="not-found"),
]
