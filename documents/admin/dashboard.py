"""The curators' dashboard: the admin's home page (/admin/), above Django's list of apps.

`SECTIONS` declares it, one `Section` each: its title, who may see it, its count, the list it
links to (which shows exactly the records counted) and a few sample rows. A count is the linked
list's own definition, never a second query written to match it: the document list's
`QualityFilter` and `LastSavedByFilter`, the import list's `ImportStateFilter`, the report of
possible duplicates' `possible_duplicates`. tests/admin/test_dashboard.py follows every
section's link and compares the list with the count. Each section reads a fixed number of
queries, whatever the size of the archive.

A new section is one more entry in `SECTIONS` (see "Review queue" there for one whose count is
a workflow's query and whose list is the document list's filter of the same name).

May import documents.models, documents.history, documents.authorities, documents.workflows and
the other documents.admin modules.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timesince import timesince

from documents import history
from documents.admin.changelists import CappedCountPaginator
from documents.admin.list_filters import ImportStateFilter, LastSavedByFilter, QualityFilter
from documents.admin.people import BY_KEYS
from documents.admin.reviews import ReviewFilter
from documents.authorities.duplicate_people import LIMIT, possible_duplicates
from documents.models import BatchEdit, Document, ImportJob, Person, Review, Status
from documents.workflows import batch_editing, reviewing

# How many sample rows a section shows, and how many recent changes.
SAMPLES = 3
RECENT = 10


@dataclass(frozen=True)
class Row:
    """One line of a section: a record, where it opens, and a second line (who, when, how far)."""

    text: str
    url: str = ""
    detail: str = ""
    when: datetime | None = None
    # What happened at `when`: "Started" reads "Started 5 minutes ago".
    when_label: str = ""

    @property
    def ago(self):
        """'Just now', '2 hours, 5 minutes ago', 'Started 3 days ago'."""
        if self.when is None:
            return ""
        if timezone.now() - self.when < timedelta(minutes=1):
            ago = "just now"
        else:
            ago = f"{timesince(self.when)} ago"
        return capfirst(f"{self.when_label} {ago}".strip())


@dataclass(frozen=True)
class Section:
    """One part of the dashboard. Each callable is given the request.

    `count` and `link` go together: the number of records, and the address of the list that
    shows exactly those. `rows` are a few of them (or, without a count, the whole section).
    """

    title: str
    may_see: Callable
    group: str
    count: Callable | None = None
    link: Callable | None = None
    # What is counted, singular and plural: the link reads "3 drafts".
    unit: tuple = ("document", "documents")
    rows: Callable | None = None
    empty: str = "None."
    note: str = ""
    # Counts past this are shown as "more than" it (the list's own limit).
    cap: int = CappedCountPaginator.CAP


def has_perm(codename):
    return lambda request: request.user.has_perm(codename)


def model_admin(model):
    return admin.site.get_model_admin(model)


def changelist(model, **query):
    """The admin list of `model`, filtered by the query string `query`."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(query)}" if query else url


def capped_count(queryset):
    """Counted as the document list counts: exactly up to its cap, "more than" past it."""
    return queryset.order_by().values("pk")[: CappedCountPaginator.CAP + 1].count()


def document_rows(
    queryset,
    detail=lambda document: f"Record {document.record_id}",
    page="change",
):
    """A few documents of a list, the newest records first, each opening its form (or its
    other admin `page`, e.g. "review").

    Their ids first, then their rows: sorted with every match's title and last change, the
    matches' whole rows would be read (on SQLite the last change is stored after the texts).
    """
    if not queryset.query.order_by:
        queryset = queryset.order_by("-pk")
    ids = list(queryset.values_list("pk", flat=True)[:SAMPLES])
    found = Document.objects.only("pk", "record_id", "title", "updated_at").in_bulk(ids)
    return [
        Row(
            text=found[pk].title,
            url=reverse(f"admin:documents_document_{page}", args=[pk]),
            detail=detail(found[pk]),
        )
        for pk in ids
        if pk in found
    ]


# My drafts ------------------------------------------------------------------------------------


def my_drafts(request):
    """Drafts whose latest version in the history the curator saved (the list's saved_by=me)."""
    return history.last_saved_by(Document.objects.filter(status=Status.DRAFT), request.user)


def my_drafts_rows(request):
    return document_rows(
        my_drafts(request).order_by("-last_saved_version"),
        detail=lambda d: f"Record {d.record_id}, last modified {d.updated_at:%-d %B %Y, %H:%M}",
    )


# Recent changes by others ---------------------------------------------------------------------


def recent_changes_rows(request):
    rows = []
    for change in history.recent_changes(excluding=request.user, limit=RECENT):
        others = f" and {change.others} other record{'s' if change.others != 1 else ''}"
        rows.append(
            Row(
                text=change.object_repr,
                url=history_url(request, change),
                detail=(
                    f"{change.model._meta.verbose_name.capitalize()}"
                    f"{others if change.others else ''}, by {change.user}: "
                    f"{change.comment or 'Changed.'}"
                ),
                when=change.date,
            )
        )
    return rows


def history_url(request, change):
    """The record's history, or, for a deletion, the list of deleted records of its kind;
    empty where the user may not look."""
    found = model_admin_or_none(change.model)
    if found is None or not found.has_view_or_change_permission(request):
        return ""
    opts = change.model._meta
    name = "deleted" if change.is_deletion else "history"
    args = [] if change.is_deletion else [quote(change.object_id)]
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)
    except NoReverseMatch:
        return ""


def model_admin_or_none(model):
    try:
        return model_admin(model)
    except admin.sites.NotRegistered:
        return None


# Imports --------------------------------------------------------------------------------------

RECENT_IMPORTS = 5


def may_see_imports(request):
    return model_admin(ImportJob).has_view_permission(request)


def active_imports(request):
    return ImportJob.objects.active()


def import_rows(request):
    """The imports under way (with how far each has got), then the latest that ended."""
    jobs = ImportJob.objects.select_related("user")
    running = list(jobs.active()[:RECENT_IMPORTS])
    ended = list(jobs.exclude(outcome__in=ImportJob.ACTIVE)[:RECENT_IMPORTS])
    describe = model_admin(ImportJob).status
    return [
        Row(
            text=str(job),
            url=reverse("admin:documents_importjob_change", args=[job.pk]),
            detail=format_html("{} By {}.", describe(job), job.user or "an unknown user"),
            when=job.started_at,
            when_label="started",
        )
        for job in running + ended
    ]


# Batch edits ----------------------------------------------------------------------------------


def may_see_batch_edits(request):
    return model_admin(BatchEdit).has_view_permission(request)


def running_batch_edits(request):
    return BatchEdit.objects.filter(state=BatchEdit.State.RUNNING)


def batch_edit_rows(request):
    """The latest batch edits, newest first: what, how it went, by whom."""
    return [
        Row(
            text=str(edit),
            url=reverse("admin:documents_batchedit_change", args=[edit.pk]),
            detail=f"{edit.get_state_display()}: {edit.changed:,} of {edit.total:,} documents "
            f"changed. By {edit.user or 'an unknown user'}.",
            when=edit.created_at,
            when_label="started",
        )
        for edit in batch_editing.recent_batch_edits(RECENT_IMPORTS)
    ]


# Data quality ---------------------------------------------------------------------------------


def quality_section(value, *, note=""):
    """A section counting one of the document list's data-quality checks."""
    label, documents = QualityFilter.checks[value]

    def rows(request):
        return document_rows(documents(Document.objects.all()))

    return Section(
        title=label,
        group="Data quality",
        may_see=has_perm("documents.view_document"),
        count=lambda request: capped_count(documents(Document.objects.all())),
        link=lambda request: changelist(Document, **{QualityFilter.parameter_name: value}),
        rows=rows,
        empty="None: well done.",
        note=note,
    )


def may_see_duplicates(request):
    return model_admin(Person).has_duplicates_permission(request)


def duplicate_pairs(request):
    """The report's pairs sharing a name key or a sound key (its ?by=keys), found once a page:
    (pairs, whether they are all)."""
    if not hasattr(request, "_dashboard_duplicates"):
        request._dashboard_duplicates = possible_duplicates(by_words=False)
    return request._dashboard_duplicates


def duplicates_count(request):
    pairs, complete = duplicate_pairs(request)
    # Past the report's limit, one more than it: shown as "more than 2,000", as there are.
    return len(pairs) if complete else LIMIT + 1


def duplicate_rows(request):
    report = duplicates_link(request)
    return [
        Row(text=f"{pair.first_name} / {pair.second_name}", url=report)
        for pair in duplicate_pairs(request)[0][:SAMPLES]
    ]


def duplicates_link(request):
    return f"{reverse('admin:documents_person_duplicates')}?{urlencode({'by': BY_KEYS})}"


SECTIONS = [
    Section(
        title="My drafts",
        group="Your work",
        may_see=has_perm("documents.change_document"),
        count=lambda request: capped_count(my_drafts(request)),
        link=lambda request: changelist(
            Document, status__exact=Status.DRAFT, **{LastSavedByFilter.parameter_name: "me"}
        ),
        unit=("draft", "drafts"),
        rows=my_drafts_rows,
        empty="No drafts: none of the documents you saved last is still a draft.",
        note="Drafts you saved last.",
    ),
    Section(
        title="Review queue",
        group="Your work",
        may_see=lambda request: model_admin(Document).has_review_permission(request),
        count=lambda request: capped_count(reviewing.review_queue()),
        link=lambda request: changelist(
            Document, **{ReviewFilter.parameter_name: Review.State.SUBMITTED}
        ),
        unit=("draft awaiting review", "drafts awaiting review"),
        rows=lambda request: document_rows(reviewing.review_queue(), page="review"),
        empty="Nothing awaits review.",
        note="Drafts editors submitted, the longest waiting first; each opens its review.",
    ),
    Section(
        title="Recent changes by others",
        group="Activity",
        may_see=has_perm("documents.view_document"),
        rows=recent_changes_rows,
        empty="Nobody else has changed anything yet.",
        note="The latest saves by other staff; each opens the record's history.",
    ),
    Section(
        title="Imports",
        group="Activity",
        may_see=may_see_imports,
        count=lambda request: active_imports(request).count(),
        link=lambda request: changelist(
            ImportJob, **{ImportStateFilter.parameter_name: ImportStateFilter.ACTIVE}
        ),
        unit=("import waiting or running", "imports waiting or running"),
        rows=import_rows,
        empty="No imports yet.",
        note="Imports under way, with how far each has got, then the latest.",
    ),
    Section(
        title="Batch edits",
        group="Activity",
        may_see=may_see_batch_edits,
        count=lambda request: running_batch_edits(request).count(),
        link=lambda request: changelist(BatchEdit, state__exact=BatchEdit.State.RUNNING),
        unit=("batch edit running", "batch edits running"),
        rows=batch_edit_rows,
        empty="No batch edits yet.",
        note="Batch edits under way, then the latest; each opens its page, with Undo.",
    ),
    quality_section("no_summary"),
    quality_section("no_citation"),
    quality_section("undated"),
    quality_section(
        "failed_scans",
        # A constant of our own, with the command set as code.
        note=mark_safe(  # noqa: S308
            "Each scan's file details say why. Upload a smaller or repaired file, or retry with "
            "<code>manage.py process_scans --failed</code>."
        ),
    ),
    Section(
        title="Possible duplicate people",
        group="Data quality",
        may_see=may_see_duplicates,
        count=duplicates_count,
        cap=LIMIT,
        link=duplicates_link,
        unit=("pair sharing a name or its sound", "pairs sharing a name or its sound"),
        rows=duplicate_rows,
        empty="None sharing a name or its sound.",
        note="Pairs of people with the same name, or names that sound alike.",
    ),
]


@dataclass
class Shown:
    """A section as the page shows it, for one user."""

    section: Section
    count: int | None
    count_text: str
    link: str
    rows: list

    @property
    def unit(self):
        return self.section.unit[0] if self.count == 1 else self.section.unit[1]


def sections_for(request, sections=None):
    """The sections `request.user` may see, each with its count, link and rows, grouped:
    [(group, [Shown, ...]), ...] in the order declared."""
    groups = {}
    for section in SECTIONS if sections is None else sections:
        if not section.may_see(request):
            continue
        count = section.count(request) if section.count else None
        groups.setdefault(section.group, []).append(
            Shown(
                section=section,
                count=count,
                count_text=count_text(count, section.cap),
                link=section.link(request) if section.link else "",
                rows=section.rows(request) if section.rows else [],
            )
        )
    return list(groups.items())


def count_text(count, cap):
    if count is None:
        return ""
    return f"More than {cap:,}" if count > cap else f"{count:,}"


def index(request):
    """The admin's home page: the dashboard, then Django's list of apps and the reports."""
    return admin.site.index(request, extra_context={"dashboard": sections_for(request)})
