"""A document's further texts: translations and transcripts beyond its main ones.

A document's main translation (`Document.text`, credited through the people linked as
"translator") and its main transcript (`Document.transcript`) stay on the document. A
`DocumentText` is another translation or transcript of it, with its own language, translator and
note: the Digital Archive holds some documents in more than one translation. The translator of a
further translation is its `translator`, not a `Contribution`: the document's credit line
("Translated by …") credits its main translation, and each further text's credit line is printed
from its own translator, so each fact is kept in one place.

A spreadsheet row has room for `PER_KIND` further texts of each kind (columns `translation_2`,
`translation_3`, `transcript_2`, ...), so a document holds at most that many of each.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from documents.models.base import NoBidiControls
from documents.models.people import Person
from documents.models.records import Contribution, Document


class DocumentText(models.Model):
    """Another translation or transcript of a document, in its language."""

    class Kind(models.TextChoices):
        TRANSLATION = "translation", _("Translation")
        TRANSCRIPT = "transcript", _("Transcript")

    # How many further texts of each kind a document may hold: the spreadsheet's columns.
    PER_KIND = 2

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="texts", verbose_name=_("document")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.TRANSLATION)
    language = models.ForeignKey(
        "Language",
        on_delete=models.PROTECT,
        related_name="document_texts",
        verbose_name=_("language"),
    )
    text = models.TextField(
        _("text"),
        validators=[NoBidiControls("text", multiline=True)],
        help_text=_("Line breaks and blank lines are kept, as in the main translation."),
    )
    translator = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translated_texts",
        verbose_name=_("translator"),
        help_text=_("Who made this translation; shown as 'Translated by …' above it."),
    )
    note = models.CharField(
        _("note"),
        max_length=500,
        blank=True,
        validators=[NoBidiControls("note")],
        help_text=_("Shown with the text, e.g. 'Translated from the Persian copy in GAPPOD.'"),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Its place among the document's further texts of its kind, lowest first."),
    )

    class Meta:
        ordering = ["kind", "position", "pk"]
        verbose_name = _("further translation or transcript")
        verbose_name_plural = _("further translations and transcripts")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language})"

    def clean(self):
        if self.kind == self.Kind.TRANSCRIPT and self.translator_id:
            raise ValidationError(
                {"translator": _("A transcript has no translator; leave it empty.")}
            )

    def credit_line(self, *, value=str):
        """'Translated by X.' for a translation whose translator is known, else ''.

        Worded as the document's credit line words a translator's credit; `value` wraps the
        name (documents.parsing.bidi.marked, for a page)."""
        if self.kind != self.Kind.TRANSLATION or self.translator is None:
            return ""
        verb = str(Contribution.CREDIT_VERBS[Contribution.Role.TRANSLATOR])
        return f"{verb[0].upper()}{verb[1:]} by {value(self.translator)}."
