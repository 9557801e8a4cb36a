"""Batch edits: one change (a field, an action, values) made to many documents at once.

A batch edit keeps what it did to each record (`BatchEditChange`: the field's value before, and a
fingerprint of it after), so it can be undone as a whole, as an import can.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models.base import staff_member


class BatchEdit(models.Model):
    """A field set, added to or removed from on many documents, by whom, and how it went."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed: nothing written")
        UNDONE = "undone", _("Undone")

    user = staff_member(_("edited by"))
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    operation = models.JSONField(
        _("operation"),
        default=dict,
        help_text=_(
            '{"field": ..., "action": "set", "add" or "remove", "values": [...]}: the entries '
            "(by id) or the status the documents are given."
        ),
    )
    description = models.CharField(
        _("change"),
        max_length=500,
        help_text=_("The operation in words, with the entries' names as they were then."),
    )
    query = models.TextField(
        _("filter"),
        blank=True,
        help_text=_("The document list's filter when the whole filtered list was taken."),
    )
    document_ids = models.JSONField(
        _("documents"), default=list, blank=True, help_text=_("The documents selected.")
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    total = models.PositiveIntegerField(_("documents selected"), default=0)
    changed = models.PositiveIntegerField(_("documents changed"), default=0)
    unchanged = models.PositiveIntegerField(_("documents already so"), default=0)
    task_id = models.CharField(_("background task"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    revision = models.ForeignKey(
        "reversion.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revision"),
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = staff_member(_("undone by"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("batch edit")
        verbose_name_plural = _("batch edits")

    def __str__(self):
        return f"Batch edit #{self.pk}: {self.description}"

    def is_active(self):
        """Whether the batch edit is still waiting for the worker or running."""
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    def can_be_undone(self):
        return self.state == self.State.DONE and self.changed > 0


class BatchEditChange(models.Model):
    """A document a batch edit changed, with the field's value before, for undoing it."""

    batch_edit = models.ForeignKey(BatchEdit, on_delete=models.CASCADE, related_name="changes")
    document_id = models.BigIntegerField(_("document"), db_index=True)
    record_id = models.PositiveIntegerField(_("record ID"))
    before = models.JSONField(_("before"), help_text=_("The part of the record's state edited."))
    after_hash = models.CharField(
        _("content hash after the edit"),
        max_length=64,
        help_text=_("Tells whether the field was edited again after the batch edit."),
    )

    class Meta:
        ordering = ["batch_edit", "record_id"]
        verbose_name = _("document changed by a batch edit")
        verbose_name_plural = _("documents changed by a batch edit")

    def __str__(self):
        return f"Record {self.record_id}"
