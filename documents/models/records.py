"""Documents and their links: funders, people in their roles, citations."""

import re
from dataclasses import astuple

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models.base import (
    NoBidiControls,
    PublishableQuerySet,
    Status,
    bounds_in_order,
    optional_term,
    split_names,
    unique_slug,
)
from documents.models.identifiers import RecordIds
from documents.models.people import Person
from documents.models.vocabularies import RightsStatement
from documents.parsing.bidi import marked
from documents.parsing.credits import split_credit
from documents.parsing.dates import (
    DateParseError,
    display_date,
    format_edtf,
    parse_date,
    parse_edtf,
)
from documents.parsing.references import cited_as, parse_reference
from documents.parsing.transmission import TransmissionTimeError, parse_transmission_time


class PublicChange(models.Model):
    """One committed change the public sees, numbered in the order it was logged.

    Web processes keep an in-memory index of the published documents (`documents.browse.index`)
    and apply, on each request, the changes logged since the number they hold: the documents
    named are read again and spliced in; `everything` (a bulk load, a restore) rebuilds it.
    `terms` says a vocabulary was written (a collection published, a subject renamed).
    """

    id = models.BigAutoField(primary_key=True)
    documents = models.JSONField(default=list, blank=True)
    everything = models.BooleanField(default=False)
    terms = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("public change")

    def __str__(self):
        return f"#{self.pk}"


class DocumentQuerySet(PublishableQuerySet):
    def in_collection(self, collection):
        return self.filter(collections=collection)

    # What a record may lack (the admin's "data quality" filter and the curators' dashboard
    # both read these). Each is a subquery or a column test, never a join, so a list filtered
    # by it needs no SELECT DISTINCT.

    def without_summary(self):
        return self.filter(summary="")

    def without_citation(self):
        return self.exclude(pk__in=Citation.objects.values("document_id"))

    def undated(self):
        """Documents with no date ("undated", or none given): no earliest day to sort by."""
        return self.filter(date_start__isnull=True)

    def with_failed_scans(self):
        """Documents with a scan the worker could not make a thumbnail and display image of."""
        scans = self.model._meta.get_field("scans").related_model
        failed = scans.objects.filter(processing=scans.Processing.FAILED)
        return self.filter(pk__in=failed.values("document_id"))


class Document(models.Model):
    """An archive record: its text, its date, the people and terms linked to it.

    A cable or telegram also has its transmission details (the `TRANSMISSION_FIELDS`: the
    numbers, times, places, addressee, copy number and duty officers of its header), kept as
    optional fields on the document itself rather than in a one-to-one model: a record has at
    most one header, the admin's form shows them in one fieldset with no inline to save, the
    spreadsheet columns are plain document fields (written, compared and undone with the rest
    of the row by the import's bulk writer), and a document's history diff shows them with its
    other fields. The distribution list ("Copies [to]: Cdes. Vyshinsky, ...") is the people
    linked in the role "copied to", and the addressee is linked as a recipient where known: one
    record of each person, shown in the header and found by the person's page. The duty
    officers who sent and received a cable are kept as written ("OPS Duty Officer
    Kupryazhina"): clerks are named by a surname alone, rarely identifiable, and not people a
    researcher browses, so they are searchable text, not Person records.
    """

    record_id = models.PositiveIntegerField(
        _("record ID"),
        unique=True,
        blank=True,
        help_text=_(
            "Stable public number for links and imports; assigned if left empty, never reused."
        ),
    )
    title = models.CharField(
        _("title"),
        max_length=500,
        validators=[NoBidiControls("title")],
        help_text=_("Exactly as the source gives it, typos included."),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)

    date_text = models.CharField(
        _("date as written"),
        max_length=100,
        blank=True,
        validators=[NoBidiControls("date as written")],
        help_text=_("e.g. 'May 8, 1946', 'November 1945', 'circa 1946', '1945/1946' or 'undated'."),
    )
    date_edtf = models.CharField(
        _("normalized date (EDTF)"),
        max_length=60,
        blank=True,
        validators=[NoBidiControls("normalized date")],
        help_text=_("Filled in from the date as written when left empty. Empty means undated."),
    )
    date_start = models.DateField(_("earliest date"), null=True, blank=True, editable=False)
    date_end = models.DateField(_("latest date"), null=True, blank=True, editable=False)

    document_type = optional_term("DocumentType", _("document type"))
    summary = models.TextField(
        _("summary"), blank=True, validators=[NoBidiControls("summary", multiline=True)]
    )
    text = models.TextField(
        _("translation"),
        blank=True,
        validators=[NoBidiControls("translation", multiline=True)],
        help_text=_(
            "Line breaks and blank lines are kept; editorial brackets like [SIC] show as typed."
        ),
    )
    transcript = models.TextField(
        _("transcript in the original language"),
        blank=True,
        validators=[NoBidiControls("transcript", multiline=True)],
    )
    languages = models.ManyToManyField(
        "Language", blank=True, related_name="documents", verbose_name=_("original languages")
    )
    classification = optional_term("Classification", _("original classification"))
    rights = optional_term(
        "RightsStatement",
        _("rights statement"),
        help_text=_("Leave empty to use the archive's default rights statement."),
    )
    funders = models.ManyToManyField(
        "Organization", through="Funding", blank=True, related_name="funded_documents"
    )
    people = models.ManyToManyField(
        Person, through="Contribution", blank=True, related_name="documents"
    )
    subjects = models.ManyToManyField("Subject", blank=True, related_name="documents")
    places = models.ManyToManyField("Place", blank=True, related_name="documents")
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("related documents")
    )

    # Transmission details of a cable or telegram (see the class docstring); all optional.
    outgoing_number = models.CharField(
        _("outgoing Nº"),
        max_length=50,
        blank=True,
        validators=[NoBidiControls("outgoing Nº")],
        help_text=_("As written after 'Outgoing Nº', e.g. '8924'."),
    )
    form_number = models.CharField(
        _("form Nº"),
        max_length=50,
        blank=True,
        validators=[NoBidiControls("form Nº")],
        help_text=_("The number of the cable form, e.g. '18'."),
    )
    special_numbers = models.CharField(
        _("special (spets.) Nº"),
        max_length=100,
        blank=True,
        validators=[NoBidiControls("special Nº")],
        help_text=_("The cipher office's special numbers as written, e.g. '484-487'."),
    )
    sent_text = models.CharField(
        _("sent (as written)"),
        max_length=100,
        blank=True,
        validators=[NoBidiControls("sent")],
        help_text=_("The time and day it was sent, as written, e.g. '0850, 8 May 1946'."),
    )
    sent_at = models.CharField(_("sent (normalized)"), max_length=16, blank=True, editable=False)
    received_text = models.CharField(
        _("received (as written)"),
        max_length=100,
        blank=True,
        validators=[NoBidiControls("received")],
        help_text=_("The time and day it was received, as written, e.g. '0450, 8 May 1946'."),
    )
    received_at = models.CharField(
        _("received (normalized)"), max_length=16, blank=True, editable=False
    )
    origin = optional_term(
        "Place",
        _("sent from"),
        related_name="cables_sent",
        help_text=_("Where the cable was sent from."),
    )
    destination = optional_term(
        "Place",
        _("sent to (to where)"),
        related_name="cables_received",
        help_text=_("Where it was sent: the header's 'to where'."),
    )
    addressee = models.CharField(
        _("to whom (as written)"),
        max_length=200,
        blank=True,
        validators=[NoBidiControls("to whom")],
        help_text=_(
            "The header's 'to whom' as written, e.g. 'TO SADCHIKOV'. Link the person as a "
            "recipient under 'People and their roles' where known."
        ),
    )
    copy_number = models.CharField(
        _("copy Nº"),
        max_length=20,
        blank=True,
        validators=[NoBidiControls("copy Nº")],
        help_text=_(
            "Which copy this is, e.g. '1'. The distribution list is the people linked "
            "as 'Copied to'."
        ),
    )
    sent_by = models.CharField(
        _("sending duty officer"),
        max_length=200,
        blank=True,
        validators=[NoBidiControls("sending duty officer")],
        help_text=_("As written, e.g. 'OPS Duty Officer Kupryazhina'."),
    )
    received_by = models.CharField(
        _("receiving duty officer"),
        max_length=200,
        blank=True,
        validators=[NoBidiControls("receiving duty officer")],
        help_text=_("As written after 'Received by', e.g. 'Korshunova'."),
    )

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("Shown publicly only once published."),
    )
    withdrawal_reason = models.TextField(
        _("public reason for withdrawal"),
        blank=True,
        default="",
        # Rows written in bulk (an import, the generator) name only their columns.
        db_default="",
        validators=[NoBidiControls("public reason for withdrawal", multiline=True)],
        help_text=_(
            "Public: shown on the record's page once it is withdrawn, e.g. 'Withdrawn at the "
            "request of the rights holder.' Leave empty to give no reason."
        ),
    )
    first_published_at = models.DateTimeField(
        _("original uploaded date"),
        null=True,
        blank=True,
        help_text=_(
            "Shown publicly as the day the record was uploaded. Set when the record is first "
            "published in this archive, never by a later save; correct it here for records "
            "moved from an earlier site."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    # What identifies and dates a document in a list, all stored before the long texts in its
    # row: a list reading only these (with .only()) reads each row's first page on SQLite, not
    # the kilobytes of text that follow.
    HEADING_FIELDS = ("record_id", "title", "date_text", "date_edtf", "date_start", "date_end")
    # What a list of documents shows of each (includes/document_summary.html and the results).
    SUMMARY_FIELDS = (*HEADING_FIELDS, "summary", "document_type__name")
    # The transmission details (the cable header), in the order the public header shows them.
    TRANSMISSION_FIELDS = (
        "outgoing_number",
        "form_number",
        "special_numbers",
        "received_text",
        "sent_text",
        "origin",
        "destination",
        "addressee",
        "copy_number",
        "sent_by",
        "received_by",
    )
    # The times as written and the normalized field each is read into.
    TRANSMISSION_TIMES = {"sent_text": "sent_at", "received_text": "received_at"}

    class Meta:
        ordering = [F("date_start").asc(nulls_last=True), "date_end", "title"]
        verbose_name = _("document")
        permissions = [
            ("publish_document", "Can publish, unpublish and withdraw documents"),
            ("revert_document", "Can revert documents to an earlier version"),
            ("import_document", "Can import documents from spreadsheets"),
            ("export_document", "Can export documents to spreadsheets"),
            ("restore_document", "Can restore deleted documents, people and collections"),
        ]
        indexes = [
            models.Index(fields=["date_start", "date_end"], name="document_date_range"),
            # The document list's order (the changelist adds -pk): its first page reads this
            # index forwards, its last page backwards, without sorting the undated records.
            models.Index(
                fields=["date_start", "date_end", "title", "-id"], name="document_list_order"
            ),
            models.Index(fields=["status", "date_start"], name="document_status_date"),
            # Imports look records up by title to flag possible duplicates.
            models.Index(fields=["title"], name="document_title"),
            # The public index (documents/facets.py) reads these for every published document;
            # from an index, not from rows that carry whole texts.
            models.Index(
                fields=["status", "document_type", "classification", "date_start", "date_end"],
                name="document_public_columns",
            ),
            # The home page's "recently published" (newest first, by a backward index scan).
            models.Index(
                fields=["status", "first_published_at", "id"], name="document_recently_published"
            ),
            # The sitemap's addresses and dates, and the latest change of a person's published
            # documents, read from the index: on SQLite `updated_at` is stored after the texts.
            models.Index(fields=["status", "record_id", "updated_at"], name="document_sitemap"),
            # Documents without a summary (the dashboard counts the published ones on every
            # visit to the admin's home): read from this small index, not from every row (0.1
            # ms against 0.9 s at 100,000 documents on SQLite).
            models.Index(
                fields=["status"], condition=Q(summary=""), name="document_without_summary"
            ),
        ]
        constraints = [
            bounds_in_order(
                "date_start",
                "date_end",
                name="document_dates_ordered",
                message=_("The earliest date must not be after the latest date."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.normalize_date()
        self.normalize_transmission_times()
        if self.record_id is None:
            self.record_id = record_ids.next()
        else:
            record_ids.note(self.record_id)
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        if self.becomes_published() and self.first_published_at is None:
            self.first_published_at = timezone.now()
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def get_absolute_url(self):
        return reverse("documents:detail", kwargs={"record_id": self.record_id})

    @classmethod
    def from_db(cls, db, field_names, values):
        document = super().from_db(db, field_names, values)
        # The status as stored, so that save() stamps a first publication and nothing else;
        # unknown (deferred) counts as published: a date is never invented on a guess.
        document._stored_status = document.__dict__.get("status", Status.PUBLISHED)
        return document

    def clean(self):
        try:
            self.normalize_date()
        except DateParseError as error:
            field = "date_edtf" if self.date_edtf else "date_text"
            raise ValidationError({field: str(error)}) from error
        errors = {}
        for written in self.TRANSMISSION_TIMES:
            try:
                parse_transmission_time(getattr(self, written))
            except TransmissionTimeError as error:
                errors[written] = str(error)
        if errors:
            raise ValidationError(errors)

    def normalize_date(self):
        """Derive the EDTF value (from the date as written, if missing) and the date range."""
        if self.date_edtf:
            parsed = parse_edtf(self.date_edtf)
        else:
            parsed = parse_date(self.date_text)
        self.date_edtf = parsed.edtf
        self.date_start, self.date_end = parsed.start, parsed.end

    def normalize_transmission_times(self):
        """Read the times of sending and receipt as written into their ISO 8601 fields.

        A time that cannot be read (clean() refuses it in forms) leaves its normalized field
        empty rather than stopping a save from the shell or a fixture."""
        for written, normalized in self.TRANSMISSION_TIMES.items():
            try:
                value = parse_transmission_time(getattr(self, written))
            except TransmissionTimeError:
                value = ""
            setattr(self, normalized, value)

    def has_transmission(self):
        """Whether any transmission detail is filled (the page then shows the cable header)."""
        return any(
            getattr(self, self._meta.get_field(name).attname) for name in self.TRANSMISSION_FIELDS
        )

    def addressee_recipient(self):
        """The recipient linked to the document whom the header's 'to whom' names, if any.

        A recipient is named when the addressee as written ("TO SADCHIKOV") contains the
        spelling the document uses for them ("SADCHIKOV"), their display name, or its last word
        (a surname: "Sadchikov" of "I. V. Sadchikov"), compared without case. Reads the
        (prefetched) contributions."""
        written = self.addressee.casefold()
        if not written:
            return None
        words = set(re.findall(r"\w+", written))
        for contribution in self.contributions.all():
            if contribution.role != Contribution.Role.RECIPIENT:
                continue
            name = contribution.person.name
            spellings = [contribution.name_as_written, name]
            if any(s and s.casefold() in written for s in spellings) or (
                name.split()[-1].casefold() in words
            ):
                return contribution
        return None

    def distribution(self):
        """The people copied, in order: the cable's distribution list (prefetched)."""
        return [c for c in self.contributions.all() if c.role == Contribution.Role.COPIED_TO]

    def is_published(self):
        return self.status == Status.PUBLISHED

    def becomes_published(self):
        """Whether saving now publishes the record: published, and not so as stored.

        The one rule for stamping the Original Uploaded Date (first_published_at): a record
        gets it when it is published, never from a later save of a record already published
        (a seed record published without one keeps it empty until a curator fills it in).
        """
        return self.is_published() and getattr(self, "_stored_status", None) != Status.PUBLISHED

    @property
    def date_display(self):
        """The date as public pages show it (`display_date`: figures in the archive's style)."""
        return display_date(self.date_text, self.date_edtf)

    @property
    def date_as_written(self):
        """The date as the curator typed it, for the record (the admin, exports, the API)."""
        return self.date_text or format_edtf(self.date_edtf)

    @property
    def rights_statement(self):
        return self.rights or RightsStatement.default()

    def credit_line(self, *, value=str, roles=None):
        """Render credits as the archive does: 'Obtained for CWIHP by X and translated by Y.'

        `value` wraps each name (documents.parsing.bidi.marked, for a page); `roles` limits it
        to some credit roles ([Role.TRANSLATOR]: who made the main translation)."""
        roles = Contribution.CREDIT_ROLES if roles is None else roles
        contributions = [c for c in self.contributions.all() if c.role in roles]
        phrases = []
        for role in roles:
            # People credited in one role for the same organization share one phrase.
            groups = {}
            for contribution in contributions:
                if contribution.role == role:
                    groups.setdefault(contribution.on_behalf_of, []).append(contribution.person)
            for organization, people in groups.items():
                for_whom = f" for {value(organization.short_name)}" if organization else ""
                names = join_names(value(person) for person in people)
                phrases.append(f"{Contribution.CREDIT_VERBS[role]}{for_whom} by {names}")
        if not phrases:
            return ""
        sentence = join_names(phrases)
        return f"{sentence[0].upper()}{sentence[1:]}."

    def source_line(self, *, value=str):
        """The citations and credits as one sentence run, as the archive prints them."""
        parts = [f"{str(citation).rstrip('.')}." for citation in self.citations.all()]
        if credits := self.credit_line(value=value):
            parts.append(credits)
        return " ".join(parts)

    def source_line_marked(self):
        """The source line with its names marked, for the page (the |isolated filter shows it)."""
        return self.source_line(value=marked)

    def credited_funders(self):
        return [f.organization for f in self.fundings.all() if f.credited]

    def all_funders(self):
        return [f.organization for f in self.fundings.all()]


# The one allocator of record IDs (documents.models.identifiers): save(), the import, the generator.
record_ids = RecordIds(Document)


class Funding(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="fundings")
    organization = models.ForeignKey(
        "Organization", on_delete=models.PROTECT, related_name="fundings", verbose_name=_("funder")
    )
    credited = models.BooleanField(
        _("named in credit line"),
        default=True,
        help_text=_("Named in 'This document was made possible with support from …'."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("funder")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "organization"], name="funding_unique_per_document"
            )
        ]

    def __str__(self):
        return str(self.organization)


class Contribution(models.Model):
    """A person's part in a document: author, recipient, translator, ..."""

    class Role(models.TextChoices):
        AUTHOR = "author", _("Author")
        RECIPIENT = "recipient", _("Recipient")
        COPIED_TO = "copied_to", _("Copied to")
        MENTIONED = "mentioned", _("Mentioned")
        OBTAINED_BY = "obtained_by", _("Obtained by")
        CONTRIBUTOR = "contributor", _("Contributed by")
        TRANSLATOR = "translator", _("Translator")

    # Credits are the roles that thank people for the record itself, in the order the credit
    # sentence names them: "Obtained for CWIHP by X and translated for CWIHP by Y."
    CREDIT_ROLES = [Role.OBTAINED_BY, Role.CONTRIBUTOR, Role.TRANSLATOR]
    CREDIT_VERBS = {
        Role.OBTAINED_BY: _("obtained"),
        Role.CONTRIBUTOR: _("contributed"),
        Role.TRANSLATOR: _("translated"),
    }

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("document")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    on_behalf_of = optional_term(
        "Organization",
        _("on behalf of"),
        related_name="contributions",
        help_text=_("For credits such as 'Obtained for CWIHP by …'."),
    )
    name_as_written = models.CharField(
        _("name as written"),
        max_length=200,
        blank=True,
        validators=[NoBidiControls("name as written")],
        help_text=_("The spelling this document uses, if it differs from the display name."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("person linked")
        verbose_name_plural = _("people linked")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "person", "role"],
                name="contribution_unique_person_role",
                violation_error_message=_("This person already has this role on this document."),
            )
        ]
        indexes = [
            # The person page counts a person's documents per role from this index alone: at
            # 1,000,000 documents the busiest person has 80,000 links, scattered over 40,000
            # table pages that the person_id index would make it read.
            models.Index(
                fields=["person", "role", "document"], name="contribution_person_role_doc"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class Citation(models.Model):
    """Where the original is kept: a repository and the reference as written."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="citations", verbose_name=_("document")
    )
    repository = models.ForeignKey(
        "Repository",
        on_delete=models.PROTECT,
        related_name="citations",
        verbose_name=_("repository"),
    )
    reference = models.CharField(
        _("reference as written"),
        max_length=300,
        blank=True,
        validators=[NoBidiControls("reference")],
        help_text=_(
            "Exactly as the source writes it, e.g. 'RGASPI, f. 558, op. 11, d. 317, "
            "ll. 0069-0072' or 'f. 558, op. 11'. Shown as written; one that does not begin with "
            "the repository is shown after it. Empty: the repository alone, reference to come. "
            "Credits ('Translated by …') are not part of it: they are printed from the people."
        ),
    )
    fond = models.CharField(_("fond"), max_length=50, blank=True, editable=False)
    opis = models.CharField(_("opis"), max_length=50, blank=True, editable=False)
    delo = models.CharField(_("delo"), max_length=50, blank=True, editable=False)
    folios = models.CharField(_("folios"), max_length=100, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("citation")

    def __str__(self):
        """The citation as pages, citation formats and the export show it (see `cited_as`)."""
        repository = self.repository
        names = (repository.name, *split_names(repository.other_names))
        return cited_as(self.reference, str(repository), names)

    def save(self, *args, **kwargs):
        parts = parse_reference(self.reference)
        self.fond, self.opis, self.delo, self.folios = astuple(parts)
        super().save(*args, **kwargs)
        self._stored_reference = self.reference

    @classmethod
    def from_db(cls, db, field_names, values):
        citation = super().from_db(db, field_names, values)
        # As stored, so that clean() judges only a reference the curator types, never one
        # kept from before (0015 left any credit it could not match to the document's people).
        citation._stored_reference = citation.__dict__.get("reference")
        return citation

    def clean(self):
        if self.reference == getattr(self, "_stored_reference", None):
            return
        citation, credits = split_credit(self.reference, Contribution.CREDIT_VERBS.values())
        if credits:
            credit = self.reference[len(citation) :].strip()
            raise ValidationError(
                {
                    "reference": _(
                        "The reference ends with a credit, “%(credit)s”. The page prints "
                        "credits from the people linked to the document, so it would appear "
                        "twice: end the reference before it, and link the people with their "
                        "credit role under “People linked”."
                    )
                    % {"credit": credit}
                }
            )

    # The columns of `row()`, for inserting citations in bulk.
    ROW = ("document_id", "repository_id", "reference", "order", "fond", "opis", "delo", "folios")

    @staticmethod
    def row(document_id, repository_id, reference, order, *, parse=parse_reference):
        """A citation as a row of ROW's columns, its reference's parts read as save() reads them.

        `parse` lets a bulk writer pass a cached parse_reference.
        """
        parts = parse(reference)
        return (document_id, repository_id, reference, order, *astuple(parts))


def join_names(names):
    """Join names as prose: 'A', 'A and B', 'A, B and C'."""
    names = [str(name) for name in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
