"""The browse pages of the subjects and places (the people's is in people_urls.py)."""

from django.urls import path

from documents import views

app_name = "terms"

urlpatterns = [
    path("subjects/", views.SubjectDirectoryView.as_view(), name="subjects"),
    path("places/", views.PlaceDirectoryView.as_view(), name="places"),
]
