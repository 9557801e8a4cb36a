"""The people admin: a list searched by any name or variant, merging duplicates (with a
preview, and undo from the history), and the report of possible duplicate people. May import
documents.models, documents.parsing, documents.authorities, documents.workflows and the other
documents.admin modules.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.text import smart_split, unescape_string_literal

from documents.admin.base import TEXT_INPUTS, HistoryAdmin, page_urls
from documents.admin.changelists import CappedCountPaginator, page_number
from documents.admin.deleted import DeletedRecordsAdmin
from documents.admin.forms import MergeForm, PersonForm
from documents.authorities.duplicate_people import LIMIT, possible_duplicates
from documents.authorities.matching import FOLDED, LIKELY, SAME
from documents.models import Contribution, DistinctPeople, Person, PersonMerge, PersonName
from documents.parsing.names import name_key
from documents.workflows.merging import MergeError, merge_people, merge_preview, undo_merge

# How the report of possible duplicates names each grade of match.
GRADE_LABELS = {
    SAME: "The same name",
    FOLDED: "The same name, written otherwise (case, accents, punctuation or script)",
    LIKELY: "Likely the same: another transliteration, an inversion, initials or part of the name",
}
PAIRS_PER_PAGE = 50
# The report's choice of only the pairs that share a name key or a sound key.
BY_KEYS = "keys"


def _words(search_term):
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit.strip():
            yield bit


def people_matching(word):
    """People whose name, sort name or any variant contains `word`, accents and case ignored."""
    key = name_key(word)
    variants = PersonName.objects.filter(person=OuterRef("pk")).filter(
        Q(name__icontains=word) | Q(name_key__contains=key)
    )
    return Person.objects.filter(
        Q(name__icontains=word)
        | Q(sort_name__icontains=word)
        | Q(name_key__contains=key)
        | Exists(variants)
    )


class PersonNameInline(admin.TabularInline):
    model = PersonName
    extra = 1
    fields = ["name", "kind"]
    formfield_overrides = TEXT_INPUTS


@admin.register(Person)
class PersonAdmin(DeletedRecordsAdmin, HistoryAdmin):
    form = PersonForm
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_display = ["name", "sort_name", "life_dates", "variant_names"]
    search_fields = ["name"]  # the real search is get_search_results below
    search_help_text = "Searches names, sort names and variant names, ignoring accents and case."
    actions = ["merge_selected"]
    inlines = [PersonNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("variants")

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return self.paginator(
            queryset, per_page, orphans, allow_empty_first_page, page_number=page_number(request)
        )

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None:
            fields = [f for f in fields if f != "create_anyway"]
        return fields

    def get_search_results(self, request, queryset, search_term):
        for word in _words(search_term):
            queryset = queryset.filter(pk__in=people_matching(word).values("pk"))
        return queryset, False

    @admin.display(description="variant names")
    def variant_names(self, obj):
        # Each in its own direction: "Ja'far Pishevari; جعفر پیشه‌وری".
        return format_html_join("; ", "<bdi>{}</bdi>", ((v.name,) for v in obj.variants.all()))

    def has_merge_permission(self, request):
        return request.user.has_perm("documents.merge_person")

    @admin.action(permissions=["merge"], description="Merge selected people (preview first)")
    def merge_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('admin:documents_person_merge')}?ids={ids}")

    def get_urls(self):
        return [
            *page_urls(
                self,
                ("merge/", self.merge_view, "merge"),
                ("merges/<int:merge_id>/undo/", self.undo_merge_view, "undo_merge"),
                ("duplicates/", self.duplicates_view, "duplicates"),
                ("duplicates/dismiss/", self.dismiss_duplicate_view, "dismiss_duplicate"),
            ),
            *super().get_urls(),
        ]

    def has_duplicates_permission(self, request):
        """Who sees the report of possible duplicates: whoever may change and merge people."""
        return self.has_change_permission(request) and self.has_merge_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "can_see_duplicates": self.has_duplicates_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def duplicates_view(self, request):
        """The pairs of people the matching policy takes for one, 50 a page, surest first."""
        if not self.has_duplicates_permission(request):
            raise PermissionDenied
        # ?by=keys: only the pairs sharing a name or its sound (what the dashboard counts).
        by_keys = request.GET.get("by") == BY_KEYS
        pairs, complete = possible_duplicates(by_words=not by_keys)
        page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
        ids = {pid for pair in page.object_list for pid in pair.ids}
        people = Person.objects.filter(pk__in=ids).prefetch_related("variants").in_bulk()
        documents = dict(
            Contribution.objects.filter(person__in=ids)
            .values("person")
            .annotate(n=Count("document", distinct=True))
            .values_list("person", "n")
        )
        for person in people.values():
            person.document_count = documents.get(person.pk, 0)
        rows = [
            {
                "pair": pair,
                "grade": GRADE_LABELS[pair.grade],
                "people": (people[pair.first], people[pair.second]),
                "merge_ids": f"{pair.first},{pair.second}",
            }
            for pair in page.object_list
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Possible duplicate people",
            "opts": self.opts,
            "page": page,
            "rows": rows,
            "count": len(pairs),
            "complete": complete,
            "limit": LIMIT,
            "by_keys": by_keys,
            "by_keys_value": BY_KEYS,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/documents/person/duplicates.html", context)

    def dismiss_duplicate_view(self, request):
        """Record that two people are not the same person; the report leaves them out."""
        if not self.has_duplicates_permission(request):
            raise PermissionDenied
        report = reverse("admin:documents_person_duplicates")
        if request.method != "POST":
            return HttpResponseRedirect(report)
        raw = [request.POST.get("first", ""), request.POST.get("second", "")]
        ids = sorted({int(pk) for pk in raw if pk.strip().isdigit()})
        people = Person.objects.in_bulk(ids)
        if len(ids) != 2 or len(people) != 2:
            self.message_user(
                request,
                "Those two people could not be found; they may have been merged or deleted.",
                messages.WARNING,
            )
            return HttpResponseRedirect(report)
        first, second = people[ids[0]], people[ids[1]]
        DistinctPeople.objects.get_or_create(
            first=first, second=second, defaults={"decided_by": request.user}
        )
        self.message_user(
            request,
            f"“{first}” and “{second}” are noted as two people and will not be listed again.",
            messages.SUCCESS,
        )
        query = {}
        if request.POST.get("by") == BY_KEYS:
            query["by"] = BY_KEYS
        if request.POST.get("page", "").isdigit():
            query["page"] = request.POST["page"]
        return HttpResponseRedirect(f"{report}?{urlencode(query)}" if query else report)

    def merge_view(self, request):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        raw = request.POST.get("ids") or request.GET.get("ids", "")
        ids = [int(pk) for pk in raw.split(",") if pk.strip().isdigit()]
        people = list(Person.objects.filter(pk__in=ids).prefetch_related("variants"))
        changelist = reverse("admin:documents_person_changelist")
        if len(people) < 2:
            self.message_user(request, "Choose at least two people to merge.", messages.WARNING)
            return HttpResponseRedirect(changelist)
        form = MergeForm(request.POST or None, people=people)
        preview = None
        if request.method == "POST" and form.is_valid():
            keep = form.cleaned_data["keep"]
            if "confirm" in request.POST:
                try:
                    merge = merge_people(
                        keep, duplicates=form.duplicates(), by=request.user, take=form.take()
                    )
                except MergeError as error:
                    self.message_user(request, str(error), messages.ERROR)
                    return HttpResponseRedirect(changelist)
                self.message_user(request, f"{merge.summary} It can be undone from its history.")
                return HttpResponseRedirect(
                    reverse("admin:documents_person_change", args=[merge.kept_id])
                )
            preview = merge_preview(keep, duplicates=form.duplicates(), take=form.take())
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge duplicate people",
            "opts": self.opts,
            "form": form,
            "people": people,
            "ids": ",".join(str(p.pk) for p in people),
            "preview": preview,
            # Each field under its label ("Sort name"), as the person form names it.
            "preview_fields": [
                (Person._meta.get_field(name).verbose_name, value)
                for name, value in (preview["values"].items() if preview else [])
            ],
            "links": {p.pk: Contribution.objects.filter(person=p).count() for p in people},
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/documents/person/merge.html", context)

    def undo_merge_view(self, request, merge_id):
        merge = get_object_or_404(PersonMerge, pk=merge_id)
        if not self.has_merge_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            try:
                with transaction.atomic():
                    restored = undo_merge(merge, by=request.user)
            except MergeError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                names = ", ".join(f"“{p}”" for p in restored)
                self.message_user(request, f"Merge undone: {names} restored.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:documents_person_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Undo a merge",
            "opts": self.opts,
            "merge": merge,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/documents/person/undo_merge.html", context)
