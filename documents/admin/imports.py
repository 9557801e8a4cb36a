"""Spreadsheet import and export in the admin.

`DocumentImportExportMixin` goes on `DocumentAdmin`: the Import and Export buttons on the change
list, then our importer (`documents.spreadsheets.importing`): upload and options, a dry run that
shows every row as new, updated (with a diff), unchanged or error, then confirmation; nothing is
written before. Export takes the change list's current filter or the selected rows.
`ImportJobAdmin` lists past imports with what they changed and undoes one.

The flow keeps the URLs and names django-import-export's admin mixin had (`<app>_<model>_import`,
`..._process_import`, `..._export`); the library itself is only the benchmark's baseline now
(see the README, "Importing and exporting").
"""

import re
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from documents.admin.base import page_urls
from documents.admin.list_filters import ImportStateFilter
from documents.models import Document, ImportChange, ImportJob
from documents.spreadsheets.columns import HEADERS
from documents.spreadsheets.exporting import WHOLE_FORMATS, ExportError, export_documents
from documents.spreadsheets.files import CONTENT_TYPES, limit
from documents.spreadsheets.guide import TEMPLATE_DIR
from documents.spreadsheets.importing import import_documents
from documents.spreadsheets.permissions import ImportPermissions
from documents.spreadsheets.undo import undo_import
from documents.tasks import progress
from documents.tasks.imports import queue_import

PREVIEW_ROWS = 500
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _upload_dir():
    folder = Path(getattr(settings, "IMPORT_UPLOAD_DIR", "") or tempfile.gettempdir()) / (
        "archive-imports"
    )
    folder.mkdir(parents=True, exist_ok=True)
    # Uploads whose preview was never confirmed are removed after a day.
    stale = time.time() - 24 * 3600
    for old in folder.iterdir():
        try:
            if old.stat().st_mtime < stale:
                old.unlink()
        except FileNotFoundError:
            pass
    return folder


class ImportOptionsForm(forms.Form):
    date_order = forms.ChoiceField(
        label="Dates written with numbers only, like 05/08/1946, are",
        choices=[("mdy", "month/day/year (May 8)"), ("dmy", "day/month/year (5 August)")],
        initial="mdy",
        help_text="Dates written with words (“8 May 1946”) or as 1946-05-08 read the same "
        "either way.",
    )
    encoding = forms.ChoiceField(
        label="CSV encoding",
        choices=[
            ("", "Detect (UTF-8, else Windows-1252)"),
            ("utf-8", "UTF-8"),
            ("cp1252", "Windows-1252"),
        ],
        required=False,
        help_text="CSV files only. Keep “Detect” unless accented letters look wrong in the "
        "preview.",
    )
    create_missing = forms.BooleanField(
        label="Create missing values",
        required=False,
        help_text="Add types, classifications, languages, collections, subjects, places, funders "
        "and repositories the archive does not have yet, instead of reporting them as errors.",
    )
    skip_errors = forms.BooleanField(
        label="Import the good rows even if some rows have errors",
        required=False,
        help_text="Otherwise a single bad row means nothing is imported. The bad rows can be "
        "downloaded as a spreadsheet to fix and import again.",
    )
    allow_duplicates = forms.BooleanField(
        label="Allow duplicates",
        required=False,
        help_text="Create rows with no record ID even when a record with the same title and "
        "date exists.",
    )


class ImportUploadForm(ImportOptionsForm):
    import_file = forms.FileField(
        label="Spreadsheet (CSV, XLSX or ODS)",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.ods"}),
    )
    field_order = ["import_file", "encoding"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limits = import_limits()
        self.fields["import_file"].help_text = (
            f"One row per document, under a header row naming the columns. At most "
            f"{limits['megabytes']} MB and {limits['rows']} rows."
        )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        cap = limit("IMPORT_MAX_BYTES", 1024 * 1024 * 1024)
        if upload.size > cap:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the most this archive imports "
                f"at once is {cap / 1024 / 1024:.0f} MB. Split it into smaller files."
            )
        suffix = Path(upload.name).suffix.lower()
        if suffix not in (".csv", ".xlsx", ".ods", ".txt"):
            raise forms.ValidationError(
                f"'{upload.name}' is not a CSV, XLSX or ODS file. Save the sheet in one of "
                "those formats."
            )
        return upload


# The upload form's fields as the page groups them.
UPLOAD_SECTIONS = [
    ("The file", ["import_file", "encoding"]),
    ("How to read it", ["date_order", "create_missing", "allow_duplicates", "skip_errors"]),
]


class ConfirmImportForm(ImportOptionsForm):
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not _TOKEN.match(token):
            raise forms.ValidationError("This import has expired; upload the file again.")
        return token


def import_limits():
    """The sizes the import page states: the file's, and where the background begins."""
    megabytes = limit("IMPORT_MAX_BYTES", 1024 * 1024 * 1024) / 1024 / 1024
    return {
        "megabytes": f"{megabytes:,.0f}" if megabytes >= 1 else f"{megabytes:.2f}",
        "rows": f"{limit('IMPORT_MAX_ROWS', 500_000):,}",
        "background": f"{settings.IMPORT_BACKGROUND_ROWS:,}",
    }


def _options(cleaned):
    return {
        "date_order": cleaned["date_order"],
        "encoding": cleaned.get("encoding") or None,
        "create_missing": cleaned["create_missing"],
        "skip_errors": cleaned["skip_errors"],
        "allow_duplicates": cleaned["allow_duplicates"],
    }


def _answers(data):
    """The preview's answers: {question key: answer code} from its question-N/answer-N pairs."""
    answers = {}
    for name in data:
        if name.startswith("question-"):
            answer = data.get(f"answer-{name.removeprefix('question-')}", "")
            if answer:
                answers[data[name]] = answer
    return answers


class DocumentImportExportMixin:
    """Import with preview and export, with their buttons on the change list, for DocumentAdmin."""

    import_template_name = "admin/documents/import.html"
    # Adds the buttons to the admin's own change list template, which it extends.
    import_export_change_list_template = "admin/documents/import_export_change_list.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_change_list_template = self.change_list_template or "admin/change_list.html"
        self.change_list_template = self.import_export_change_list_template

    def get_model_info(self):
        return self.model._meta.app_label, self.model._meta.model_name

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "base_change_list_template": self.base_change_list_template,
            "has_import_permission": self.has_import_permission(request),
            "has_export_permission": self.has_export_permission(request),
        }
        return super().changelist_view(request, extra_context)

    # Permissions: documents.import_document / documents.export_document --------------------

    def has_import_permission(self, request):
        return request.user.has_perm("documents.import_document")

    def has_export_permission(self, request):
        return request.user.has_perm("documents.export_document")

    def get_urls(self):
        return [
            *page_urls(
                self,
                ("import/template.<str:file_format>", self.template_view, "import_template"),
                ("import/errors/<str:token>/", self.errors_view, "import_errors"),
                ("import/", self.import_action, "import"),
                ("process_import/", self.process_import, "process_import"),
                ("export/", self.export_action, "export"),
            ),
            *super().get_urls(),
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_export_permission(request):
            for file_format in ("csv", "xlsx", "ods"):
                name = f"export_selected_{file_format}"
                actions[name] = (
                    _export_action(file_format),
                    name,
                    f"Export selected documents to {file_format.upper()}",
                )
        return actions

    # Import ----------------------------------------------------------------------------------

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        context = {"form": form}
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            token = secrets.token_urlsafe(24)
            suffix = Path(upload.name).suffix.lower()
            stored = _upload_dir() / f"{token}{suffix}"
            with stored.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            pending = request.session.setdefault("document_imports", {})
            pending[token] = {"path": str(stored), "name": upload.name}
            request.session.modified = True
            context.update(self._preview(request, token, form.cleaned_data))
        return self._render_import(request, context)

    def _preview(self, request, token, cleaned, answers=None):
        """Check the stored upload `token` without writing; the preview page's context.

        The proposed answers are taken for the questions not answered yet, so the preview shows
        what confirming would do; the curator changes an answer and checks again, or confirms.
        """
        pending = request.session["document_imports"][token]
        stored = Path(pending["path"])
        suffix = stored.suffix
        options = _options(cleaned)
        errors_path = _upload_dir() / f"{token}-errors{suffix if suffix != '.txt' else '.csv'}"
        with errors_path.open("wb") as errors_out:
            result = import_documents(
                stored,
                user=request.user,
                file_name=pending["name"],
                dry_run=True,
                preview_limit=PREVIEW_ROWS,
                error_file=errors_out,
                answers=answers,
                accept_suggestions=True,
                **options,
            )
        if not result.failed:
            errors_path.unlink(missing_ok=True)
        # The confirmation runs in the worker when the file has more rows than this.
        pending["rows"] = result.rows
        request.session.modified = True
        confirm = ConfirmImportForm(
            initial={
                **{name: value for name, value in cleaned.items() if name != "import_file"},
                "token": token,
                "encoding": options["encoding"] or "",
            }
        )
        for name, field in confirm.fields.items():
            if name != "token":
                field.widget = forms.HiddenInput()
        return dict(
            result=result,
            confirm_form=confirm,
            token=token,
            questions=list(enumerate(result.questions)),
            can_confirm=not result.file_errors
            and (not result.failed or options["skip_errors"] or result.waiting_only_for_answers)
            and (result.created or result.updated or result.questions),
            options=options,
        )

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        form = ConfirmImportForm(request.POST)
        if not form.is_valid():
            messages.error(request, "This import has expired; upload the file again.")
            return redirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        token = form.cleaned_data["token"]
        answers = _answers(request.POST)
        if "check_again" in request.POST:
            if token not in request.session.get("document_imports", {}):
                messages.error(request, "This import has expired; upload the file again.")
                return redirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
            context = {"form": ImportUploadForm()}
            context.update(self._preview(request, token, form.cleaned_data, answers))
            return self._render_import(request, context)
        pending = request.session.get("document_imports", {}).pop(token, None)
        request.session.modified = True
        if pending is None or not Path(pending["path"]).is_file():
            messages.error(
                request, "This import was already confirmed or has expired; upload the file again."
            )
            return redirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        stored = Path(pending["path"])
        if pending.get("rows", 0) > settings.IMPORT_BACKGROUND_ROWS:
            try:
                job = queue_import(
                    stored,
                    user=request.user,
                    file_name=pending["name"],
                    options={**_options(form.cleaned_data), "answers": answers},
                    total_rows=pending["rows"],
                )
            finally:
                stored.unlink(missing_ok=True)
            messages.info(
                request,
                f"Import #{job.pk} of {job.total_rows:,} rows is running in the background. "
                "This page shows how far it has got and refreshes itself until it is done.",
            )
            return redirect(reverse("admin:documents_importjob_change", args=[job.pk]))
        try:
            result = import_documents(
                stored,
                user=request.user,
                file_name=pending["name"],
                dry_run=False,
                preview_limit=PREVIEW_ROWS,
                answers=answers,
                **_options(form.cleaned_data),
            )
        except BaseException:
            stored.unlink(missing_ok=True)
            raise
        if not result.written and result.waiting_only_for_answers:
            # A question the preview did not show (an answer changed and not checked again):
            # the same preview again, with the file kept, so the curator answers it.
            request.session.setdefault("document_imports", {})[token] = pending
            request.session.modified = True
            messages.warning(
                request,
                "Nothing was written: some questions have no answer yet. Answer them below "
                "and confirm again.",
            )
            context = {"form": ImportUploadForm()}
            context.update(self._preview(request, token, form.cleaned_data, answers))
            return self._render_import(request, context)
        stored.unlink(missing_ok=True)
        if result.written and result.job is None:
            # Every row already matches the archive: nothing was written, not even a job.
            messages.info(request, f"Nothing to change. {result.summary()}")
            return redirect(reverse("admin:documents_importjob_changelist"))
        if result.written:
            messages.success(request, f"Import #{result.job.pk}: {result.summary()}")
            return redirect(reverse("admin:documents_importjob_change", args=[result.job.pk]))
        # The data changed between preview and confirmation: show what is wrong now.
        context = {"form": ImportUploadForm(), "result": result, "can_confirm": False}
        return self._render_import(request, context)

    def _render_import(self, request, context):
        info = self.get_model_info()
        context.update(
            self.admin_site.each_context(request),
            opts=self.model._meta,
            title="Import documents",
            columns=HEADERS,
            template_csv=reverse("admin:{}_{}_import_template".format(*info), args=["csv"]),
            template_xlsx=reverse("admin:{}_{}_import_template".format(*info), args=["xlsx"]),
            history_url=reverse("admin:documents_importjob_changelist"),
            has_view_permission=self.has_view_permission(request),
            limits=import_limits(),
            may_import=ImportPermissions(request.user).describe(),
            form_sections=[
                (title, [context["form"][name] for name in names])
                for title, names in UPLOAD_SECTIONS
            ],
        )
        if context.get("token") and context["result"].failed:
            context["errors_url"] = reverse(
                "admin:{}_{}_import_errors".format(*info), args=[context["token"]]
            )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.import_template_name, context)

    def template_view(self, request, file_format):
        if not (self.has_import_permission(request) or self.has_export_permission(request)):
            raise PermissionDenied
        if file_format not in ("csv", "xlsx"):
            raise Http404
        return FileResponse(
            (TEMPLATE_DIR / f"documents-template.{file_format}").open("rb"),
            as_attachment=True,
            filename=f"documents-template.{file_format}",
            content_type=CONTENT_TYPES[file_format],
        )

    def errors_view(self, request, token):
        if not self.has_import_permission(request) or not _TOKEN.match(token):
            raise PermissionDenied
        if token not in request.session.get("document_imports", {}):
            raise Http404
        for candidate in _upload_dir().glob(f"{token}-errors.*"):
            return FileResponse(
                candidate.open("rb"),
                as_attachment=True,
                filename=f"rows-with-errors{candidate.suffix}",
            )
        raise Http404

    # Export ----------------------------------------------------------------------------------

    def get_export_queryset(self, request):
        """What the change list shows (its search and filters), all pages."""
        return self.get_changelist_instance(request).queryset

    def export_action(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        query = request.GET.copy()
        file_format = query.pop("format", [None])[0]
        for_new_archive = query.pop("for_new_archive", [""])[0] == "1"
        # The change list reads its filters from GET, which must not include our parameters.
        request.GET = query
        queryset = self.get_export_queryset(request)
        problem = None
        if file_format in ("csv", "xlsx", "ods"):
            try:
                return _export_response(queryset, request.user, file_format, for_new_archive)
            except ExportError as error:
                problem = error
        links = []
        for option in ("csv", "xlsx", "ods"):
            if problem is not None and option not in WHOLE_FORMATS:
                continue
            link = request.GET.copy()
            link["format"] = option
            if for_new_archive:
                link["for_new_archive"] = "1"
            links.append((option.upper(), f"?{link.urlencode()}"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Export documents",
            "count": queryset.count(),
            "links": links,
            "formats": ["csv", "xlsx", "ods"],
            "filters": [(k, v) for k in request.GET for v in request.GET.getlist(k)],
            "for_new_archive": for_new_archive,
            "problem": problem,
            "filtered": bool(request.GET),
        }
        return TemplateResponse(request, "admin/documents/export.html", context)


def _export_response(queryset, user, file_format, for_new_archive=False):
    """The file as a download; raises ExportError (nothing sent) if the format cannot hold it."""
    response = HttpResponse(content_type=CONTENT_TYPES[file_format])
    stamp = timezone.now().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="documents-{stamp}.{file_format}"'
    export_documents(
        response,
        queryset=queryset,
        user=user,
        file_format=file_format,
        for_new_archive=for_new_archive,
    )
    return response


def _export_action(file_format):
    def export_selected(modeladmin, request, queryset):
        if not modeladmin.has_export_permission(request):
            raise PermissionDenied
        try:
            return _export_response(queryset, request.user, file_format)
        except ExportError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            return None

    export_selected.__name__ = f"export_selected_{file_format}"
    return export_selected


# Import history and undo ------------------------------------------------------------------


class ImportChangeInline(admin.TabularInline):
    model = ImportChange
    fields = ["row", "action", "record_link", "columns_changed"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        # A big import changes thousands of records; the page lists the first ones.
        queryset = super().get_queryset(request)
        ids = list(queryset.values_list("pk", flat=True)[:200])
        return queryset.filter(pk__in=ids)

    @admin.display(description="record")
    def record_link(self, change):
        document = Document.objects.filter(pk=change.document_id).only("pk", "title").first()
        if document is None:
            return f"{change.record_id} (deleted)"
        url = reverse("admin:documents_document_change", args=[document.pk])
        return format_html(
            '<a href="{}">{}: <bdi>{}</bdi></a>', url, change.record_id, document.title[:80]
        )

    @admin.display(description="columns changed")
    def columns_changed(self, change):
        """The spreadsheet's column headings, as a curator types them."""
        return format_html_join(", ", "<code>{}</code>", ((c,) for c in change.columns)) or "—"

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Whoever may see an import may see the records it changed (ImportJobAdmin's rule).
        return may_see_imports(request.user) or super().has_view_permission(request, obj)


def may_see_imports(user):
    """Who may read the import history and each import's changed records: those who import."""
    return user.has_perm("documents.import_document")


def may_undo(user, job):
    """Who may undo `job`: whoever ran it, or for anyone's import those who may change and
    delete documents (Curators; README "Roles")."""
    if not user.has_perm("documents.import_document"):
        return False
    if job.user_id is not None and job.user_id == user.pk:
        return True
    return user.has_perm("documents.change_document") and user.has_perm("documents.delete_document")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    # While the import waits or runs, the page refreshes itself (a <meta> refresh: no script).
    change_form_template = "admin/documents/importjob/change_form.html"
    list_display = [
        "__str__",
        "user",
        "started_at",
        "status",
        "rows",
        "created",
        "updated",
        "unchanged",
        "failed",
    ]
    list_filter = [ImportStateFilter, "outcome", "file_format"]
    search_fields = ["file_name", "user__username"]
    date_hierarchy = "started_at"
    list_select_related = ["user"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "status",
                    "file_name",
                    "file_format",
                    "encoding",
                    "user",
                    "started_at",
                    "finished_at",
                    "outcome",
                    "options_used",
                    "answers_given",
                    "undo_link",
                ]
            },
        ),
        ("Counts", {"fields": ["rows", "created", "updated", "unchanged", "failed"]}),
        (
            "Created along the way",
            {"fields": ["people_created", "entries_created", "names_added"]},
        ),
        ("Errors", {"fields": ["error_list"]}),
        ("Undo", {"fields": ["undone_at", "undone_by", "undo_report"]}),
    ]
    # A record of what happened: everything it shows is read-only.
    readonly_fields = flatten_fieldsets(fieldsets)
    inlines = [ImportChangeInline]

    def has_module_permission(self, request):
        return may_see_imports(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return may_see_imports(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [*page_urls(self, ("<int:pk>/undo/", self.undo_view, "undo")), *super().get_urls()]

    def get_fieldsets(self, request, obj=None):
        """The Undo button only for those who may undo this import."""
        if obj is not None and may_undo(request.user, obj):
            return self.fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "undo_link"]})
            for name, options in self.fieldsets
        ]

    @admin.display(description="status")
    def status(self, job):
        """Where the import is, or how it ended, in a sentence."""
        if job.outcome == ImportJob.Outcome.QUEUED:
            return format_html(
                "Waiting for the worker: {} rows to import. It starts as soon as "
                "<code>manage.py db_worker</code> is free (see the README, “Deploying”).",
                f"{job.total_rows:,}",
            )
        if job.outcome == ImportJob.Outcome.RUNNING:
            return _running(job, progress.read(job.pk))
        if job.outcome == ImportJob.Outcome.FAILED:
            first = job.errors[0]["message"] if job.errors and not job.errors[0]["row"] else ""
            rows = f"{job.failed:,} rows have errors (listed below). " if job.failed else ""
            return f"Failed; nothing was written. {rows}{first}".strip()
        if job.outcome == ImportJob.Outcome.NOTHING:
            return f"Nothing to change: all {job.rows:,} rows already match the archive."
        counts = (
            f"created {job.created:,}, updated {job.updated:,}, unchanged {job.unchanged:,}, "
            f"errors {job.failed:,} (of {job.rows:,} rows)"
        )
        return f"{job.get_outcome_display()}: {counts}."

    @admin.display(description="options")
    def options_used(self, job):
        """The options as the import form names them, one per line."""
        shown = {
            "dry_run": "Check only",
            "create_missing": "Create missing values",
            "skip_errors": "Import the good rows even if some rows have errors",
            "allow_duplicates": "Allow duplicates",
            "accept_suggestions": "Take every proposed answer",
        }
        chosen = [label for key, label in shown.items() if job.options.get(key)]
        order = "day/month/year" if job.options.get("date_order") == "dmy" else "month/day/year"
        return format_html_join(
            "\n", "<div>{}</div>", [(line,) for line in [*chosen, f"Dates read as {order}"]]
        )

    @admin.display(description="answers to the import's questions")
    def answers_given(self, job):
        answers = job.options.get("answers") or {}
        if not answers:
            return "—"
        return format_html_join(
            "\n",
            "<div><bdi>{}</bdi>: {}</div>",
            sorted((key.split(":", 1)[-1], answer) for key, answer in answers.items()),
        )

    @admin.display(description="names added from the answers")
    def names_added(self, job):
        return (
            "; ".join(f"{name} ({kind_of(label)} #{pk})" for label, pk, name in job.new_names)
            or "—"
        )

    @admin.display(description="people created")
    def people_created(self, job):
        return "; ".join(name for _pk, name in job.new_people) or "—"

    @admin.display(description="vocabulary entries created")
    def entries_created(self, job):
        return "; ".join(f"{name} ({kind_of(label)})" for label, _pk, name in job.new_terms) or "—"

    @admin.display(description="errors")
    def error_list(self, job):
        if not job.errors:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html(
                "".join(["<li>{}</li>"] * len(job.errors)),
                *[
                    (f"Row {e['row']}, column {e['column']}: " if e["row"] else "") + e["message"]
                    for e in job.errors
                ],
            ),
        )

    @admin.display(description="undo")
    def undo_link(self, job):
        if not job.can_be_undone():
            return "—"
        url = reverse("admin:documents_importjob_undo", args=[job.pk])
        return format_html('<a class="button" href="{}">Undo this import…</a>', url)

    def undo_view(self, request, pk):
        job = get_object_or_404(ImportJob, pk=pk)
        if not may_undo(request.user, job):
            raise PermissionDenied
        change_url = reverse("admin:documents_importjob_change", args=[job.pk])
        if not job.can_be_undone():
            messages.error(
                request, "This import cannot be undone: it wrote nothing or was already undone."
            )
            return redirect(change_url)
        if request.method == "POST":
            result = undo_import(job, user=request.user)
            level = messages.WARNING if result.kept else messages.SUCCESS
            messages.add_message(request, level, f"Import #{job.pk} undone. {result.summary()}")
            return redirect(change_url)
        plan = undo_import(job, user=request.user, dry_run=True)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Undo import #{job.pk}?",
            "job": job,
            "plan": plan,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/documents/importjob_undo.html", context)


def kind_of(label):
    """What a record of the model `label` ("documents.DocumentType") is called: "document type"."""
    try:
        return apps.get_model(label)._meta.verbose_name
    except LookupError:
        return label.rsplit(".", 1)[-1]


def _running(job, report):
    return progress_sentence(report, job.total_rows, doing="Importing", unit="rows")


def progress_sentence(report, total, *, doing, unit):
    """How far a background task has got (`progress.read`), as a sentence: "Importing: 300 of
    1,000 rows (30%), about 2 minutes left." An import's and a batch edit's pages show it."""
    if report is None or not report.done:
        return f"{doing}: started, {total:,} {unit} to go."
    text = f"{doing}: {report.done:,} of {report.total:,} {unit} ({report.percent}%)"
    left = report.seconds_left()
    if left is not None:
        text += f", about {_duration(left)} left"
    text += "."
    quiet = report.seconds_since_update()
    if quiet > 300:
        return format_html(
            "{} The worker has reported nothing for {}: check that <code>manage.py db_worker"
            "</code> is still running. Nothing is written until it ends.",
            text,
            _duration(quiet),
        )
    return text


def _duration(seconds):
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''} {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"
