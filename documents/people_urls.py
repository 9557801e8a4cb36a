from django.urls import path

from documents import views

app_name = "people"

urlpatterns = [
    path("", views.PeopleDirectoryView.as_view(), name="list"),
    path("<slug:slug>/", views.PersonDetailView.as_view(), name="detail"),
]
