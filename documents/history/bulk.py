"""Versions for django-reversion written in bulk from plain rows, for imports and their undo.

The only code besides documents.history that reads django-reversion's internals.
"""

from datetime import date as date_type
from datetime import datetime as datetime_type
from decimal import Decimal
from functools import lru_cache

from documents.models import (
    Document,
)
from documents.models.bulk import insert_rows, with_ids


def record_versions(revision, document_ids):
    """Add the documents (and what their registration follows) to the import's revision, in bulk.

    The versions are what django-reversion itself stores (the JSON serializer's output for each
    record, `str()` of it as the label), built from plain rows: serializing model objects one by
    one cost nine tenths of a large import's time.
    """
    from reversion.models import Version

    plan = _version_plan()
    if plan is None:
        _record_versions_by_serializer(revision, document_ids)
        return
    columns = [
        "revision_id",
        "content_type_id",
        "object_id",
        "db",
        "format",
        "serialized_data",
        "object_repr",
    ]
    ids = list(document_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = []
        for model, link in plan:
            rows.extend(_version_rows(revision.pk, model, link, chunk))
        insert_rows(Version, columns, rows)


_VERSION_LABELS = {
    # model label -> (values its __str__ uses, __str__ of them); a link is given as the str()
    # of the record it links to, which _LINK_LABELS says how to read, and a value with choices
    # as its label (get_FOO_display()).
    "documents.Document": (("title",), lambda title: title),
    "documents.Contribution": (("person", "role"), lambda person, role: f"{person} ({role})"),
    "documents.Citation": (
        ("repository", "reference"),
        lambda repository, reference: f"{repository}, {reference}" if reference else repository,
    ),
    "documents.Funding": (("organization",), lambda organization: organization),
}
# The field each linked model's __str__ returns. A test compares every label with str(obj).
_LINK_LABELS = {
    "documents.Person": "name",
    "documents.Repository": "abbreviation",
    "documents.Organization": "name",
}


@lru_cache(maxsize=1)
def _version_plan():
    """[(model, its link to the document)] to version, or None where the slow way is needed."""
    import reversion
    from reversion.revisions import _get_options

    if not reversion.is_registered(Document):
        return None
    plan = [(Document, "pk")]
    for name in _get_options(Document).follow:
        relation = Document._meta.get_field(name)
        if not relation.one_to_many or not reversion.is_registered(relation.related_model):
            return None
        plan.append((relation.related_model, relation.field.attname))
    for model, _link in plan:
        options = _get_options(model)
        if options.format != "json" or options.use_natural_foreign_keys:
            return None
        if model is not Document and options.follow:
            return None
    return plan


def _version_rows(revision_id, model, link, document_ids):
    """Version rows of the records of `model` that belong to these documents."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.serializers.json import DjangoJSONEncoder
    from reversion.revisions import _get_options

    options = _get_options(model)
    meta = model._meta
    wanted = set(options.fields)
    fields = [f for f in meta.local_fields if f.serialize and f.name in wanted]
    many = [
        f
        for f in meta.local_many_to_many
        if f.serialize and f.name in wanted and f.remote_field.through._meta.auto_created
    ]
    label = _VERSION_LABELS.get(meta.label)
    shown_by = [meta.get_field(name) for name in label[0]] if label else []
    # No joins: SQLite would rather scan the whole people table than use the document index.
    queryset = with_ids(model._default_manager.order_by(), link, document_ids)
    records = list(
        queryset.values_list("pk", *(f.attname for f in fields), *(f.attname for f in shown_by))
    )
    if label is None:
        reprs = {obj.pk: str(obj) for obj in queryset}
    named = {}
    for index, f in enumerate(shown_by):
        if f.is_relation:
            column = 1 + len(fields) + index
            target = f.related_model
            named[index] = dict(
                with_ids(
                    target._default_manager.order_by(), "pk", {r[column] for r in records}
                ).values_list("pk", _LINK_LABELS[target._meta.label])
            )
        elif f.choices:
            # Translated once here, not once per record.
            named[index] = {value: str(text) for value, text in f.flatchoices}
    links = {f.name: _many_to_many_ids(f, [r[0] for r in records]) for f in many}
    content_type = ContentType.objects.get_for_model(model).pk
    name = str(meta)
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    width = len(fields)
    names = [f.name for f in fields]
    for record in records:
        pk = record[0]
        data = dict(zip(names, record[1 : 1 + width], strict=True))
        for f in fields:
            if type(data[f.name]) not in _PLAIN:
                data[f.name] = _serialized_value(f, data[f.name])
        for f in many:
            data[f.name] = links[f.name].get(pk, [])
        text = "[" + encoder.encode({"model": name, "pk": pk, "fields": data}) + "]"
        if label:
            shown = label[1](
                *(
                    named[i].get(v, v) if i in named else v
                    for i, v in enumerate(record[1 + width :])
                )
            )
        else:
            shown = reprs[pk]
        yield (revision_id, content_type, str(pk), "default", "json", text, str(shown)[:1000])


_PLAIN = {type(None), int, float, bool, str, date_type, datetime_type, Decimal}


def _serialized_value(model_field, value):
    """What Django's serializer writes for a value that is not a plain type (a file, a UUID...)."""
    from types import SimpleNamespace

    holder = SimpleNamespace(**{model_field.attname: value})
    value = model_field.value_from_object(holder)
    return value if type(value) in _PLAIN else model_field.value_to_string(holder)


def _many_to_many_ids(model_field, pks):
    """{pk: [related pks]} in the related model's ordering, as the serializer lists them."""
    through = model_field.remote_field.through
    source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
    found = {}
    rows = with_ids(through.objects.order_by(), f"{source}_id", pks)
    for pk, related in rows.values_list(f"{source}_id", f"{target}_id"):
        found.setdefault(pk, []).append(related)
    if found:
        # Ranked in one query over just the linked records: cheaper than a join per chunk.
        linked = {related for ids in found.values() for related in ids}
        ordered = with_ids(model_field.related_model._default_manager.all(), "pk", linked)
        rank = {
            related: index for index, related in enumerate(ordered.values_list("pk", flat=True))
        }
        for ids in found.values():
            ids.sort(key=rank.__getitem__)
    return found


def _record_versions_by_serializer(revision, document_ids):
    """Add the documents and what they follow to the revision with Django's serializer.

    The general way, one model object at a time; `record_versions` writes the same versions
    from plain rows and falls back to this for a registration it does not know.
    """
    import reversion
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers
    from reversion.models import Version
    from reversion.revisions import _follow_relations, _get_options

    options = _get_options(Document)
    prefetch = list(options.follow)
    # Each version's object_repr is str(obj); fetch what those strings name along with the rows.
    named_by = {"contributions": "contributions__person", "citations": "citations__repository"}
    prefetch += [named_by[name] for name in options.follow if name in named_by]
    m2m = [
        f.name
        for f in Document._meta.many_to_many
        if f.name in options.fields and f.remote_field.through._meta.auto_created
    ]
    versions = []
    for start in range(0, len(document_ids), 500):
        chunk = document_ids[start : start + 500]
        queryset = Document.objects.filter(pk__in=chunk).prefetch_related(*m2m, *prefetch)
        for document in queryset:
            objects, stack = [], [document]
            while stack:
                obj = stack.pop()
                if obj in objects or not reversion.is_registered(type(obj)):
                    continue
                objects.append(obj)
                stack.extend(_follow_relations(obj))
            for obj in objects:
                obj_options = _get_options(type(obj))
                versions.append(
                    Version(
                        revision=revision,
                        content_type=ContentType.objects.get_for_model(type(obj)),
                        object_id=str(getattr(obj, obj_options.object_id_field)),
                        db="default",
                        format=obj_options.format,
                        serialized_data=serializers.serialize(
                            obj_options.format,
                            (obj,),
                            fields=obj_options.fields,
                            use_natural_foreign_keys=obj_options.use_natural_foreign_keys,
                        ),
                        object_repr=str(obj)[:1000],
                    )
                )
        Version.objects.bulk_create(versions)
        versions = []
