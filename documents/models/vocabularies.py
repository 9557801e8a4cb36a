"""Vocabularies curators extend, and the authorities documents cite: funders, rights, archives."""

from urllib.parse import urlsplit

from django import forms
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.models.base import other_names, unique_slug

# Addresses the public pages turn into links: a javascript:, data: or other address would run or
# show something in the visitor's browser instead of leading to a web page.
LINK_SCHEMES = ("http", "https")
web_address = URLValidator(
    schemes=LINK_SCHEMES,
    message=_(
        "Enter a web address that starts with http:// or https://, "
        "e.g. http://rightsstatements.org/vocab/InC-EDU/1.0/."
    ),
)


def linkable(address):
    """`address` if it is safe to render as a link (http or https, with a host), else ""."""
    parts = urlsplit(address or "")
    return address if parts.scheme.lower() in LINK_SCHEMES and parts.netloc else ""


class WebAddressFormField(forms.URLField):
    default_validators = [web_address]
    default_error_messages = {"invalid": web_address.message}


class WebAddressField(models.URLField):
    """A URL that may be shown as a link: http and https only."""

    default_validators = [web_address]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebAddressFormField, **kwargs})


class Term(models.Model):
    """A named entry of a vocabulary curators can extend from the admin."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    other_names = other_names()

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
    other_names = other_names()

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")

    def __str__(self):
        return self.name


class Organization(models.Model):
    """A funder, programme or other body credited on documents (MacArthur Foundation, CWIHP)."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_(
            "Names the funder in the public lists' addresses; made from the name if empty."
        ),
    )
    abbreviation = models.CharField(
        _("abbreviation"), max_length=50, blank=True, help_text=_("Used in credits, e.g. 'CWIHP'.")
    )
    url = models.URLField(_("website"), blank=True)
    other_names = other_names()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

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
    uri = WebAddressField(
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

    @property
    def link_uri(self):
        """The URI as a link may use it: empty if it is not http or https (written before the
        admin checked, or by code that skipped validation)."""
        return linkable(self.uri)


class Repository(models.Model):
    """An archive holding originals: an authority record cited by abbreviation."""

    abbreviation = models.CharField(_("abbreviation"), max_length=50, unique=True)
    name = models.CharField(_("full name"), max_length=300)
    place = models.CharField(_("place"), max_length=200, blank=True)
    url = models.URLField(_("website"), blank=True)
    other_names = other_names()

    class Meta:
        ordering = ["abbreviation"]
        verbose_name = _("repository")
        verbose_name_plural = _("repositories")

    def __str__(self):
        return self.abbreviation
