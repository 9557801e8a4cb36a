"""The API's endpoints: lists with counts and the records themselves, published only.

Each list's number of queries is fixed whatever its page size: its rows in one query, what they
link to in one query per kind (prefetched), counts from the in-memory public index where it
holds them (`documents.browse.index`).
"""

import numpy as np
from django.db.models import Count, Prefetch
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from archive_collections.models import Collection, FeaturedDocument
from documents.api import serializers as shapes
from documents.api.filtering import PublicDocumentFilter
from documents.api.pagination import ArchivePagination
from documents.browse import index
from documents.browse.declarations import COLLECTION, PLACE, SUBJECT
from documents.discovery.people import public_contributions, public_people
from documents.models import (
    Citation,
    Contribution,
    Document,
    DocumentText,
    Funding,
    Place,
    Status,
    Subject,
)


class Gone(APIException):
    status_code = 410
    default_detail = "This record was withdrawn from the archive."
    default_code = "gone"


class NotFoundView(APIView):
    """Any address under /api/ that names nothing: a 404 in JSON, as programs expect."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise NotFound("The API has nothing at this address; /api/ lists what it has.")


class ApiRootView(APIView):
    """Where each list of the API is, and its description."""

    @extend_schema(exclude=True)
    def get(self, request):
        lists = {
            "documents": "document-list",
            "people": "person-list",
            "collections": "collection-list",
            "subjects": "subject-list",
            "places": "place-list",
        }
        links = {
            key: request.build_absolute_uri(reverse(f"api:{name}")) for key, name in lists.items()
        }
        links["schema"] = request.build_absolute_uri(reverse("api:schema"))
        links["docs"] = request.build_absolute_uri(reverse("api:docs"))
        return Response(links)


class DocumentList(generics.ListAPIView):
    """Published documents, filtered as on /documents/ (`q`, `date_from`, `subject`, ...).

    Several values of one filter narrow the results (documents about Iran *and* oil), except
    `type` and `classification`, where they widen them. `sort` is `date` (the default without
    a search), `-date`, `title` or `relevance` (the default with a search). A value a filter
    cannot read is a 400 naming the parameter.
    """

    serializer_class = shapes.DocumentSummarySerializer
    filter_backends = [PublicDocumentFilter]
    pagination_class = ArchivePagination

    def get_queryset(self):
        return Document.objects.published()

    def list(self, request, *args, **kwargs):
        results, count = PublicDocumentFilter().find(request)
        page = self.paginator.paginate(results, request, count=count)
        serializer = self.get_serializer(page, many=True)
        return self.paginator.get_paginated_response(serializer.data)


def document_details():
    """Published documents with everything their record shows, each kind in one query."""
    return (
        Document.objects.published()
        .select_related("document_type", "classification", "rights", "origin", "destination")
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related("person", "on_behalf_of"),
            ),
            Prefetch("citations", queryset=Citation.objects.select_related("repository")),
            Prefetch("fundings", queryset=Funding.objects.select_related("organization")),
            Prefetch(
                "texts", queryset=DocumentText.objects.select_related("language", "translator")
            ),
            "languages",
            "subjects",
            "places",
            Prefetch(
                "collections",
                queryset=Collection.objects.published(),
                to_attr="public_collections",
            ),
            Prefetch(
                "related", queryset=Document.objects.published().select_related("document_type")
            ),
        )
    )


class DocumentDetail(generics.RetrieveAPIView):
    """A published document: its text, people in their roles, source, rights and links."""

    serializer_class = shapes.DocumentSerializer
    lookup_field = "record_id"

    def get_queryset(self):
        return document_details()

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            withdrawn = Document.objects.filter(
                record_id=self.kwargs["record_id"], status=Status.WITHDRAWN
            )
            if withdrawn.exists():
                raise Gone() from None
            raise


class PersonList(generics.ListAPIView):
    """People named by a published document, by sort name."""

    serializer_class = shapes.PersonSummarySerializer
    pagination_class = ArchivePagination

    def get_queryset(self):
        return public_people().order_by("sort_name", "name", "pk")


class PersonDetail(generics.RetrieveAPIView):
    """A person, their variant names and how many published documents name them per role."""

    serializer_class = shapes.PersonSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return public_people().prefetch_related("variants")

    def get_object(self):
        person = super().get_object()
        counts = (
            public_contributions()
            .filter(person=person)
            .values("role")
            .annotate(documents=Count("pk"))
        )
        by_role = {row["role"]: row["documents"] for row in counts}
        person.roles = [
            {"role": role, "documents": by_role[role]}
            for role in Contribution.Role
            if role in by_role
        ]
        return person


def index_counts(name):
    """{term id: published documents linked} for one link filter, from the public index."""
    links = index.public_index().links[name]
    counts = np.bincount(links.term, minlength=links.size)
    return {int(term): int(counts[term]) for term in np.flatnonzero(counts)}


class CollectionList(generics.ListAPIView):
    """Published collections, by title, with their number of published documents."""

    serializer_class = shapes.CollectionSummarySerializer
    pagination_class = ArchivePagination

    def get_queryset(self):
        return Collection.objects.published().order_by("title", "pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        counts = index_counts(COLLECTION.name)
        for collection in page:
            collection.document_count = counts.get(collection.pk, 0)
        return page


class CollectionDetail(generics.RetrieveAPIView):
    """A published collection: its description, popular documents and "also see"."""

    serializer_class = shapes.CollectionSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Collection.objects.published().prefetch_related(
            Prefetch(
                "featured_entries",
                queryset=FeaturedDocument.objects.filter(
                    document__status=Status.PUBLISHED
                ).select_related("document", "document__document_type"),
            ),
            Prefetch("related", queryset=Collection.objects.published()),
        )

    def get_object(self):
        collection = super().get_object()
        collection.document_count = index_counts(COLLECTION.name).get(collection.pk, 0)
        collection.popular_documents = [e.document for e in collection.featured_entries.all()]
        return collection


class TermMixin:
    """A vocabulary the published documents use: only terms with a published document."""

    model = Subject
    filter_name = SUBJECT.name
    serializer_class = shapes.VocabularyTermSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "vocabulary": self.filter_name}

    def counts(self):
        if not hasattr(self, "_counts"):
            self._counts = index_counts(self.filter_name)
        return self._counts

    def get_queryset(self):
        return self.model.objects.filter(pk__in=list(self.counts())).order_by("name", "pk")


class TermList(TermMixin, generics.ListAPIView):
    pagination_class = ArchivePagination

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        for term in page:
            term.document_count = self.counts().get(term.pk, 0)
        return page


class TermDetail(TermMixin, generics.RetrieveAPIView):
    lookup_field = "slug"

    def get_object(self):
        term = super().get_object()
        term.document_count = self.counts()[term.pk]
        return term


class SubjectList(TermList):
    """Subjects that published documents are about, by name, with their counts."""


class SubjectDetail(TermDetail):
    """A subject and how many published documents are about it."""


class PlaceList(TermList):
    """Places that published documents are associated with, by name, with their counts."""

    model, filter_name = Place, PLACE.name


class PlaceDetail(TermDetail):
    """A place and how many published documents are associated with it."""

    model, filter_name = Place, PLACE.name
