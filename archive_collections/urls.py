from django.urls import path

from archive_collections import views
from documents.discovery.feeds import CollectionFeed

app_name = "collections"

urlpatterns = [
    path("", views.CollectionListView.as_view(), name="list"),
    path("<slug:slug>/", views.CollectionDetailView.as_view(), name="detail"),
    path("<slug:slug>/feed/", CollectionFeed(), name="feed"),
]
