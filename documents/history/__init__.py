"""Revision history: what each save records, how two versions differ, and reverting.

Every admin save, publication, merge and revert is one django-reversion revision holding the
record *and* the records it follows (a document's people, citations, funders and scans; a
person's variant names and old addresses; a collection's popular documents), so a revert or an
undone merge restores them together.
"""

import difflib
import hashlib
import re
from dataclasses import dataclass, field

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from reversion.models import Version

from documents import changes as archive_changes  # `changes` names diffs here

# Fields that change on every save or are derived for lookups: never worth showing in a diff.
HIDDEN_FIELDS = {"id", "updated_at", "created_at", "name_key", "sound_key", "thumbnail"}


def follows():
    """Registered models and the relations each one's versions carry along."""
    return {
        "documents.Document": ["contributions", "citations", "fundings", "scans"],
        "documents.Person": ["variants", "redirects"],
        "collections.Collection": ["featured_entries"],
        "documents.Contribution": [],
        "documents.Citation": [],
        "documents.Funding": [],
        "documents.Scan": [],
        "documents.PersonName": [],
        "documents.PersonRedirect": [],
        "collections.FeaturedDocument": [],
        "documents.Repository": [],
        "documents.Organization": [],
        "documents.RightsStatement": [],
        "documents.Language": [],
        "documents.DocumentType": [],
        "documents.Classification": [],
        "documents.Subject": [],
        "documents.Place": [],
    }


def register_models():
    for label, follow in follows().items():
        model = apps.get_model(label)
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)


def followed_relations(model):
    return follows().get(model._meta.label, [])


def followed_objects(obj):
    related = []
    for name in followed_relations(type(obj)):
        related.extend(getattr(obj, name).all())
    return related


def fingerprint(obj, *, lock=False):
    """A digest of a record and what it follows as stored now; it changes whenever anyone saves."""
    model = type(obj)
    manager = model._default_manager
    if lock:
        manager = manager.select_for_update()
    current = manager.filter(pk=obj.pk).first()
    if current is None:
        return "deleted"
    data = serializers.serialize("json", [current, *followed_objects(current)])
    return hashlib.sha256(data.encode()).hexdigest()


def versions_of(obj):
    """The saved versions of a record, newest first, with who saved them."""
    return Version.objects.get_for_object(obj).select_related("revision__user")


def latest_version(obj):
    return versions_of(obj).first()


def record_baselines(objects, *, comment="As it was before its first change in the admin."):
    """Keep the state of records that have no history yet (seeded or imported) before a change."""
    objects = list(objects)
    if not objects:
        return
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    known = set(
        Version.objects.filter(
            content_type=content_type, object_id__in=[str(obj.pk) for obj in objects]
        ).values_list("object_id", flat=True)
    )
    new = [obj for obj in objects if str(obj.pk) not in known]
    if not new:
        return
    with reversion.create_revision(atomic=False):
        reversion.set_comment(comment)
        for obj in new:
            reversion.add_to_revision(obj)


# Differences ------------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    inline: str = ""  # HTML marking deletions and insertions in long text


@dataclass
class RelatedChange:
    kind: str  # "added", "removed" or "changed"
    model_name: str
    label: str
    changes: list = field(default_factory=list)


@dataclass
class Diff:
    fields: list
    related: list

    def __bool__(self):
        return bool(self.fields or self.related)


def related_versions(version):
    """The versions of followed records (people linked, citations, ...) saved with `version`."""
    model = version._model
    found = []
    for name in followed_relations(model):
        relation = model._meta.get_field(name)
        content_type = ContentType.objects.get_for_model(relation.related_model)
        attname = relation.field.attname
        for candidate in version.revision.version_set.filter(content_type=content_type):
            if str(candidate.field_dict.get(attname)) == str(version.object_id):
                found.append(candidate)
    return found


def diff_versions(old, new):
    """What changed from version `old` (None for the first) to version `new`, field by field."""
    model = new._model
    fields = _field_changes(model, old.field_dict if old else {}, new.field_dict)
    old_related = {(v.content_type_id, v.object_id): v for v in related_versions(old or new)}
    if old is None:
        old_related = {}
    new_related = {(v.content_type_id, v.object_id): v for v in related_versions(new)}
    related = []
    for key, version in new_related.items():
        related_model = version._model
        name = str(related_model._meta.verbose_name)
        parent_fk = _parent_attname(model, related_model)
        if key not in old_related:
            changes = _field_changes(related_model, {}, version.field_dict, skip={parent_fk})
            related.append(RelatedChange("added", name, version.object_repr, changes))
            continue
        changes = _field_changes(
            related_model, old_related[key].field_dict, version.field_dict, skip={parent_fk}
        )
        if changes:
            related.append(RelatedChange("changed", name, version.object_repr, changes))
    for key, version in old_related.items():
        if key not in new_related:
            name = str(version._model._meta.verbose_name)
            related.append(RelatedChange("removed", name, version.object_repr))
    return Diff(fields, related)


def _parent_attname(parent_model, related_model):
    for name in followed_relations(parent_model):
        relation = parent_model._meta.get_field(name)
        if relation.related_model is related_model:
            return relation.field.attname
    return None


def _field_changes(model, old, new, *, skip=()):
    changes = []
    candidates = [*model._meta.concrete_fields] + [
        m2m for m2m in model._meta.many_to_many if m2m.remote_field.through._meta.auto_created
    ]
    for model_field in candidates:
        key = model_field.attname
        if key in HIDDEN_FIELDS or key in skip or key not in new and key not in old:
            continue
        before, after = old.get(key), new.get(key)
        if _normalized(before) == _normalized(after):
            continue
        old_text, new_text = _display(model_field, before), _display(model_field, after)
        change = FieldChange(str(model_field.verbose_name), old_text, new_text)
        if isinstance(before, str) and isinstance(after, str) and _is_long(before, after):
            change.inline = inline_diff(before, after)
        changes.append(change)
    return changes


def _normalized(value):
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    if value in (None, ""):
        return ""
    return str(value)


def _is_long(*texts):
    return any(len(text) > 120 or "\n" in text for text in texts)


def _display(model_field, value):
    if value in (None, "", []):
        return ""
    if model_field.many_to_many:
        related = model_field.related_model._default_manager.filter(pk__in=value)
        return ", ".join(sorted(str(obj) for obj in related))
    if isinstance(model_field, models.ForeignKey):
        target = model_field.related_model._default_manager.filter(pk=value).first()
        if target is None:
            return f"{model_field.related_model._meta.verbose_name} #{value} (no longer exists)"
        return str(target)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return str(value)


_TOKENS = re.compile(r"\s+|[^\s]+")


def inline_diff(old, new):
    """HTML of `new` with words removed since `old` struck through and added words marked."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[a1:a2])))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", "".join(a[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[b1:b2])))
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


# Reverting --------------------------------------------------------------------------------------


class RevertRefused(Exception):
    """A version that cannot be restored as it stands; str() says why in a sentence."""


def missing_links(versions):
    """Sentences naming records a version links to that no longer exist."""
    problems = []
    for version in versions:
        for model_field in version._model._meta.concrete_fields:
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
@archive_changes.batch()
def revert_to(version, *, by):
    """Restore a record and what it follows to `version`, recorded as a new revision."""
    model = version._model
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
