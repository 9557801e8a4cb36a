from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import DetailView

from documents.models import Citation, Contribution, Document, Funding, Person, PersonRedirect


def visible_documents(user):
    """Published documents for the public; staff who may view documents also preview drafts."""
    if user.is_staff and user.has_perm("documents.view_document"):
        return Document.objects.all()
    return Document.objects.published()


class DocumentDetailView(DetailView):
    slug_field = "record_id"
    slug_url_kwarg = "record_id"

    def get_queryset(self):
        return (
            visible_documents(self.request.user)
            .select_related("document_type", "classification", "rights")
            .prefetch_related(
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


class PersonDetailView(DetailView):
    model = Person

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A person merged into another keeps answering at the old address.
            moved = PersonRedirect.objects.select_related("person").filter(old_slug=kwargs["slug"])
            if target := moved.first():
                return redirect(target.person, permanent=True)
            raise

    def get_queryset(self):
        return Person.objects.prefetch_related("variants")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contributions = (
            Contribution.objects.filter(
                person=self.object, document__in=visible_documents(self.request.user)
            )
            .select_related("document")
            .order_by("role", "document__date_start", "document__title")
        )
        labels = dict(Contribution.Role.choices)
        by_role = {}
        for contribution in contributions:
            by_role.setdefault(labels[contribution.role], []).append(contribution.document)
        context["documents_by_role"] = list(by_role.items())
        return context
