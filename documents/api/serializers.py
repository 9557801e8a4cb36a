"""What each record looks like in the API. Read-only; every link is an absolute URL.

Lists show a record's heading; a record's own address shows the rest. Only published
documents and collections appear, inside other records too (a document's collections and
related documents, a collection's popular documents).
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.models.base import split_names


def absolute(serializer, path):
    request = serializer.context["request"]
    return request.build_absolute_uri(path)


def api_url(serializer, name, **kwargs):
    return absolute(serializer, reverse(f"api:{name}", kwargs=kwargs))


def documents_url(serializer, **params):
    """The API's document list filtered by `params` (one value each)."""
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return absolute(serializer, f"{reverse('api:document-list')}?{query}")


class TermSerializer(serializers.Serializer):
    """A vocabulary entry as a document names it (type, subject, place, classification)."""

    slug = serializers.CharField()
    name = serializers.CharField()


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DocumentSummarySerializer(serializers.Serializer):
    record_id = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="This record in the API.")
    page = serializers.SerializerMethodField(help_text="The document's public page.")
    title = serializers.CharField()
    date = serializers.CharField(source="date_as_written", help_text="The date as written.")
    date_edtf = serializers.CharField(help_text="The date in EDTF; empty when undated.")
    date_start = serializers.DateField(allow_null=True, help_text="The earliest day meant.")
    date_end = serializers.DateField(allow_null=True, help_text="The latest day meant.")
    type = TermSerializer(source="document_type", allow_null=True)
    summary = serializers.CharField()

    def get_url(self, document) -> str:
        return api_url(self, "document-detail", record_id=document.record_id)

    def get_page(self, document) -> str:
        return absolute(self, document.get_absolute_url())


class PersonLinkSerializer(serializers.Serializer):
    """A person in a role on a document."""

    name = serializers.CharField(source="person.name")
    name_as_written = serializers.CharField()
    slug = serializers.CharField(source="person.slug")
    role = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, contribution) -> str:
        return api_url(self, "person-detail", slug=contribution.person.slug)


class CitationSerializer(serializers.Serializer):
    repository = serializers.CharField(source="repository.abbreviation")
    repository_name = serializers.CharField(source="repository.name")
    repository_place = serializers.CharField(source="repository.place")
    reference = serializers.CharField()


class RightsSerializer(serializers.Serializer):
    title = serializers.CharField()
    text = serializers.CharField()
    uri = serializers.CharField(source="link_uri")


class CollectionLinkSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, collection) -> str:
        return api_url(self, "collection-detail", slug=collection.slug)


class FunderSerializer(serializers.Serializer):
    name = serializers.CharField(source="organization.name")
    slug = serializers.CharField(source="organization.slug")


class TransmissionSerializer(serializers.Serializer):
    """A cable's header: its numbers, times (as written and as ISO 8601), places and people."""

    outgoing_number = serializers.CharField()
    form_number = serializers.CharField()
    special_numbers = serializers.CharField()
    sent = serializers.CharField(source="sent_text", help_text="When it was sent, as written.")
    sent_at = serializers.CharField(
        help_text="When it was sent, as ISO 8601 local time with no zone; empty if unknown."
    )
    received = serializers.CharField(source="received_text", help_text="As written.")
    received_at = serializers.CharField(help_text="As ISO 8601 local time; empty if unknown.")
    origin = TermSerializer(allow_null=True)
    destination = TermSerializer(allow_null=True)
    addressee = serializers.CharField(help_text="The header's 'to whom', as written.")
    copy_number = serializers.CharField()
    copied_to = PersonLinkSerializer(
        many=True, source="distribution", help_text="The distribution list."
    )
    sent_by = serializers.CharField(help_text="The sending duty officer, as written.")
    received_by = serializers.CharField(help_text="The receiving duty officer, as written.")


class TranslatorSerializer(serializers.Serializer):
    name = serializers.CharField()


class DocumentTextSerializer(serializers.Serializer):
    """A further translation or transcript, beside the document's main `text` and `transcript`."""

    kind = serializers.CharField(help_text="translation or transcript.")
    language = LanguageSerializer()
    text = serializers.CharField()
    translator = TranslatorSerializer(
        allow_null=True, help_text="Who made the translation; null when not recorded."
    )
    note = serializers.CharField()


class DocumentSerializer(DocumentSummarySerializer):
    text = serializers.CharField(help_text="The translation.")
    transcript = serializers.CharField(help_text="The transcript in the original language.")
    texts = DocumentTextSerializer(
        many=True, source="texts.all", help_text="Further translations and transcripts."
    )
    languages = LanguageSerializer(many=True, source="languages.all")
    classification = TermSerializer(allow_null=True)
    people = PersonLinkSerializer(many=True, source="contributions.all")
    transmission = serializers.SerializerMethodField(
        help_text="A cable's transmission details; null when the document has none."
    )
    subjects = TermSerializer(many=True, source="subjects.all")
    places = TermSerializer(many=True, source="places.all")
    citations = CitationSerializer(many=True, source="citations.all")
    funders = FunderSerializer(many=True, source="fundings.all")
    credit_line = serializers.CharField()
    rights = RightsSerializer(source="rights_statement", allow_null=True)
    collections = CollectionLinkSerializer(many=True, source="public_collections")
    related = DocumentSummarySerializer(many=True, source="related.all")
    first_published_at = serializers.DateTimeField(
        allow_null=True, help_text="The Original Uploaded Date."
    )
    updated_at = serializers.DateTimeField(help_text="When the record last changed.")

    @extend_schema_field(TransmissionSerializer(allow_null=True))
    def get_transmission(self, document):
        if not document.has_transmission():
            return None
        return TransmissionSerializer(document, context=self.context).data


class PersonSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    sort_name = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    death_year = serializers.IntegerField(allow_null=True)
    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField(help_text="The documents naming this person.")

    def get_url(self, person) -> str:
        return api_url(self, "person-detail", slug=person.slug)

    def get_page(self, person) -> str:
        return absolute(self, person.get_absolute_url())

    def get_documents(self, person) -> str:
        return documents_url(self, person=person.slug)


class RoleCountSerializer(serializers.Serializer):
    role = serializers.CharField()
    documents = serializers.IntegerField()


class PersonSerializer(PersonSummarySerializer):
    variant_names = serializers.SerializerMethodField()
    note = serializers.CharField()
    wikidata_id = serializers.CharField()
    viaf_id = serializers.CharField()
    roles = RoleCountSerializer(many=True, help_text="Published documents naming them per role.")

    def get_variant_names(self, person) -> list[str]:
        return [variant.name for variant in person.variants.all()]


class CollectionSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()
    feed = serializers.SerializerMethodField(help_text="Its newly published documents (Atom).")
    documents = serializers.SerializerMethodField(help_text="Its published documents.")
    document_count = serializers.IntegerField()

    def get_url(self, collection) -> str:
        return api_url(self, "collection-detail", slug=collection.slug)

    def get_page(self, collection) -> str:
        return absolute(self, collection.get_absolute_url())

    def get_feed(self, collection) -> str:
        return absolute(self, reverse("collections:feed", kwargs={"slug": collection.slug}))

    def get_documents(self, collection) -> str:
        return documents_url(self, collection=collection.slug)


class CollectionSerializer(CollectionSummarySerializer):
    description = serializers.CharField()
    image_caption = serializers.CharField()
    image_credit = serializers.CharField()
    popular_documents = DocumentSummarySerializer(many=True)
    also_see = CollectionLinkSerializer(many=True, source="related.all")


class VocabularyTermSerializer(serializers.Serializer):
    """A subject or place with the number of published documents about it."""

    slug = serializers.CharField()
    name = serializers.CharField()
    other_names = serializers.SerializerMethodField()
    document_count = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    def get_other_names(self, term) -> list[str]:
        return split_names(term.other_names)

    def get_url(self, term) -> str:
        return api_url(self, f"{self.context['vocabulary']}-detail", slug=term.slug)

    def get_documents(self, term) -> str:
        return documents_url(self, **{self.context["vocabulary"]: term.slug})
