"""Spreadsheet imports and the records each one created or changed, kept for undo."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models.base import staff_member


class ImportJobQuerySet(models.QuerySet):
    def active(self):
        """Imports still waiting for the worker or running."""
        return self.filter(outcome__in=ImportJob.ACTIVE)


class ImportJob(models.Model):
    """One spreadsheet import: who ran it, on which file, with what options, and what it did."""

    class Outcome(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Importing")
        IMPORTED = "imported", _("Imported")
        NOTHING = "nothing", _("Nothing to change")
        FAILED = "failed", _("Failed: nothing written")
        UNDONE = "undone", _("Undone")
        PARTLY_UNDONE = "partly_undone", _("Undone except records edited since")

    user = staff_member(_("imported by"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    encoding = models.CharField(_("encoding"), max_length=30, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    total_rows = models.PositiveIntegerField(
        _("rows in the file"),
        default=0,
        help_text=_("Counted by the preview; the progress of a background import is out of it."),
    )
    upload = models.FileField(
        _("file waiting to be imported"),
        upload_to="imports/queued/",
        max_length=200,
        blank=True,
        help_text=_("Kept until the worker has imported it, then removed."),
    )
    task_id = models.CharField(_("background task"), max_length=64, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    failed = models.PositiveIntegerField(_("rows with errors"), default=0)
    new_people = models.JSONField(
        _("people created"), default=list, blank=True, help_text=_("[id, name] pairs.")
    )
    new_terms = models.JSONField(
        _("vocabulary entries created"),
        default=list,
        blank=True,
        help_text=_("[model, id, name] triples created because 'create missing values' was on."),
    )
    new_names = models.JSONField(
        _("names added"),
        default=list,
        blank=True,
        help_text=_(
            "[model, id, name] triples: the spellings this import added as variant names of "
            "people, or other names of vocabulary entries, from the curator's answers."
        ),
    )
    errors = models.JSONField(
        _("errors"), default=list, blank=True, help_text=_("The first errors, as reported.")
    )
    hashed_columns = models.JSONField(
        _("columns compared by undo"),
        default=list,
        blank=True,
        help_text=_(
            "The spreadsheet columns each record's content hash covers; undo compares only "
            "these, so columns added later do not count as edits."
        ),
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = staff_member(_("undone by"))
    undo_report = models.TextField(_("undo report"), blank=True)

    objects = ImportJobQuerySet.as_manager()

    # The outcomes of an import that has not ended yet.
    ACTIVE = (Outcome.QUEUED, Outcome.RUNNING)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"Import #{self.pk}: {self.file_name}"

    def is_active(self):
        """Whether the import is still waiting for the worker or running."""
        return self.outcome in self.ACTIVE

    def can_be_undone(self):
        return not self.undone_at and self.outcome == self.Outcome.IMPORTED


class ImportChange(models.Model):
    """A record an import created or updated, with what it held before, for undoing the import."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="changes")
    document_id = models.BigIntegerField(_("document"), db_index=True)
    record_id = models.PositiveIntegerField(_("record ID"))
    row = models.PositiveIntegerField(_("spreadsheet row"))
    action = models.CharField(_("action"), max_length=10, choices=Action)
    columns = models.JSONField(_("columns changed"), default=list, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after_hash = models.CharField(
        _("content hash after import"),
        max_length=64,
        help_text=_("Tells whether the record was edited after the import."),
    )

    class Meta:
        ordering = ["job", "row"]
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")

    def __str__(self):
        return f"{self.get_action_display()} record {self.record_id} (row {self.row})"


class RememberedAnswer(models.Model):
    """An import question's answer that no authority record can hold, for the next import.

    Most answers are remembered in the records themselves (a spelling as a person's variant
    name, a value as an entry's other name); an answer putting a value in another vocabulary
    ('Tabriz' written as a subject is the place Tabriz) is remembered here, by the question.
    """

    question = models.CharField(_("question"), max_length=500, unique=True)
    answer = models.CharField(_("answer"), max_length=300)
    job = models.ForeignKey(
        ImportJob,
        on_delete=models.CASCADE,
        related_name="remembered_answers",
        verbose_name=_("import"),
    )
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        verbose_name = _("remembered answer")

    def __str__(self):
        return f"{self.question} → {self.answer}"
