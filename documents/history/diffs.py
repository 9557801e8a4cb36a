"""How two versions of a record differ: field by field, and in the records it follows.

The admin's history pages show these differences; `documents.workflows.reverting` restores a
version. Reads versions only (through `documents.history`); imports Django and nothing else of
the app.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from documents.history import followed_relations, model_of, related_versions

# Fields that change on every save or are derived for lookups: never worth showing in a diff.
HIDDEN_FIELDS = {"id", "updated_at", "created_at", "name_key", "sound_key", "thumbnail"}


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


def diff_versions(old, new):
    """What changed from version `old` (None for the first) to version `new`, field by field."""
    model = model_of(new)
    fields = _field_changes(model, old.field_dict if old else {}, new.field_dict)
    old_related = (
        {(v.content_type_id, v.object_id): v for v in related_versions(old)} if old else {}
    )
    new_related = {(v.content_type_id, v.object_id): v for v in related_versions(new)}
    related = []
    for key, version in new_related.items():
        related_model = model_of(version)
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
            name = str(model_of(version)._meta.verbose_name)
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
        if isinstance(before, str) and isinstance(after, str) and is_long_text(before, after):
            change.inline = inline_diff(before, after)
        changes.append(change)
    return changes


def _normalized(value):
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    if value in (None, ""):
        return ""
    return str(value)


def is_long_text(*texts):
    """Whether a change of these texts is shown word by word rather than as two values."""
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


def inline_diff(old, new, *, context=None):
    """HTML of `new` with words removed since `old` struck through and added words marked.

    With `context` (a number of words), an unchanged stretch longer than twice that keeps only
    that many words on each side of it and says how many it leaves out, so that one word
    changed near the end of a long translation is seen at once."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    parts = []
    for index, (op, a1, a2, b1, b2) in enumerate(opcodes):
        if op == "equal":
            parts.append(_unchanged(a[a1:a2], context, index == 0, index == len(opcodes) - 1))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", "".join(a[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[b1:b2])))
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


def _unchanged(tokens, context, first, last):
    """An unchanged stretch, escaped; collapsed to `context` words each side when long."""
    if context is None:
        return escape("".join(tokens))
    # Tokens alternate between words and white space: a word is about two tokens.
    keep = 2 * context
    head = [] if first else tokens[:keep]
    tail = [] if last else tokens[-keep:] if keep else []
    left_out = len(tokens) - len(head) - len(tail)
    words = sum(1 for token in tokens[len(head) : len(tokens) - len(tail)] if not token.isspace())
    if left_out <= 0 or words < 3:
        return escape("".join(tokens))
    gap = format_html(
        '<span class="diff-gap"> [… {} unchanged word{} …] </span>',
        f"{words:,}",
        "" if words == 1 else "s",
    )
    return format_html("{}{}{}", "".join(head), gap, "".join(tail))
