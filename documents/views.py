from django.db.models import Prefetch
from django.views.generic import DetailView

from documents.models import Citation, Contribution, Document, Funding


def visible_documents(user):
    """Published documents for the public; staff who may view documents also preview drafts."""
    if user.is_staff and user.has_perm("documents.view_document"):
        return Document.objects.all()
    return Document.objects.published()


class DocumentDetailView(DetailView):
    slug_field = "record_id"
    slug_url_kwarg = "record_id"

    def get_queryset(self):
        return visible_documents(self.request.user).select_related(
            "document_type", "classification", "rights"
        ).prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related("person", "on_behalf_of"),
            ),
            Prefetch("citations", queryset=Citation.objects.select_related("repository")),
            Prefetch("fundings", queryset=Funding.objects.select_related("organization")),
            "languages",
            "subjects",
            "places",
            "collections",
            Prefetch("related", queryset=Document.objects.published()),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.object
        contributions = list(document.contributions.all())
        context["people_by_role"] = [
            (label, [c for c in contributions if c.role == role])
            for role, label in Contribution.Role.choices
            if any(c.role == role for c in contributions)
        ]
        context["rights"] = document.rights_statement
        context["related"] = document.related.all()
        context["collections"] = [c for c in document.collections.all() if c.is_published()]
        return context
