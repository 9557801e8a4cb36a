"""The publishing status every public record has, the slug scheme every record shares, and the
field shapes the models repeat (an optional term, other names, a staff member, an ordered pair
of bounds).

The scheme: a record's slug is its text slugified (the model's name when nothing is left), cut to
the field's length; when another row has that slug, the record gets the first free one of
`-2`, `-3`, ... (the text cut shorter so the number fits). `unique_slug` gives one record its
slug in save(); `Slugs` gives many new records theirs in a few queries per batch (the import and
the archive generator). Both are this one scheme: `Slugs` is the only code that makes a slug.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


def optional_term(to, verbose_name, *, related_name="documents", **options):
    """A ForeignKey a record may leave empty, to a term that cannot be deleted while in use."""
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def other_names():
    """Other names a vocabulary entry is found by: spellings, abbreviations, translations.

    One name per line. The import links a value written so to the entry (a reconciliation
    answer is remembered here, see documents.spreadsheets.questions) and search finds by them.
    """
    return models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "One per line: other spellings, abbreviations or translations this entry is found "
            "by. A spreadsheet naming it so is linked to it."
        ),
    )


def split_names(text):
    """The names an `other_names` text holds, in order, each once."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def staff_member(verbose_name=None, *, blank=True):
    """Who did something: the record outlives the account (SET_NULL); no reverse accessor."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
        verbose_name=verbose_name,
    )


def bounds_in_order(lower, upper, *, name, message):
    """A check that `lower` is not after `upper` where both are given (years, dates)."""
    return models.CheckConstraint(
        condition=Q(**{f"{lower}__isnull": True})
        | Q(**{f"{upper}__isnull": True})
        | Q(**{f"{lower}__lte": F(upper)}),
        name=name,
        violation_error_message=message,
    )


def unique_slug(instance, text, *, max_length=None):
    """The slug `instance` gets from `text`: no other row of its model has it."""
    slugs = Slugs(type(instance), max_length=max_length, exclude_pk=instance.pk)
    return slugs.make([text])[0]


class Slugs:
    """Unique slugs for new rows of one model, batch after batch.

    Each batch costs one query for the plain slugs and, only where some are taken, one query
    per window of numbered ones. The numbers a base has used are remembered across batches, so
    the thousandth "Letter" does not try the 999 before it again. Insert a batch's rows before
    asking for the next batch's slugs: taken slugs are found in the database.
    """

    # Slugs asked for in one query, at most (SQLite allows 32,766 parameters).
    CHUNK = 5000

    def __init__(self, model, *, max_length=None, exclude_pk=None):
        self.model = model
        self.max_length = max_length or model._meta.get_field("slug").max_length
        self.others = model._default_manager.all()
        if exclude_pk is not None:
            self.others = self.others.exclude(pk=exclude_pk)
        self.next_number = {}  # base -> the first number not known to be taken

    def base(self, text):
        return (slugify(text) or self.model._meta.model_name)[: self.max_length].strip("-")

    def numbered(self, base, number):
        suffix = f"-{number}"
        return f"{base[: self.max_length - len(suffix)]}{suffix}"

    def assign(self, objects, texts):
        """Set each object's `slug` from its text."""
        objects = list(objects)
        for obj, slug in zip(objects, self.make(texts), strict=True):
            obj.slug = slug

    def make(self, texts):
        """One unique slug per text, in order, none taken and no two alike."""
        bases = [self.base(text) for text in texts]
        slugs = [None] * len(bases)
        taken = self._taken(set(bases))
        used = set()
        waiting = {}  # base -> positions still without a slug
        for position, base in enumerate(bases):
            if base in taken or base in used:
                waiting.setdefault(base, []).append(position)
            else:
                slugs[position] = base
                used.add(base)
        span = 8
        while waiting:
            tries = {}
            for base, positions in waiting.items():
                start = self.next_number.get(base, 2)
                tries[base] = range(start, start + max(span, 2 * len(positions)))
            taken = self._taken(
                {self.numbered(b, n) for b, numbers in tries.items() for n in numbers}
            )
            for base, numbers in tries.items():
                positions = waiting[base]
                for number in numbers:
                    if not positions:
                        break
                    slug = self.numbered(base, number)
                    if slug in taken or slug in used:
                        continue
                    slugs[positions.pop(0)] = slug
                    used.add(slug)
                    self.next_number[base] = number + 1
                if positions:
                    self.next_number[base] = numbers.stop
                else:
                    del waiting[base]
            span *= 4
        return slugs

    def _taken(self, slugs):
        slugs = list(slugs)
        taken = set()
        for start in range(0, len(slugs), self.CHUNK):
            chunk = slugs[start : start + self.CHUNK]
            taken.update(self.others.filter(slug__in=chunk).values_list("slug", flat=True))
        return taken
