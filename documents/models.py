"""Documents, the people linked to them, their archival sources, and the vocabularies they use."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from archive_site.cache import invalidate_public_pages
from documents import search
from documents.dates import DateParseError, format_edtf, parse_date, parse_edtf
from documents.names import name_key, sound_key
from documents.references import parse_reference
from documents.search import SearchField


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


def unique_slug(instance, text, *, max_length=200):
    """Slugify `text`, adding -2, -3, ... until no other row of the model uses it."""
    base = (slugify(text) or instance._meta.model_name)[:max_length].strip("-")
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    slug, n = base, 1
    while others.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
    return slug


# Vocabularies curators extend ------------------------------------------------------------------


class Term(models.Model):
    """A named entry of a vocabulary curators can extend from the admin."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)


class DocumentType(Term):
    class Meta(Term.Meta):
        verbose_name = _("document type")


class Classification(Term):
    rank = models.PositiveSmallIntegerField(
        _("rank"),
        default=0,
        help_text=_("Higher is more secret; lists show classifications from highest rank down."),
    )

    class Meta(Term.Meta):
        verbose_name = _("original classification")
        ordering = ["-rank", "name"]


class Subject(Term):
    class Meta(Term.Meta):
        verbose_name = _("subject")


class Place(Term):
    geonames_id = models.CharField(
        _("GeoNames ID"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^\d+$", _("A GeoNames ID is a number."))],
    )

    class Meta(Term.Meta):
        verbose_name = _("place")


class Language(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        help_text=_("ISO 639 code, e.g. 'ru' for Russian, 'fa' for Persian, 'az' for Azerbaijani."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")

    def __str__(self):
        return self.name


# Supporting authorities ------------------------------------------------------------------------


class Organization(models.Model):
    """A funder, programme or other body credited on documents (MacArthur Foundation, CWIHP)."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=50, blank=True, help_text=_("Used in credits, e.g. 'CWIHP'.")
    )
    url = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")

    def __str__(self):
        return self.name

    @property
    def short_name(self):
        return self.abbreviation or self.name


class RightsStatement(models.Model):
    title = models.CharField(_("title"), max_length=200, unique=True)
    text = models.TextField(_("notice"), help_text=_("Shown under every document it applies to."))
    contact_text = models.TextField(
        _("contact sentence"),
        blank=True,
        help_text=_("Shown after the notice; the contact email is appended to it."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    uri = models.URLField(
        _("standard URI"),
        blank=True,
        help_text=_("e.g. http://rightsstatements.org/vocab/InC-EDU/1.0/"),
    )
    is_default = models.BooleanField(
        _("default"),
        default=False,
        help_text=_("Applies to every document that names no rights statement of its own."),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("rights statement")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="rightsstatement_one_default",
                violation_error_message=_("Only one rights statement can be the default."),
            )
        ]

    def __str__(self):
        return self.title

    @classmethod
    def default(cls):
        return cls.objects.filter(is_default=True).first()


class Repository(models.Model):
    """An archive holding originals: an authority record cited by abbreviation."""

    abbreviation = models.CharField(_("abbreviation"), max_length=50, unique=True)
    name = models.CharField(_("full name"), max_length=300)
    place = models.CharField(_("place"), max_length=200, blank=True)
    url = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["abbreviation"]
        verbose_name = _("repository")
        verbose_name_plural = _("repositories")

    def __str__(self):
        return self.abbreviation

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        search.index_documents_citing(self.pk)


# People ----------------------------------------------------------------------------------------


class Person(models.Model):
    name = models.CharField(
        _("display name"), max_length=200, help_text=_("As shown publicly, e.g. 'M. D. Bagirov'.")
    )
    sort_name = models.CharField(
        _("sort name"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("Used for alphabetical lists, e.g. 'Bagirov, M. D.'. Defaults to the name."),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    birth_year = models.SmallIntegerField(_("year of birth"), null=True, blank=True)
    death_year = models.SmallIntegerField(_("year of death"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("A sentence or two on who this is."))
    wikidata_id = models.CharField(
        _("Wikidata ID"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q\d+$", _("A Wikidata ID looks like 'Q855'."))],
    )
    viaf_id = models.CharField(
        _("VIAF ID"),
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^\d+$", _("A VIAF ID is a number."))],
    )
    # Folded forms of the name for finding the same person under another spelling.
    name_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    sound_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("merge_person", "Can merge duplicate people")]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(death_year__isnull=True)
                | Q(birth_year__lte=F("death_year")),
                name="person_born_before_death",
                violation_error_message=_("The year of birth must not be after the year of death."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.sort_name:
            self.sort_name = self.name
        self.name_key, self.sound_key = name_key(self.name), sound_key(self.name)
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)
        search.index_documents_of_person(self.pk)
        invalidate_public_pages()

    def get_absolute_url(self):
        return reverse("people:detail", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        invalidate_public_pages()
        return super().delete(*args, **kwargs)

    @property
    def life_dates(self):
        if self.birth_year is None and self.death_year is None:
            return ""
        return f"{self.birth_year or '?'}–{self.death_year or ''}"


class PersonName(models.Model):
    """Another name for a person: a spelling, a transliteration, a code name, a typo in a source."""

    class Kind(models.TextChoices):
        VARIANT = "variant", _("Spelling variant")
        TRANSLITERATION = "transliteration", _("Transliteration")
        FULL = "full", _("Full name")
        CODE_NAME = "code_name", _("Code name or pseudonym")
        TITLE = "title", _("Title or form of address")
        MISSPELLING = "misspelling", _("Misspelling found in a source")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="variants", verbose_name=_("person")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.VARIANT)
    name_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    sound_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("variant name")
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="personname_unique_per_person")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key, self.sound_key = name_key(self.name), sound_key(self.name)
        super().save(*args, **kwargs)
        search.index_documents_of_person(self.person_id)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        search.index_documents_of_person(self.person_id)
        return result


class PersonRedirect(models.Model):
    """An address a person had before being merged into another, kept so old links still work."""

    old_slug = models.SlugField(_("old slug"), max_length=200, unique=True)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("person")
    )

    class Meta:
        verbose_name = _("person redirect")

    def __str__(self):
        return f"{self.old_slug} → {self.person}"


# Documents -------------------------------------------------------------------------------------


class RecordIdCounter(models.Model):
    """The last record ID handed out, so a deleted record's number is never given again."""

    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("record ID counter")

    def __str__(self):
        return str(self.last_value)


class PublicVersion(models.Model):
    """One row whose token changes whenever a record the public sees changes.

    Web processes keep an in-memory index of the published documents (`documents.facets`) and
    rebuild it when this token is not the one they built it from.
    """

    token = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("public version")

    def __str__(self):
        return self.token


@transaction.atomic
def next_record_id():
    """Reserve and return the next unused record ID."""
    counter, _created = RecordIdCounter.objects.select_for_update().get_or_create(pk=1)
    highest = Document.objects.aggregate(m=models.Max("record_id"))["m"] or 0
    counter.last_value = max(counter.last_value, highest) + 1
    counter.save(update_fields=["last_value"])
    return counter.last_value


def note_record_id_used(record_id):
    """Make sure a number a curator or an import chose is never handed out again."""
    counter, _created = RecordIdCounter.objects.get_or_create(pk=1)
    if record_id > counter.last_value:
        RecordIdCounter.objects.filter(pk=1, last_value__lt=record_id).update(last_value=record_id)


class DocumentQuerySet(PublishableQuerySet):
    def in_collection(self, collection):
        return self.filter(collections=collection)


class Document(models.Model):
    record_id = models.PositiveIntegerField(
        _("record ID"),
        unique=True,
        blank=True,
        help_text=_(
            "Stable public number for links and imports; assigned if left empty, never reused."
        ),
    )
    title = models.CharField(
        _("title"), max_length=500, help_text=_("Exactly as the source gives it, typos included.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)

    date_text = models.CharField(
        _("date as written"),
        max_length=100,
        blank=True,
        help_text=_("e.g. 'May 8, 1946', 'November 1945', 'circa 1946', '1945/1946' or 'undated'."),
    )
    date_edtf = models.CharField(
        _("normalized date (EDTF)"),
        max_length=60,
        blank=True,
        help_text=_("Filled in from the date as written when left empty. Empty means undated."),
    )
    date_start = models.DateField(_("earliest date"), null=True, blank=True, editable=False)
    date_end = models.DateField(_("latest date"), null=True, blank=True, editable=False)

    document_type = models.ForeignKey(
        DocumentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("document type"),
    )
    summary = models.TextField(_("summary"), blank=True)
    text = models.TextField(
        _("translation"),
        blank=True,
        help_text=_(
            "Line breaks and blank lines are kept; editorial brackets like [SIC] show as typed."
        ),
    )
    transcript = models.TextField(_("transcript in the original language"), blank=True)
    languages = models.ManyToManyField(
        Language, blank=True, related_name="documents", verbose_name=_("original languages")
    )
    classification = models.ForeignKey(
        Classification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("original classification"),
    )
    rights = models.ForeignKey(
        RightsStatement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("rights statement"),
        help_text=_("Leave empty to use the archive's default rights statement."),
    )
    funders = models.ManyToManyField(
        Organization, through="Funding", blank=True, related_name="funded_documents"
    )
    people = models.ManyToManyField(
        Person, through="Contribution", blank=True, related_name="documents"
    )
    subjects = models.ManyToManyField(Subject, blank=True, related_name="documents")
    places = models.ManyToManyField(Place, blank=True, related_name="documents")
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("related documents")
    )

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("Shown publicly only once published."),
    )
    first_published_at = models.DateTimeField(
        _("original uploaded date"),
        null=True,
        blank=True,
        help_text=_("Set the first time the record is published; never changed afterwards."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = [F("date_start").asc(nulls_last=True), "date_end", "title"]
        verbose_name = _("document")
        permissions = [
            ("publish_document", "Can publish, unpublish and withdraw documents"),
            ("revert_document", "Can revert documents to an earlier version"),
            ("import_document", "Can import documents from spreadsheets"),
            ("export_document", "Can export documents to spreadsheets"),
        ]
        indexes = [
            models.Index(fields=["date_start", "date_end"], name="document_date_range"),
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
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_start__isnull=True)
                | Q(date_end__isnull=True)
                | Q(date_start__lte=F("date_end")),
                name="document_dates_ordered",
                violation_error_message=_("The earliest date must not be after the latest date."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.normalize_date()
        if self.record_id is None:
            self.record_id = next_record_id()
        else:
            note_record_id_used(self.record_id)
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        if self.status == Status.PUBLISHED and self.first_published_at is None:
            self.first_published_at = timezone.now()
        super().save(*args, **kwargs)
        search.index_documents([self.pk])
        invalidate_public_pages()

    def get_absolute_url(self):
        return reverse("documents:detail", kwargs={"record_id": self.record_id})

    def delete(self, *args, **kwargs):
        pk = self.pk
        result = super().delete(*args, **kwargs)
        search.remove_documents([pk])
        invalidate_public_pages()
        return result

    def clean(self):
        try:
            self.normalize_date()
        except DateParseError as error:
            field = "date_edtf" if self.date_edtf else "date_text"
            raise ValidationError({field: str(error)}) from error

    def normalize_date(self):
        """Derive the EDTF value (from the date as written, if missing) and the date range."""
        if self.date_edtf:
            parsed = parse_edtf(self.date_edtf)
        else:
            parsed = parse_date(self.date_text)
        self.date_edtf = parsed.edtf
        self.date_start, self.date_end = parsed.start, parsed.end

    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def date_display(self):
        return self.date_text or format_edtf(self.date_edtf)

    @property
    def rights_statement(self):
        return self.rights or RightsStatement.default()

    def credit_line(self):
        """Render credits as the archive does: 'Obtained for CWIHP by X and translated by Y.'"""
        contributions = [c for c in self.contributions.all() if c.role in Contribution.CREDIT_ROLES]
        phrases = []
        for role in Contribution.CREDIT_ROLES:
            # People credited in one role for the same organization share one phrase.
            groups = {}
            for contribution in contributions:
                if contribution.role == role:
                    groups.setdefault(contribution.on_behalf_of, []).append(contribution.person)
            for organization, people in groups.items():
                for_whom = f" for {organization.short_name}" if organization else ""
                phrases.append(
                    f"{Contribution.CREDIT_VERBS[role]}{for_whom} by {join_names(people)}"
                )
        if not phrases:
            return ""
        sentence = join_names(phrases)
        return f"{sentence[0].upper()}{sentence[1:]}."

    def source_line(self):
        """The citations and credits as one sentence run, as the archive prints them."""
        parts = [f"{str(citation).rstrip('.')}." for citation in self.citations.all()]
        if credits := self.credit_line():
            parts.append(credits)
        return " ".join(parts)

    def credited_funders(self):
        return [f.organization for f in self.fundings.all() if f.credited]

    def all_funders(self):
        return [f.organization for f in self.fundings.all()]


class Funding(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="fundings")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="fundings", verbose_name=_("funder")
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
    on_behalf_of = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("on behalf of"),
        help_text=_("For credits such as 'Obtained for CWIHP by …'."),
    )
    name_as_written = models.CharField(
        _("name as written"),
        max_length=200,
        blank=True,
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

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        search.index_documents([self.document_id])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        search.index_documents([self.document_id])
        return result


class Citation(models.Model):
    """Where the original is kept: a repository and the reference as written."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="citations", verbose_name=_("document")
    )
    repository = models.ForeignKey(
        Repository, on_delete=models.PROTECT, related_name="citations", verbose_name=_("repository")
    )
    reference = models.CharField(
        _("reference as written"),
        max_length=300,
        blank=True,
        help_text=_("e.g. 'f. 558, op. 11, d. 317, ll. 0069-0072'."),
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
        return f"{self.repository}, {self.reference}" if self.reference else str(self.repository)

    def save(self, *args, **kwargs):
        parts = parse_reference(self.reference)
        self.fond, self.opis, self.delo, self.folios = (
            parts.fond,
            parts.opis,
            parts.delo,
            parts.folios,
        )
        super().save(*args, **kwargs)
        search.index_documents([self.document_id])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        search.index_documents([self.document_id])
        return result


def join_names(names):
    """Join names as prose: 'A', 'A and B', 'A, B and C'."""
    names = [str(name) for name in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# Scans and merges (the curators' workspace) ------------------------------------------------------


def scan_upload_to(scan, filename):
    """Name originals by their checksum: no curator's file name or path ends up in a public URL."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"scans/{scan.sha256[:2]}/{scan.sha256}.{extension}"


def scan_derivative_to(scan, filename):
    return f"scans/derivatives/{scan.sha256[:2]}/{filename}"


class Scan(models.Model):
    """An image or PDF of the original, with derivatives stripped of camera metadata."""

    class MediaType(models.TextChoices):
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"
        TIFF = "image/tiff", "TIFF"
        PDF = "application/pdf", "PDF"

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="scans", verbose_name=_("document")
    )
    file = models.FileField(
        _("file"),
        upload_to=scan_upload_to,
        max_length=200,
        help_text=_("JPEG, PNG, TIFF or PDF. The original is kept exactly as uploaded."),
    )
    caption = models.CharField(
        _("caption"), max_length=300, blank=True, help_text=_("e.g. 'Page 1 of the telegram'.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, db_index=True)
    media_type = models.CharField(_("type"), max_length=40, choices=MediaType, editable=False)
    byte_size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), default=1, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, editable=False)
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=scan_derivative_to, max_length=200, blank=True, editable=False
    )
    display_image = models.ImageField(
        _("display image"), upload_to=scan_derivative_to, max_length=200, blank=True, editable=False
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("scan")

    def __str__(self):
        return self.caption or f"{self.get_media_type_display()} scan {self.sha256[:12]}"

    @property
    def is_pdf(self):
        return self.media_type == self.MediaType.PDF


class PersonMerge(models.Model):
    """A merge of duplicate people, kept so it can be shown in the history and undone."""

    kept = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="merges", verbose_name=_("kept")
    )
    summary = models.CharField(_("summary"), max_length=500)
    merged_slugs = models.JSONField(_("addresses of the merged people"), default=list)
    before = models.OneToOneField(
        "reversion.Revision",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The people and links as they were before the merge."),
    )
    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.PROTECT, related_name="person_merge"
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("merge of people")
        verbose_name_plural = _("merges of people")

    def __str__(self):
        return self.summary


# Spreadsheet imports ---------------------------------------------------------------------------


class ImportJob(models.Model):
    """One spreadsheet import: who ran it, on which file, with what options, and what it did."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed: nothing written")
        UNDONE = "undone", _("Undone")
        PARTLY_UNDONE = "partly_undone", _("Undone except records edited since")

    user = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    encoding = models.CharField(_("encoding"), max_length=30, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    rows = models.PositiveIntegerField(_("rows"), default=0)
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
    errors = models.JSONField(
        _("errors"), default=list, blank=True, help_text=_("The first errors, as reported.")
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )
    undo_report = models.TextField(_("undo report"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"Import #{self.pk}: {self.file_name}"


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


class SearchEntry(models.Model):
    """A document's entry in the full-text index; written only by documents/search.py.

    The table is an FTS5 virtual table on SQLite and a tsvector table on PostgreSQL, created by
    the migration for the database in use, hence not managed by Django.
    """

    document = models.OneToOneField(
        Document,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_entry",
    )
    entry = SearchField(db_column="documents_search", editable=False)

    class Meta:
        managed = False
        db_table = "documents_search"
        verbose_name = _("search index entry")

    def __str__(self):
        return str(self.document_id)
