from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from archive_collections.models import Collection, FeaturedDocument
from documents.models import Document


def visible_collections(user):
    if user.is_staff and user.has_perm("collections.view_collection"):
        return Collection.objects.all()
    return Collection.objects.published()


class HomeView(ListView):
    template_name = "home.html"
    context_object_name = "collections"

    def get_queryset(self):
        return Collection.objects.published()


class CollectionListView(ListView):
    context_object_name = "collections"

    def get_queryset(self):
        return Collection.objects.published()


class CollectionDetailView(DetailView):
    def get_queryset(self):
        return visible_collections(self.request.user).prefetch_related(
            Prefetch(
                "featured_entries",
                queryset=FeaturedDocument.objects.filter(
                    document__in=Document.objects.published()
                ).select_related("document"),
            ),
            Prefetch("related", queryset=Collection.objects.published()),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["documents"] = (
            Document.objects.published().in_collection(self.object).select_related("document_type")
        )
        return context
