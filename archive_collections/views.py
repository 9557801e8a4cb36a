from django.db.models import Count, Max, Min, Prefetch, Q
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import render
from django.views.generic import DetailView, ListView

from archive_collections.models import Collection, FeaturedDocument
from documents.browse.declarations import COLLECTION
from documents.history import gone
from documents.models import Document, Status
from documents.views import FilteredDocumentsMixin, deleted_page

HOME_RECENT_DOCUMENTS = 8


def visible_collections(user):
    if user.is_staff and user.has_perm("collections.view_collection"):
        return Collection.objects.all()
    return Collection.objects.published()


def withdrawn_page(request, collection):
    """The 410 page of a withdrawn collection: its title and the curators' public reason."""
    context = {"collection": collection}
    return render(request, "collections/collection_withdrawn.html", context, status=410)


class HomeView(ListView):
    template_name = "home.html"
    context_object_name = "collections"

    def get_queryset(self):
        return Collection.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_documents"] = (
            Document.objects.published()
            .select_related("document_type")
            .order_by("-first_published_at", "-pk")[:HOME_RECENT_DOCUMENTS]
        )
        return context


class CollectionListView(ListView):
    """Every published collection, A to Z, with its image, the number of its published
    documents and the years they span: one query, however many collections there are."""

    context_object_name = "collections"

    def get_queryset(self):
        published = Q(documents__status=Status.PUBLISHED)
        return (
            Collection.objects.published()
            .annotate(
                published_count=Count("documents", filter=published),
                earliest=Min("documents__date_start", filter=published),
                latest=Max("documents__date_end", filter=published),
            )
            .order_by(Lower("title"), "pk")
        )


class CollectionDetailView(FilteredDocumentsMixin, DetailView):
    # The collection is fixed by the page, so its facet would only ever show itself.
    facet_exclude = (COLLECTION.name,)

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            withdrawn = Collection.objects.filter(
                slug=kwargs["slug"], status=Status.WITHDRAWN
            ).first()
            # One withdrawn before it was ever published stays unknown, as a draft is.
            if withdrawn is not None and gone.collection_was_published(withdrawn.pk):
                return withdrawn_page(request, withdrawn)
            if deleted := gone.deleted_collection(kwargs["slug"]):
                return deleted_page(request, "collection", deleted)
            raise

    def get_queryset(self):
        return visible_collections(self.request.user).prefetch_related(
            Prefetch(
                "featured_entries",
                # A join, not `document__in=published()`: that subquery lists every document.
                queryset=FeaturedDocument.objects.filter(document__status=Status.PUBLISHED)
                .select_related("document", "document__document_type")
                .only(
                    "collection_id",
                    "document_id",
                    "order",
                    *(f"document__{name}" for name in Document.SUMMARY_FIELDS),
                ),
            ),
            Prefetch("related", queryset=Collection.objects.published()),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.filtered_documents(within=self.object))
        return context
