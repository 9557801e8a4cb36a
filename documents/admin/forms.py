"""Admin forms: conflict checks, date feedback, duplicate-person warnings, scan uploads, merges."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from archive_collections.models import Collection
from documents import history, scans
from documents.authorities.matching import PersonMatcher
from documents.models import Document, Person, Scan
from documents.workflows.merging import MERGE_FIELDS


class ConflictCheckedForm(forms.ModelForm):
    """Refuse to save over changes someone else saved after this form was opened."""

    loaded_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = _with_lf_line_breaks(self.data)
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_version"] = history.fingerprint(self.instance)

    @property
    def changed_data(self):
        # The check's own fields are not changes to the record (and stay out of the history).
        own = {"loaded_version", "create_anyway"}
        return [name for name in super().changed_data if name not in own]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        current = history.fingerprint(self.instance, lock=True)
        if cleaned.get("loaded_version") != current:
            raise ValidationError(self.conflict_message(), code="conflict")
        return cleaned

    def conflict_message(self):
        opts = self.instance._meta
        history_url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_history", args=[self.instance.pk]
        )
        change_url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.instance.pk]
        )
        latest = history.latest_version(self.instance)
        who = "someone else"
        if latest is not None:
            when = date_format(timezone.localtime(latest.revision.date_created), "DATETIME_FORMAT")
            who = f"{latest.revision.user or 'someone else'} (at {when})"
        return format_html(
            "This {model} was changed by {who} after you opened it, so your changes have "
            'not been saved and nothing was overwritten. <a href="{history}">See what they '
            'changed</a>, then <a href="{change}">reload the form</a> and make your changes '
            "again (your edits are still below: copy what you need first).",
            model=opts.verbose_name,
            who=who,
            history=history_url,
            change=change_url,
        )


def _with_lf_line_breaks(data):
    """Browsers send textarea line breaks as CRLF; keep them as LF like every other source."""
    if not hasattr(data, "setlist"):
        return data
    data = data.copy()
    for key in list(data):
        values = data.getlist(key)
        if any(isinstance(v, str) and "\r" in v for v in values):
            data.setlist(
                key,
                [
                    v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v
                    for v in values
                ],
            )
    return data


class DocumentForm(ConflictCheckedForm):
    in_collections = forms.ModelMultipleChoiceField(
        queryset=Collection.objects.all(),
        required=False,
        label="Collections",
        help_text="Collections this document belongs to.",
        # Any relation to Collection lets the admin's autocomplete search collections.
        widget=AutocompleteSelectMultiple(Collection._meta.get_field("related"), admin.site),
    )

    class Meta:
        model = Document
        fields = "__all__"  # noqa: DJ007 - the admin picks the fields through its fieldsets
        widgets = {
            "title": forms.TextInput(attrs={"class": "vTextField document-title", "dir": "auto"}),
            "withdrawal_reason": forms.Textarea(
                attrs={"rows": 3, "class": "vLargeTextField", "dir": "auto"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Also when bound: has_changed() compares the posted collections with these, so
            # that a save which leaves them alone does not log "Changed Collections.".
            self.initial["in_collections"] = list(
                self.instance.collections.values_list("pk", flat=True)
            )

    def clean(self):
        cleaned = super().clean()
        # A corrected "date as written" must be read again, not shadowed by the old EDTF value.
        if "date_text" in self.changed_data and "date_edtf" not in self.changed_data:
            cleaned["date_edtf"] = ""
            self.instance.date_edtf = ""
        return cleaned


def similar_people(name, *, exclude=None):
    """The people `name` may mean by the archive's matching policy: the same name or a likely one.

    The warning shows for exactly the names the import would not simply create a new person
    for (see documents.authorities.matching); "Create anyway" is the import's '[new]'.
    """
    people = Person.objects.filter(pk__in=PersonMatcher().candidates(name))
    if exclude is not None:
        people = people.exclude(pk=exclude)
    return people.order_by("sort_name")


class PersonForm(ConflictCheckedForm):
    create_anyway = forms.BooleanField(
        required=False,
        label="Create anyway",
        help_text="Tick only if the existing person named above is someone else.",
    )

    class Meta:
        model = Person
        fields = "__all__"  # noqa: DJ007 - the admin picks the fields through its fieldsets

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if self.instance.pk or not name or cleaned.get("create_anyway"):
            return cleaned
        matches = list(similar_people(name)[:10])
        if matches:
            links = format_html_join(
                ", ",
                '<a href="{}" target="_blank">{}</a>{}',
                (
                    (
                        reverse("admin:documents_person_change", args=[p.pk]),
                        p.name,
                        f" ({p.life_dates})" if p.life_dates else "",
                    )
                    for p in matches
                ),
            )
            self.add_error(
                "name",
                ValidationError(
                    format_html(
                        "“{}” closely matches a person already in the archive: {}. Use the "
                        "existing person (add this spelling as a variant name), or tick "
                        "“Create anyway” if this is someone else.",
                        name,
                        links,
                    ),
                    code="possible_duplicate",
                ),
            )
        return cleaned


class ScanForm(forms.ModelForm):
    class Meta:
        model = Scan
        fields = ["file", "caption", "order"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or "file" not in self.changed_data:
            return upload
        self.inspected = scans.check_upload(upload)
        document_id = self.instance.document_id
        if document_id:
            same = Scan.objects.filter(document_id=document_id, sha256=self.inspected.sha256)
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                raise ValidationError("This file is already attached to this document.")
        return upload

    def save(self, commit=True):
        inspected = getattr(self, "inspected", None)
        if inspected is not None:
            scans.apply_upload(self.instance, self.cleaned_data["file"], inspected)
        return super().save(commit)

    def needs_derivatives(self):
        """Whether a new file was stored, whose derivatives the worker is to make."""
        return getattr(self, "inspected", None) is not None and self.instance.pk is not None


class MergeForm(forms.Form):
    """Choose the person to keep and, field by field, whose value the merged record gets."""

    keep = forms.ModelChoiceField(
        queryset=Person.objects.none(), widget=forms.RadioSelect, label="Person to keep"
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        self.fields["keep"].queryset = Person.objects.filter(pk__in=[p.pk for p in self.people])
        self.fields["keep"].label_from_instance = lambda p: f"{p.name} (#{p.pk}, /{p.slug}/)"
        self.choice_fields = []
        for name in MERGE_FIELDS:
            values = {}
            for person in self.people:
                value = getattr(person, name)
                if value not in ("", None) and str(value) not in values.values():
                    values[person.pk] = str(value)
            if len(values) < 2:
                continue
            label = Person._meta.get_field(name).verbose_name
            self.fields[f"take_{name}"] = forms.TypedChoiceField(
                label=f"{label[0].upper()}{label[1:]}",
                choices=[("", "The kept person's value"), *values.items()],
                coerce=int,
                empty_value=None,
                required=False,
                initial="",
                widget=forms.RadioSelect,
            )
            self.choice_fields.append(f"take_{name}")

    def take(self):
        by_pk = {p.pk: p for p in self.people}
        return {
            name[len("take_") :]: by_pk[self.cleaned_data[name]]
            for name in self.choice_fields
            if self.cleaned_data.get(name)
        }

    def duplicates(self):
        keep = self.cleaned_data["keep"]
        return [p for p in self.people if p.pk != keep.pk]
