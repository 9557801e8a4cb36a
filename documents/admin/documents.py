"""The document admin: the list (columns, filters, search), the form with its inlines, and the
view that tells the form how a typed date will be understood. May import documents.models,
documents.search, documents.parsing and the other documents.admin modules.
"""

import datetime

import reversion
from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext

from documents import search
from documents.admin.base import TEXT_INPUTS, PublishingAdmin, page_urls
from documents.admin.batch_edits import BatchEditMixin
from documents.admin.changelists import (
    CappedCountPaginator,
    DocumentChangeList,
    DocumentListQuerySet,
    filter_options,
    page_number,
)
from documents.admin.deleted import DeletedRecordsAdmin
from documents.admin.forms import DocumentForm, ScanForm
from documents.admin.imports import DocumentImportExportMixin
from documents.admin.list_filters import (
    CollectionFilter,
    DecadeFilter,
    LanguageFilter,
    LastSavedByFilter,
    QualityFilter,
    RepositoryFilter,
    VocabularyFilter,
    YearFilter,
)
from documents.admin.reviews import ReviewFilter, ReviewingAdmin
from documents.models import Citation, Contribution, Document, DocumentText, Funding, Scan
from documents.parsing.dates import DateParseError, format_edtf, parse_date
from documents.tasks import scans as scan_tasks

# Past this many matches, SQLite finds a page of search results faster by walking the list's
# order than by reading and sorting every match.
MANY_MATCHES = 2_000


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    autocomplete_fields = ["person", "on_behalf_of"]
    fields = ["person", "role", "on_behalf_of", "name_as_written", "order"]
    formfield_overrides = TEXT_INPUTS
    verbose_name = "person"
    verbose_name_plural = "people and their roles"


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["repository"]
    fields = ["repository", "reference", "shown_as", "fond", "opis", "delo", "folios", "order"]
    formfield_overrides = TEXT_INPUTS
    readonly_fields = ["shown_as", "fond", "opis", "delo", "folios"]

    @admin.display(description="shown as")
    def shown_as(self, citation):
        """The citation as the public page and the citation formats print it."""
        return str(citation) if citation.pk and citation.repository_id else "-"


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["organization", "credited", "order"]


class DocumentTextFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        counts = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("kind"):
                continue
            counts[data["kind"]] = counts.get(data["kind"], 0) + 1
        for kind, count in counts.items():
            if count > DocumentText.PER_KIND:
                label = DocumentText.Kind(kind).label.lower()
                raise ValidationError(
                    f"A document holds at most {DocumentText.PER_KIND} further {label}s (the "
                    f"spreadsheet has columns for that many); this form has {count}. Remove "
                    f"{count - DocumentText.PER_KIND}."
                )


class DocumentTextInline(admin.StackedInline):
    """Translations and transcripts beyond the main ones in "Text", each in its language."""

    model = DocumentText
    formset = DocumentTextFormSet
    extra = 0
    max_num = 2 * DocumentText.PER_KIND
    autocomplete_fields = ["language", "translator"]
    fields = ["kind", "language", "translator", "note", "text", "position"]
    formfield_overrides = TEXT_INPUTS
    classes = ["further-texts"]


class ScanInline(SortableTabularInline):
    model = Scan
    form = ScanForm
    # The site's tabular inline (templates/admin/edit_inline/), which draws the sorting handles.
    template = "admin/edit_inline/tabular.html"
    extra = 0
    fields = ["preview", "file", "caption", "details"]
    formfield_overrides = TEXT_INPUTS
    readonly_fields = ["preview", "details"]

    @admin.display(description="scan")
    def preview(self, obj):
        if obj.pk and obj.thumbnail:
            # The thumbnail is the link's only content, so its text says where the link goes.
            return format_html(
                '<a href="{}" target="_blank"><img src="{}" alt="{}" class="scan-thumb"></a>',
                obj.file.url,
                obj.thumbnail.url,
                f"Open the original file of {obj}",
            )
        return ""

    @admin.display(description="file details")
    def details(self, obj):
        """Type, size, pages and dimensions, checksum and how far its processing has got."""
        if not obj.pk:
            return ""
        facts = [obj.get_media_type_display(), filesizeformat(obj.byte_size)]
        if obj.is_pdf or obj.page_count > 1:
            facts.append(ngettext("%d page", "%d pages", obj.page_count) % obj.page_count)
        if obj.width and obj.height:
            # A PDF's size is its first page's, in points; an image's, in pixels.
            unit = "pt (first page)" if obj.is_pdf else "px"
            facts.append(f"{obj.width:,} × {obj.height:,} {unit}")
        return format_html(
            '<span class="scan-facts">{}</span><br>'
            'SHA-256 <span class="scan-checksum" title="{}">{}…</span><br>'
            '<strong class="scan-processing scan-{}">{}</strong>',
            " · ".join(facts),
            obj.sha256,
            obj.sha256[:12],
            obj.processing,
            SCAN_STATES.get(obj.processing) or obj.processing_status(),
        )


# How far a scan's processing has got, as the inline says it; a failure gives its reason
# (`Scan.processing_status()`).
SCAN_STATES = {
    Scan.Processing.PENDING: "Queued: waiting for the worker to make its thumbnail",
    Scan.Processing.READY: "Processed: thumbnail and page images made",
}


TRANSMISSION = "Transmission"

# What the list shows and sorts by; not the long texts, nor timestamps to convert.
LIST_COLUMNS = [*Document.HEADING_FIELDS, "status", "document_type__name"]


@admin.register(Document)
class DocumentAdmin(
    BatchEditMixin,
    DeletedRecordsAdmin,
    ReviewingAdmin,
    DocumentImportExportMixin,
    SortableAdminBase,
    PublishingAdmin,
):
    form = DocumentForm
    # The import and export buttons' template (DocumentImportExportMixin) extends this one;
    # without naming it, the admin's stock list was used.
    change_list_template = "admin/documents/document/change_list.html"
    paginator = CappedCountPaginator
    show_full_result_count = False
    # The site's own, named here: Django asks for it once a cell, and finds the site's by an
    # AttributeError raised and caught 700 times a page.
    empty_value_display = "-"
    list_display = ["record_id", "thumbnail", "title", "date_display", "document_type", "status"]
    list_display_links = ["record_id", "title"]
    list_filter = [
        "status",
        ReviewFilter,
        CollectionFilter,
        ("document_type", VocabularyFilter),
        LanguageFilter,
        ("classification", VocabularyFilter),
        RepositoryFilter,
        DecadeFilter,
        YearFilter,
        QualityFilter,
        LastSavedByFilter,
    ]
    list_select_related = ["document_type"]
    date_hierarchy = "date_start"
    search_fields = ["title"]  # the real search is get_search_results below
    search_help_text = (
        "Searches titles, record IDs, summaries, citations (e.g. “RGASPI f. 558”), the names "
        "of people linked, including their variant names, and the texts. Whole words; "
        "“quotes” for a phrase."
    )
    autocomplete_fields = [
        "rights",
        "subjects",
        "places",
        "related",
        "languages",
        "origin",
        "destination",
    ]
    readonly_fields = [
        "date_understood",
        "sent_read_as",
        "received_read_as",
        "created_at",
        "updated_at",
        "history_link",
    ]
    fieldsets = [
        (
            "Date and title",
            {"fields": ["date_text", "date_edtf", "date_understood", "title", "loaded_version"]},
        ),
        (
            TRANSMISSION,
            {
                "classes": ["collapse", "transmission"],
                "description": (
                    "For a cable or telegram: its header, as written. The public page shows "
                    "what is filled in above the text. The distribution list (“Copies [to]: "
                    "…”) is the people linked as “Copied to”, below."
                ),
                "fields": [
                    ("outgoing_number", "form_number"),
                    ("special_numbers", "copy_number"),
                    ("received_text", "received_read_as"),
                    ("sent_text", "sent_read_as"),
                    ("origin", "destination"),
                    "addressee",
                    ("sent_by", "received_by"),
                ],
            },
        ),
        ("Text", {"fields": ["text", "summary", "transcript"]}),
        (
            "Document information",
            {
                "fields": [
                    "document_type",
                    "classification",
                    "languages",
                    "rights",
                    "in_collections",
                ]
            },
        ),
        ("Subjects, places and related documents", {"fields": ["subjects", "places", "related"]}),
        (
            "Publication",
            {
                "fields": [
                    "status",
                    "withdrawal_reason",
                    "record_id",
                    "slug",
                    "first_published_at",
                    ("created_at", "updated_at"),
                    "history_link",
                ]
            },
        ),
    ]
    inlines = [ContributionInline, DocumentTextInline, CitationInline, FundingInline, ScanInline]

    def get_fieldsets(self, request, obj=None):
        """Open the Transmission fieldset where the record has a header, or was just sent
        (so that an error in it shows); folded away for a document that is not a cable."""
        fieldsets = super().get_fieldsets(request, obj)
        if request.method == "POST" or (obj is not None and obj.has_transmission()):
            fieldsets = [
                (name, {**options, "classes": ["transmission"]})
                if name == TRANSMISSION
                else (name, options)
                for name, options in fieldsets
            ]
        return fieldsets

    def get_queryset(self, request):
        queryset = DocumentListQuerySet(self.model, using=self.model._default_manager.db)
        if ordering := self.get_ordering(request):
            queryset = queryset.order_by(*ordering)
        return queryset

    def get_changelist(self, request, **kwargs):
        return DocumentChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        def rows(ids):
            """The page's documents, with only the columns shown, and each one's first scan."""
            first_thumbnail = (
                Scan.objects.filter(document=OuterRef("pk"))
                .order_by("order", "pk")
                .values("thumbnail")
            )
            return (
                DocumentListQuerySet(self.model, using=queryset.db)
                .filter(pk__in=ids)
                .select_related(*self.list_select_related)
                .only(*LIST_COLUMNS)
                .annotate(first_thumbnail=Subquery(first_thumbnail[:1]))
                .order_by(*queryset.query.order_by)
            )

        return self.paginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            page_number=page_number(request),
            rows=rows,
            to_count=getattr(request, "_document_list_to_count", None),
            known_count=getattr(request, "_document_list_count", None),
        )

    def action_checkbox(self, obj):
        # The same markup Django renders through a form widget template, 100 times a page.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            gettext("Select this object for an action - {}").format(obj),
        )

    def kept_with_deleted(self, objs):
        # A document's collections keep its membership (stored on them) for a restore.
        return list({c for obj in objs for c in obj.collections.all()})

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # Queued in the same transaction as the scans: the worker makes their derivatives.
        for scan_form in formset.forms:
            if isinstance(scan_form, ScanForm) and scan_form.needs_derivatives():
                scan_tasks.schedule(scan_form.instance)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        document = form.instance
        before = set(document.collections.all())
        after = set(form.cleaned_data.get("in_collections") or [])
        if before != after:
            document.collections.set(after)
            # Membership is stored on the collection, so it shows in the collections' history.
            for collection in before ^ after:
                reversion.add_to_revision(collection)

    def get_search_results(self, request, queryset, search_term):
        """Search the full-text index, and record IDs exactly."""
        term = search_term.strip()
        if not term:
            return queryset, False
        by_record_id = Q(record_id=int(term)) if term.isdigit() else Q(pk__in=[])
        if not search.fts5_query(term):
            return queryset.filter(by_record_id), False
        matches = search.matching_ids(term)
        found_count = filter_options(request)["matches"]
        if found_count is not None and found_count > CappedCountPaginator.CAP:
            if not queryset.query.has_filters() and not term.isdigit():
                # Past the cap, the index's own count stands for the list's (which would read
                # the matches a second time) and is shown as "about" as any count past it.
                request._document_list_count = found_count
        if found_count is not None and found_count > MANY_MATCHES:
            # Given "id IN (...)", SQLite reads every match by primary key and sorts them all
            # for one page (50 ms for 18,000 matches). Given "+id IN (...)", it walks the
            # list's date index and stops after a page (4 ms), which is slower only for a few
            # matches.
            found = Q(In(Func(F("pk"), template="+%(expressions)s"), matches))
        else:
            found = Q(pk__in=matches)
        if connection.vendor == "postgresql":
            # Counting up to the cap, PostgreSQL expects to stop early and reads the matches
            # through the index's primary key, testing (and decompressing) every entry: 175 ms
            # for a common surname at 100,000 documents. OFFSET 0 makes it take the GIN index
            # first (40 ms). The page itself is found faster without it (8 ms against 160).
            sql, params = matches.query.sql_with_params()
            fenced = Q(pk__in=RawSQL(f"{sql} OFFSET 0", params))
            request._document_list_to_count = queryset.filter(by_record_id | fenced)
        return queryset.filter(by_record_id | found), False

    @admin.display(description="collections")
    def in_collections(self, obj):
        """Shown instead of the field to roles that may only view."""
        if not (obj and obj.pk):
            return ""
        return format_html_join(", ", "<bdi>{}</bdi>", ((c,) for c in obj.collections.all()))

    @admin.display(description="scan")
    def thumbnail(self, obj):
        name = getattr(obj, "first_thumbnail", None)
        if not name:
            return ""
        url = Scan._meta.get_field("thumbnail").storage.url(name)
        return format_html('<img src="{}" alt="" class="scan-thumb" loading="lazy">', url)

    @admin.display(description="date", ordering="date_start")
    def date_display(self, obj):
        return obj.date_as_written

    @admin.display(description="how the date was understood")
    def date_understood(self, obj):
        if obj is None or obj.pk is None:
            return "Shown once the date is entered."
        return describe_date(obj.date_edtf, obj.date_start, obj.date_end)

    @admin.display(description="sent, read as")
    def sent_read_as(self, obj):
        return describe_transmission_time(obj, "sent_at")

    @admin.display(description="received, read as")
    def received_read_as(self, obj):
        return describe_transmission_time(obj, "received_at")

    @admin.display(description="history")
    def history_link(self, obj):
        if obj is None or obj.pk is None:
            return ""
        url = reverse("admin:documents_document_history", args=[obj.pk])
        return format_html('<a href="{}">Every change to this document, with differences</a>', url)

    def get_urls(self):
        own = page_urls(self, ("read-date/", self.read_date_view, "read_date"))
        return [*own, *super().get_urls()]

    def read_date_view(self, request):
        """Tell the form, as the curator types, how a date will be understood."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        text = request.GET.get("text", "")
        try:
            parsed = parse_date(text)
        except DateParseError as error:
            return JsonResponse({"ok": False, "error": str(error)})
        return JsonResponse(
            {
                "ok": True,
                "edtf": parsed.edtf,
                "description": describe_date(parsed.edtf, parsed.start, parsed.end),
            }
        )


def describe_transmission_time(obj, field):
    """The normalized time a curator's text was read as, e.g. '8 May 1946, 04:50'."""
    value = getattr(obj, field, "") if obj is not None else ""
    if not value:
        return "Shown once the time is entered and saved."
    moment = datetime.datetime.fromisoformat(value)
    return f"{moment.day} {moment:%B %Y}, {moment:%H:%M} ({value})"


def describe_date(edtf, start, end):
    if not edtf:
        return "Undated (sorted after dated documents)."
    if start == end:
        span = f"on {start:%-d %B %Y}"
    else:
        span = f"between {_day(start)} and {_day(end)}"
    return f"{format_edtf(edtf)} — EDTF {edtf}, {span}."


def _day(value):
    return "open" if value is None else f"{value:%-d %B %Y}"
