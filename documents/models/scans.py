"""Scans of the originals: images and PDFs with their derivatives."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.models.base import NoBidiControls, Status
from documents.models.records import Document


def scan_upload_to(scan, filename):
    """Name originals by their checksum: no curator's file name or path ends up in a public URL."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"scans/{scan.sha256[:2]}/{scan.sha256}.{extension}"


def scan_derivative_to(scan, filename):
    """Derivatives are named by their own checksum, so that their public address does not give
    away the original's (which keeps the camera's or author's metadata)."""
    return f"scans/derivatives/{filename[:2]}/{filename}"


def iiif_file_path(key, name):
    """Where a file of a IIIF image is kept: under its key, the checksum of its full-size JPEG
    (so, like the other derivatives, its address gives nothing of the original away); `name` is
    the rest of its Image API address, e.g. `full/max/0/default.jpg`."""
    return f"scans/derivatives/iiif/{key[:2]}/{key}/{name}"


def public_scan(prefix=""):
    """The rule for a scan a visitor may see, from a model `prefix` away ("scan__" from an
    image): derivatives made, and a PDF only as its metadata-free copy."""
    ready = Q(**{f"{prefix}processing": Scan.Processing.READY})
    private_pdf = Q(**{f"{prefix}media_type": Scan.MediaType.PDF, f"{prefix}public_file": ""})
    return ready & ~private_pdf


class ScanQuerySet(models.QuerySet):
    def public(self):
        """Scans a visitor may see (`public_scan`)."""
        return self.filter(public_scan())


class Scan(models.Model):
    """An image or PDF of the original, with derivatives stripped of camera metadata.

    The derivatives are made by the worker after the upload (documents/tasks/scans.py); until
    then the scan is `pending`, and if they cannot be made it is `failed` with the reason.
    """

    class Processing(models.TextChoices):
        PENDING = "pending", _("Waiting for the worker to make its thumbnail")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be processed")

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
        _("caption"),
        max_length=300,
        blank=True,
        validators=[NoBidiControls("caption")],
        help_text=_("e.g. 'Page 1 of the telegram'."),
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
    public_file = models.FileField(
        _("public copy"),
        upload_to=scan_derivative_to,
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("For a PDF: the file the public downloads, without its metadata."),
    )
    processing = models.CharField(
        _("processing"),
        max_length=10,
        choices=Processing,
        default=Processing.READY,
        editable=False,
        help_text=_("Whether the thumbnail and display image have been made."),
    )
    processing_error = models.TextField(
        _("why it could not be processed"), blank=True, editable=False
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ScanQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("scan")

    def __str__(self):
        return self.caption or f"{self.get_media_type_display()} scan {self.sha256[:12]}"

    @property
    def is_pdf(self):
        return self.media_type == self.MediaType.PDF

    def public_url(self):
        """What a visitor's link opens: the display image, or the PDF without its metadata."""
        if self.processing != self.Processing.READY:
            return ""
        if self.is_pdf:
            return self.public_file.url if self.public_file else ""
        return self.display_image.url if self.display_image else ""

    def processing_status(self):
        """The state of its derivatives as a sentence for curators."""
        if self.processing == self.Processing.FAILED:
            return f"Could not be processed: {self.processing_error}"
        return self.get_processing_display()


class ScanImageQuerySet(models.QuerySet):
    def public(self):
        """Images of public scans of published documents."""
        return self.filter(public_scan("scan__"), scan__document__status=Status.PUBLISHED)


class ScanImage(models.Model):
    """One page of a scan as a IIIF Image API 3.0 level-0 service: static tiles and sizes.

    Made with the other derivatives (documents/scans/derivatives.py): one for an image, one for
    every page of a PDF. Its files are in the default storage at `iiif_file_path(key, ...)`; the
    fields say what info.json lists, so it is written from these alone.
    """

    scan = models.ForeignKey(
        Scan, on_delete=models.CASCADE, related_name="images", verbose_name=_("scan")
    )
    page = models.PositiveIntegerField(_("page"), help_text=_("1 for an image; a PDF's page."))
    key = models.CharField(_("key"), max_length=64, db_index=True)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    tile_size = models.PositiveIntegerField(_("tile size"))
    scale_factors = models.JSONField(_("scale factors"), default=list)
    sizes = models.JSONField(_("sizes"), default=list, help_text=_("[[width, height], ...]"))

    objects = ScanImageQuerySet.as_manager()

    class Meta:
        ordering = ["scan", "page"]
        verbose_name = _("scan image")
        constraints = [
            models.UniqueConstraint(fields=["scan", "page"], name="scanimage_one_per_page")
        ]

    def __str__(self):
        return f"{self.scan}, page {self.page}"
