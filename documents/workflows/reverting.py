"""Reverting a record, and what it follows, to one of its saved versions.

A workflow like publishing and merging: it validates (a version that links to a deleted record
is refused), writes, and leaves a revision in the history. Reads versions through
`documents.history`; what the restored rows change reaches every index through
`documents.changes` (reversion saves them raw, which its receivers see).
"""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from documents import changes
from documents.history import followed_objects, model_of, related_versions


class RevertRefused(Exception):
    """A version that cannot be restored as it stands; str() says why in a sentence."""


def missing_links(versions):
    """Sentences naming records a version links to that no longer exist."""
    problems = []
    for version in versions:
        for model_field in model_of(version)._meta.concrete_fields:
            if not isinstance(model_field, models.ForeignKey):
                continue
            value = version.field_dict.get(model_field.attname)
            if value is None:
                continue
            if not model_field.related_model._default_manager.filter(pk=value).exists():
                problems.append(
                    f"“{version.object_repr}” links to "
                    f"{model_field.related_model._meta.verbose_name} #{value}, which no longer "
                    "exists (it was deleted or merged into another)."
                )
    return problems


@transaction.atomic
@changes.batch()
def revert_to(version, *, by):
    """Restore a record and what it follows to `version`, recorded as a new revision by `by`."""
    model = model_of(version)
    obj = model._default_manager.select_for_update().get(pk=version.object_id)
    versions = [version, *related_versions(version)]
    if problems := missing_links(versions):
        raise RevertRefused(" ".join(problems))
    keep = {(v.content_type_id, str(v.object_id)) for v in versions}
    for related in followed_objects(obj):
        content_type = ContentType.objects.get_for_model(related)
        if (content_type.pk, str(related.pk)) not in keep:
            related.delete()
    for each in versions:
        each.revert()
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        model._default_manager.filter(pk=obj.pk).update(updated_at=timezone.now())
    obj.refresh_from_db()
    when = date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
    who = version.revision.user or "an unknown user"
    with reversion.create_revision(atomic=False):
        reversion.set_user(by)
        reversion.set_comment(f"Reverted to the version of {when} by {who}.")
        reversion.add_to_revision(obj)
    return obj
