"""The publishing status every public record has, and the slug scheme records share."""

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


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
