"""People, their other names, the addresses they had before a merge, merges, and the pairs of
people a curator has said are not the same person."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.models.base import NoBidiControls, bounds_in_order, staff_member, unique_slug
from documents.parsing.names import name_key, sound_key


class Person(models.Model):
    name = models.CharField(
        _("display name"),
        max_length=200,
        validators=[NoBidiControls("name")],
        help_text=_("As shown publicly, e.g. 'M. D. Bagirov'."),
    )
    sort_name = models.CharField(
        _("sort name"),
        max_length=200,
        blank=True,
        db_index=True,
        validators=[NoBidiControls("sort name")],
        help_text=_("Used for alphabetical lists, e.g. 'Bagirov, M. D.'. Defaults to the name."),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    birth_year = models.SmallIntegerField(_("year of birth"), null=True, blank=True)
    death_year = models.SmallIntegerField(_("year of death"), null=True, blank=True)
    note = models.TextField(
        _("note"),
        blank=True,
        validators=[NoBidiControls("note", multiline=True)],
        help_text=_("A sentence or two on who this is."),
    )
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
            bounds_in_order(
                "birth_year",
                "death_year",
                name="person_born_before_death",
                message=_("The year of birth must not be after the year of death."),
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

    def get_absolute_url(self):
        return reverse("people:detail", kwargs={"slug": self.slug})

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
    name = models.CharField(_("name"), max_length=200, validators=[NoBidiControls("name")])
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

    def may_be_undone(self):
        """Whether the merge that made this address a redirect can still be undone.

        Then the redirect is temporary (302): a browser that remembered a permanent one would
        go on to the kept person after the undo brought the merged person back.
        """
        merges = PersonMerge.objects.filter(kept=self.person_id, undone_at=None)
        return any(
            self.old_slug in slugs for slugs in merges.values_list("merged_slugs", flat=True)
        )


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
    merged_by = staff_member(blank=False)
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = staff_member()

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("merge of people")
        verbose_name_plural = _("merges of people")

    def __str__(self):
        return self.summary


class DistinctPeople(models.Model):
    """Two people a curator has said are not the same person, though their names are alike.

    The report of possible duplicate people (documents.authorities.duplicate_people) leaves the
    pair out from then on. `first` is the one with the lower id.
    """

    first = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    second = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("other person")
    )
    decided_by = staff_member(_("decided by"))
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("people who are not the same person")
        verbose_name_plural = _("people who are not the same person")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinctpeople_unique_pair"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="distinctpeople_first_below_second"
            ),
        ]

    def __str__(self):
        return f"{self.first} is not {self.second}"
