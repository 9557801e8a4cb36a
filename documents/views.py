"""Public pages for documents and people, and the pages that help a lost visitor on."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from documents import search
from documents.browse import directory, index
from documents.browse.declarations import DATES, SEARCH, SORT, SORT_LABELS, SORTS
from documents.browse.facets import facet_options, link_facets
from documents.browse.filters import DocumentFilter
from documents.browse.timeline import timeline
from documents.citing import DocumentCitation, record_key
from documents.context_processors import archive
from documents.history import gone
from documents.models import (
    Citation,
    Contribution,
    Document,
    DocumentText,
    Funding,
    HarvestRecord,
    Person,
    PersonRedirect,
    Scan,
    ScanImage,
    Status,
)
from documents.parsing.bidi import marked

RESULTS_PER_PAGE = 20


def deleted_page(request, kind, deleted):
    """The 410 page of a deleted record the public saw (`documents.history.gone`)."""
    context = {"kind": kind, "gone": deleted}
    return render(request, "documents/record_deleted.html", context, status=410)


def withdrawn_page(request, document):
    """The 410 page of a withdrawn document: its title, record ID and the curators' reason,
    if the public saw it (a harvest record is kept for every document ever published); only
    its record ID if it was withdrawn before it was ever published."""
    was_public = HarvestRecord.objects.filter(document_id=document.pk).exists()
    context = {"document": document if was_public else None, "record_id": document.record_id}
    return render(request, "documents/document_withdrawn.html", context, status=410)


def can_preview(user):
    """Staff who may view documents also see drafts on the public pages."""
    return user.is_staff and user.has_perm("documents.view_document")


def visible_documents(user):
    """Published documents for the public; staff who may view documents also preview drafts."""
    if can_preview(user):
        return Document.objects.all()
    return Document.objects.published()


class CountedPaginator(Paginator):
    """A paginator told how many items there are, when they were counted with others at once."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @property
    def count(self):
        return self._count


class IndexedResults:
    """The documents `index.find` left, in the chosen order, fetched a page at a time."""

    def __init__(self, found, sort):
        self.found, self.sort = found, sort

    def __getitem__(self, key):
        return index.documents_in_order(self.found.page_ids(self.sort, key.start, key.stop))


def ordered_results(filterset, found, *, within=None):
    """The documents `found` (from `index.find`) in the filter set's order, read a page at a time.

    A relevance-ranked search is read from the database; every other order from the index.
    """
    sort = filterset.chosen_sort
    if sort == SORT.ranked:
        results = filterset.sorted_qs().select_related("document_type")
        if within is not None:
            results = results.in_collection(within)
        return results
    return IndexedResults(found, sort)


class FilteredDocumentsMixin:
    """Search, filter, sort and page a set of published documents, with facet counts.

    Filtering, counting and facet counts run in memory over the published documents
    (`documents.browse.index`); the database reads the chosen filters' values, the facets' labels
    and the page's rows. The number of queries is fixed, whatever the archive holds.
    """

    facet_exclude = ()

    def filtered_documents(self, *, within=None):
        filterset = DocumentFilter(
            self.request.GET, queryset=Document.objects.published(), request=self.request
        )
        query = filterset.search_query
        sort = filterset.chosen_sort
        found = index.find(filterset, within=within)
        results = ordered_results(filterset, found, within=within)
        # Counted in memory already: the paginator need not COUNT the results again.
        paginator = CountedPaginator(results, RESULTS_PER_PAGE, count=found.count)
        page = paginator.get_page(self.request.GET.get("page"))
        options, drawn, facets_html, timeline_html = found.remembered(
            ("sidebar", self.facet_exclude, get_language(), _query_key(self.request.GET)),
            lambda: self._facets_and_timeline(found),
        )
        documents = list(page.object_list)
        if query:
            documents = search.add_snippets(documents, query)
        # A document dated more widely than the dates asked ("1940s" for a day) says so.
        if asked := filterset.asked_dates:
            for document in documents:
                document.dated_more_widely = asked.only_overlaps(document)
        return {
            "filter": filterset,
            "query": query,
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "paginator": paginator,
            "documents": documents,
            "asked_dates": asked,
            "date_range_reversed": filterset.form.has_error(DATES.to_name, "reversed"),
            "facets": options,
            "facets_html": facets_html,
            "timeline": drawn,
            "timeline_html": timeline_html,
            "active_facets": [f for f in options if f.selected],
            "sort": sort,
            # An empty choice keeps the default, so a new search from a browsing page is ranked.
            "sort_param": self.request.GET.get(SORT.name)
            if self.request.GET.get(SORT.name) in SORTS
            else "",
            "sort_choices": [("", _("Best match"))]
            + [(value, label) for value, label in SORT_LABELS.items() if value in SORTS],
            "is_filtered": any(
                value
                for key, value in self.request.GET.items()
                if key not in (SEARCH.name, SORT.name, "page")
            ),
        }

    def _facets_and_timeline(self, found):
        """The facets and the timeline of `found`, and each drawn (`includes/facets.html`,
        `includes/timeline.html`).

        The same for every visitor asking the same question of this version of the archive, so
        `found.remembered` keeps them with the facet counts, for every page of the list. Earned
        by a measurement: labelling, linking and drawing them took 4 ms of a 16 ms collection
        page at 100,000 documents on SQLite.
        """
        options = link_facets(facet_options(found, exclude=self.facet_exclude), self.request.GET)
        drawn = timeline(found, self.request.GET)
        return (
            options,
            drawn,
            render_to_string("includes/facets.html", {"facets": options}),
            render_to_string("includes/timeline.html", {"timeline": drawn}) if drawn else "",
        )


def _query_key(params):
    """A list's query string as a key, less its page: every page shares facets and timeline."""
    return tuple(sorted((name, tuple(values)) for name, values in params.lists() if name != "page"))


class DocumentListView(FilteredDocumentsMixin, TemplateView):
    template_name = "documents/document_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.filtered_documents())
        return context


def with_page_relations(documents):
    """What a document's page and its citations show, fetched with it in a fixed few queries."""
    return documents.select_related(
        "document_type", "classification", "rights", "origin", "destination"
    ).prefetch_related(
        Prefetch(
            "contributions",
            queryset=Contribution.objects.select_related("person", "on_behalf_of"),
        ),
        Prefetch("citations", queryset=Citation.objects.select_related("repository")),
        Prefetch("fundings", queryset=Funding.objects.select_related("organization")),
        Prefetch("texts", queryset=DocumentText.objects.select_related("language", "translator")),
        "languages",
        "subjects",
        "places",
        "collections",
        Prefetch(
            "related",
            queryset=Document.objects.published().select_related("document_type"),
        ),
    )


class DocumentDetailView(DetailView):
    slug_field = "record_id"
    slug_url_kwarg = "record_id"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A withdrawn record is gone, not unknown: say so, so citations to it make sense.
            withdrawn = (
                Document.objects.filter(record_id=kwargs["record_id"], status=Status.WITHDRAWN)
                .only(*Document.HEADING_FIELDS, "withdrawal_reason")
                .first()
            )
            if withdrawn is not None:
                return withdrawn_page(request, withdrawn)
            if deleted := gone.deleted_document(kwargs["record_id"]):
                return deleted_page(request, "document", deleted)
            raise

    def get_queryset(self):
        return with_page_relations(visible_documents(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.object
        contributions = list(document.contributions.all())
        context["people_by_role"] = [
            (label, [c for c in contributions if c.role == role])
            for role, label in Contribution.Role.choices
            if any(c.role == role for c in contributions)
        ]
        rights = document.rights_statement
        collections = [c for c in document.collections.all() if c.is_published()]
        citation = document_citation(self.request, document)
        translations, transcripts = document_readings(document)
        context.update(
            translations=translations,
            transcripts=transcripts,
            # A text alone is the page's text; several are headed by their kind and language.
            headed=len(translations) + len(transcripts) > 1,
            rights=rights,
            iiif_manifest_url=iiif_manifest_url(document),
            scan_tiles=scan_tiles(document),
            related=document.related.all(),
            collections=collections,
            citation=citation,
            canonical_url=citation.url,
            unapi_url=self.request.build_absolute_uri(reverse("unapi")),
            unapi_id=record_key(document),
            json_ld=citation.json_ld(rights=rights, collections=collections),
        )
        return context


@dataclass(frozen=True)
class ScanTile:
    """A scan's thumbnail on the document page: its label, and where it starts in the viewer.

    `first_page` counts the pages of every scan before it (a PDF has several), so an uncaptioned
    scan is "Page 3"; `canvas` is its first page in the viewer (its IIIF canvas, from 0), None
    when it has no page there.
    """

    scan: Scan
    first_page: int
    canvas: int | None

    @property
    def label(self):
        if self.scan.caption:
            return self.scan.caption
        first, last = self.first_page, self.first_page + self.scan.page_count - 1
        return f"Page {first}" if last == first else f"Pages {first}–{last}"


def scan_tiles(document):
    """The document's public scans as thumbnails, in their order, in one query."""
    tiles, page, canvas = [], 1, 0
    # In their order, said again: a query with a GROUP BY does not take Meta.ordering.
    scans = document.scans.public().annotate(canvases=Count("images")).order_by("order", "pk")
    for scan in scans:
        tiles.append(ScanTile(scan, page, canvas if scan.canvases else None))
        page += scan.page_count
        canvas += scan.canvases
    return tiles


@dataclass(frozen=True)
class Reading:
    """One text of a document as its page shows it: a translation or a transcript."""

    anchor: str  # the section's id, which the language switch links to
    language: str  # the language's name, the switch's label
    lang: str  # its code for the lang attribute, or "" where none can be given
    heading: str
    text: str
    credit: str = ""  # marked names (documents.parsing.bidi.marked): shown with |isolated
    note: str = ""


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


def _lang(language):
    return language.code if language and _LANGUAGE_TAG.match(language.code) else ""


def document_readings(document):
    """The document's translations and its transcripts, main ones first, as the page shows them.

    The main translation is in the archive's language (English) and credited to the people linked
    as translators; the main transcript is in the original language, named when there is one."""
    texts = list(document.texts.all())
    translations, transcripts = [], []
    if document.text:
        translations.append(
            Reading(
                anchor="translation",
                language="English",
                lang="en",
                heading="Translation (English)",
                text=document.text,
                credit=document.credit_line(value=marked, roles=[Contribution.Role.TRANSLATOR]),
            )
        )
    if document.transcript:
        languages = list(document.languages.all())
        original = languages[0] if len(languages) == 1 else None
        name = original.name if original else "original language"
        transcripts.append(
            Reading(
                anchor="transcript",
                language=original.name if original else "Original language",
                lang=_lang(original),
                heading=f"Transcript ({name})",
                text=document.transcript,
            )
        )
    for text in texts:
        kind = text.get_kind_display()
        reading = Reading(
            anchor=f"{text.kind}-{text.pk}",
            language=text.language.name,
            lang=_lang(text.language),
            heading=f"{kind} ({text.language.name})",
            text=text.text,
            credit=text.credit_line(value=marked),
            note=text.note,
        )
        if text.kind == DocumentText.Kind.TRANSLATION:
            translations.append(reading)
        else:
            transcripts.append(reading)
    return translations, transcripts


def iiif_manifest_url(document):
    """The address of the document's IIIF Manifest, if it has one (published, with images)."""
    if (
        not document.is_published()
        or not ScanImage.objects.public().filter(scan__document=document).exists()
    ):
        return ""
    return reverse("iiif:manifest", kwargs={"record_id": document.record_id})


def document_citation(request, document):
    pdf = document.scans.public().filter(media_type=Scan.MediaType.PDF).first()
    return DocumentCitation(
        document,
        url=request.build_absolute_uri(document.get_absolute_url()),
        accessed=timezone.localdate(),
        pdf_url=request.build_absolute_uri(pdf.public_url()) if pdf else "",
    )


CITATION_FORMATS = {
    # format: (method, content type, file extension)
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8", "ris"),
    "bib": ("bibtex", "application/x-bibtex; charset=utf-8", "bib"),
    "json": ("csl", "application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


class CitationDownloadView(DocumentDetailView):
    """The document's citation as a file for reference managers (RIS, BibTeX, CSL-JSON)."""

    def render_to_response(self, context, **response_kwargs):
        method, content_type, extension = CITATION_FORMATS[self.kwargs["format"]]
        body = getattr(context["citation"], method)()
        response = HttpResponse(body, content_type=content_type)
        filename = f"record-{self.object.record_id}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class PersonDetailView(DetailView):
    """A person, how many documents name them in each role, and one role's documents by page.

    Visitors see a person only while a published document names them; staff who may preview
    drafts see everyone.

    Four queries whatever the number of documents: the person, their variant names, and one
    page of one role's documents (``?role=recipient&page=3``), beside the counts per role and of
    documents. For visitors the counts and the page's ids come from the public index
    (`index.person_links`, whose query is its read of the change log); staff who preview drafts
    have them counted and sorted in the database.
    """

    model = Person

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A person merged into another keeps answering at the old address.
            moved = PersonRedirect.objects.select_related("person").filter(old_slug=kwargs["slug"])
            if target := moved.first():
                return redirect(target.person, permanent=not target.may_be_undone())
            if deleted := gone.deleted_person(kwargs["slug"]):
                return deleted_page(request, "person", deleted)
            raise

    def get_queryset(self):
        return Person.objects.prefetch_related("variants")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can_preview(self.request.user):
            counts, document_count, in_role = self._from_database()
        else:
            counts, document_count, in_role = self._from_index()
            if not document_count:
                # Named only on drafts or withdrawn records (or on none): not public yet.
                raise Http404("No published document names this person.")
        roles = [
            {"value": value, "label": label, "count": counts[value]}
            for value, label in Contribution.Role.choices
            if counts[value]
        ]
        context.update(roles=roles, document_count=document_count, chosen_role=None, page_obj=None)
        if not roles:
            return context
        chosen = next((r for r in roles if r["value"] == self.request.GET.get("role")), roles[0])
        paginator = CountedPaginator(
            in_role(chosen["value"]), RESULTS_PER_PAGE, count=chosen["count"]
        )
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            chosen_role=chosen,
            page_obj=page,
            page_range=paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        )
        return context

    def _from_index(self):
        """Visitors: the published documents, from the public index (`index.person_links`)."""
        links = index.person_links(self.object.pk)
        return (
            links.counts(),
            links.document_count,
            lambda role: IndexedResults(links.in_role(role), SORT.default),
        )

    def _from_database(self):
        """Staff who preview: every document, drafts included, counted in the database."""
        contributions = Contribution.objects.filter(person=self.object)
        # A person has one role on a document at most once (contribution_unique_person_role),
        # so counting links counts documents. One pass counts every role and the documents,
        # counting document ids (never null) rather than link ids so that the pass reads the
        # person-role-document index alone (contribution_person_role_doc), not the table.
        counts = contributions.aggregate(
            **{
                f"role_{value}": Count("document", filter=Q(role=value))
                for value in Contribution.Role
            },
            documents=Count("document", distinct=True),
        )

        def in_role(role):
            return (
                Document.objects.filter(
                    pk__in=contributions.filter(role=role).values("document_id")
                )
                .select_related("document_type")
                .only(*Document.SUMMARY_FIELDS)
                .order_by(*SORTS[SORT.default], "pk")
            )

        by_role = {value: counts[f"role_{value}"] for value in Contribution.Role}
        return by_role, counts["documents"], in_role


DIRECTORY_PER_PAGE = 100


class DirectoryView(TemplateView):
    """A browse page of one authority (`documents.browse.directory`): A to Z, searchable.

    `?letter=B` lists one letter's entries, `?q=bagirov` those a visitor's words find; each
    entry with the number of published documents naming it. A fixed number of queries whatever
    the archive holds: the version token, the page's rows (and, for a search, the look-ups of
    the matching rule; for people, their variant names).
    """

    template_name = "documents/directory.html"
    directory = None
    title = ""
    search_label = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = directory.listing(self.directory)
        letters = listed.letter_bar()
        query = (self.request.GET.get("q") or "").strip()[:200]
        letter = self.request.GET.get("letter", "")
        if letter not in {known for known, _count in letters}:
            letter = ""
        if query:
            letter = ""
            ids = listed.among(directory.search(self.directory, query))
        elif letter:
            ids = listed.under(letter)
        else:
            ids = listed.ids
        paginator = Paginator(ids, DIRECTORY_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        page_ids = [int(pk) for pk in page.object_list]
        terms = self.directory.model._default_manager.in_bulk(page_ids)
        variants = {}
        if self.directory is directory.PEOPLE_DIRECTORY and query:
            variants = directory.variants_by_person(page_ids)
        entries = [
            {
                "term": terms[pk],
                "count": int(listed.counts[pk]),
                "url": self.directory.entry_url(terms[pk]),
                "list_url": self.directory.list_url(terms[pk]),
                "variants": variants.get(pk, []),
            }
            for pk in page_ids
            if pk in terms
        ]
        context.update(
            title=self.title,
            search_label=self.search_label,
            is_people=self.directory is directory.PEOPLE_DIRECTORY,
            letters=letters,
            letter=letter,
            query=query,
            entries=entries,
            page_obj=page,
            paginator=paginator,
            page_range=paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        )
        return context


class PeopleDirectoryView(DirectoryView):
    directory = directory.PEOPLE_DIRECTORY
    title = _("People")
    search_label = _("Find a person by any name they are written under")


class SubjectDirectoryView(DirectoryView):
    directory = directory.SUBJECTS_DIRECTORY
    title = _("Subjects")
    search_label = _("Find a subject by any of its names")


class PlaceDirectoryView(DirectoryView):
    directory = directory.PLACES_DIRECTORY
    title = _("Places")
    search_label = _("Find a place by any of its names")


def sign_in_locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows instead of the sign-in form while a username is locked out."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "retry_at": timezone.now() + cool_off,
        "cool_off_minutes": round(cool_off.total_seconds() / 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "title": _("Too many failed sign-in attempts"),
    }
    return render(request, "admin/sign_in_locked_out.html", context, status=429)


def server_error(request):
    """The 500 page, rendered without touching the database (it may be what failed)."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(archive(request)))
