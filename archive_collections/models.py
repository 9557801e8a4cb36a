"""Curated collections of documents."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.models import (
    Document,
    NoBidiControls,
    PublishableQuerySet,
    Status,
    unique_slug,
)
from documents.models.base import other_names


class Collection(models.Model):
    title = models.CharField(_("title"), max_length=300, validators=[NoBidiControls("title")])
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    description = models.TextField(
        _("description"), blank=True, validators=[NoBidiControls("description", multiline=True)]
    )
    other_names = other_names()
    image = models.ImageField(_("image"), upload_to="collections/", blank=True)
    image_caption = models.CharField(
        _("image caption"),
        max_length=500,
        blank=True,
        validators=[NoBidiControls("image caption")],
        help_text=_("e.g. 'Stalin, Mohammad Reza Shah, and Molotov at Tehran Conference, 1943'."),
    )
    image_credit = models.CharField(
        _("image credit"), max_length=300, blank=True, validators=[NoBidiControls("image credit")]
    )
    documents = models.ManyToManyField(
        Document, blank=True, related_name="collections", verbose_name=_("documents")
    )
    featured_documents = models.ManyToManyField(
        Document,
        through="FeaturedDocument",
        blank=True,
        related_name="featured_in",
        verbose_name=_("popular documents"),
    )
    related = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        verbose_name=_("also see"),
        help_text=_("Other collections to point readers to."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    withdrawal_reason = models.TextField(
        _("public reason for withdrawal"),
        blank=True,
        default="",
        # Rows written in bulk (an import, the generator) name only their columns.
        db_default="",
        validators=[NoBidiControls("public reason for withdrawal", multiline=True)],
        help_text=_(
            "Public: shown on the collection's page once it is withdrawn, e.g. 'Merged into "
            "the collection Iran in the Cold War.' Leave empty to give no reason."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("collection")
        permissions = [("publish_collection", "Can publish, unpublish and withdraw collections")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("collections:detail", kwargs={"slug": self.slug})

    def is_published(self):
        return self.status == Status.PUBLISHED


class FeaturedDocument(models.Model):
    """A document a collection puts forward as popular, in the curator's order."""

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="featured_entries"
    )
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="featured_entries"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("popular document")
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "document"], name="featureddocument_unique_per_collection"
            )
        ]

    def __str__(self):
        return str(self.document)
