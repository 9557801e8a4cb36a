from django.urls import path

from documents import views
from documents.discovery.feeds import NewDocumentsFeed

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("feed/", NewDocumentsFeed(), name="feed"),
    path("<int:record_id>/", views.DocumentDetailView.as_view(), name="detail"),
    path(
        "<int:record_id>/cite.ris",
        views.CitationDownloadView.as_view(),
        {"format": "ris"},
        name="cite-ris",
    ),
    path(
        "<int:record_id>/cite.bib",
        views.CitationDownloadView.as_view(),
        {"format": "bib"},
        name="cite-bibtex",
    ),
    path(
        "<int:record_id>/cite.json",
        views.CitationDownloadView.as_view(),
        {"format": "json"},
        name="cite-csl",
    ),
]
