from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<int:record_id>/", views.DocumentDetailView.as_view(), name="detail"),
]
