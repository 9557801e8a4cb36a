"""Document versions written in bulk from plain rows, for an import and its undo.

A copy kept for speed. `reversion.create_revision()` with `reversion.add_to_revision(document)`
serializes each record and each record it follows (contributions, citations, fundings, scans)
as a model object. At 10,000 imported rows that is 70,000 versions: 2.5 s of CPU here against
58 s through reversion, so an import of 8 s would take about 63 s (`scripts/measure_history.py`
measures it). This module writes the same rows from `values_list()` tuples, one INSERT a chunk.

What it copies from django-reversion (6.x), and so must keep in step with:
- `_add_to_revision`: one Version per document and per record its registration follows, each
  with the content type, the object id as text, the database the record is written to, the
  registered format ("json"), Django's JSON serializer's output restricted to the registered
  fields (many-to-many ids in the related model's ordering) and `str()` of the record as its
  `object_repr` (`_VERSION_LABELS` rebuilds the common `__str__`s from plain values).
- `_save_revision`: the revision row, then its versions, and the `pre_revision_commit` and
  `post_revision_commit` signals (sender `create_revision`) once per revision with its
  versions. The revision row is saved first here, because an import writes its versions batch
  by batch as it goes and they must point at it, so both signals are sent by
  `finish_revision`, once every version is written; a change a `pre_revision_commit` receiver
  makes to the revision is saved, as it would be.

It reproduces only the registration `documents.history` makes (followed one-to-many relations
whose own versions follow nothing, JSON, no natural keys, no duplicate skipping): any other
stops the site at start-up with a sentence saying why. `tests/history/test_bulk_versions.py`
proves the two agree: for the same documents, the rows and the signals equal those of
`reversion.create_revision()`.

Imports django-reversion (its internals included), Django and `documents.models`.
"""

from datetime import date as date_type
from datetime import datetime as datetime_type
from decimal import Decimal
from types import SimpleNamespace

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router
from django.utils import timezone
from reversion.models import Revision, Version
from reversion.revisions import _get_options, create_revision
from reversion.signals import post_revision_commit, pre_revision_commit

from documents.models import Document
from documents.models.bulk import insert_rows, with_ids
from documents.parsing.references import cited_as

_COLUMNS = [
    "revision_id",
    "content_type_id",
    "object_id",
    "db",
    "format",
    "serialized_data",
    "object_repr",
]
_CHUNK = 500
# The comment of the revision keeping records that had no history before their first change.
BASELINE_COMMENT = "As it was before its first change in the admin."


def start_revision(*, user, comment, date_created=None):
    """The revision an import's versions go into; None where documents have no history."""
    if not reversion.is_registered(Document):
        return None
    return Revision.objects.create(
        date_created=date_created or timezone.now(), user=user, comment=comment
    )


def record_versions(revision, document_ids):
    """Add the documents, and what their registration follows, to `revision` as they are now.

    Each document is added once to a revision (an import names each record once).
    """
    plan = version_plan()
    ids = list(document_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = []
        for model, link in plan:
            rows.extend(_version_rows(revision.pk, model, link, chunk))
        insert_rows(Version, _COLUMNS, rows)


def finish_revision(revision):
    """Send the signals django-reversion sends for a revision, now that its versions are written."""
    if not (
        pre_revision_commit.has_listeners(create_revision)
        or post_revision_commit.has_listeners(create_revision)
    ):
        return
    versions = list(revision.version_set.order_by("pk"))
    pre_revision_commit.send(sender=create_revision, revision=revision, versions=versions)
    revision.save()
    post_revision_commit.send(sender=create_revision, revision=revision, versions=versions)


def write_revision(document_ids, *, user, comment):
    """One revision holding the documents as they are now, written in bulk; None if none."""
    document_ids = list(document_ids)
    revision = start_revision(user=user, comment=comment) if document_ids else None
    if revision is not None:
        record_versions(revision, document_ids)
        finish_revision(revision)
    return revision


def write_baselines(document_ids, *, comment=BASELINE_COMMENT):
    """Keep the documents that have no history yet (seeded, generated) as they are now, in one
    revision, before a bulk change: so their history can go back to before it. None if all
    have one."""
    ids = list(document_ids)
    if not ids or not reversion.is_registered(Document):
        return None
    content_type = ContentType.objects.get_for_model(Document)
    known = set()
    for start in range(0, len(ids), _CHUNK):
        known |= set(
            Version.objects.filter(
                content_type=content_type,
                object_id__in=[str(pk) for pk in ids[start : start + _CHUNK]],
            ).values_list("object_id", flat=True)
        )
    return write_revision([pk for pk in ids if str(pk) not in known], user=None, comment=comment)


def version_plan():
    """[(model, its link to the document)] to version, from the registration.

    Raises ImproperlyConfigured for a registration this module does not reproduce.
    """
    problem = "documents.history.bulk cannot write the versions an import leaves: {}"
    plan = [(Document, "pk")]
    for name in _get_options(Document).follow:
        relation = Document._meta.get_field(name)
        if not relation.one_to_many:
            raise ImproperlyConfigured(
                problem.format(f"the document's versions follow “{name}”, not a list of records.")
            )
        plan.append((relation.related_model, relation.field.attname))
    for model, _link in plan:
        if not reversion.is_registered(model):
            raise ImproperlyConfigured(
                problem.format(f"{model._meta.label} is followed but not registered.")
            )
        options = _get_options(model)
        label = model._meta.label
        if options.format != "json" or options.use_natural_foreign_keys:
            raise ImproperlyConfigured(
                problem.format(f"{label} is registered with a format other than plain JSON.")
            )
        if options.ignore_duplicates or options.object_id_field != model._meta.pk.attname:
            raise ImproperlyConfigured(
                problem.format(f"{label} is registered to skip duplicates or with another id.")
            )
        if model is not Document and options.follow:
            raise ImproperlyConfigured(
                problem.format(f"{label}'s versions follow other records in turn.")
            )
    return plan


_VERSION_LABELS = {
    # model label -> (values its __str__ uses, __str__ of them); a link is given as the str()
    # of the record it links to, which _LINK_LABELS says how to read, and a value with choices
    # as its label (get_FOO_display()). Other models are labelled by str() of the object.
    "documents.Document": (("title",), lambda title: title),
    "documents.Contribution": (("person", "role"), lambda person, role: f"{person} ({role})"),
    "documents.Citation": (
        ("repository", "reference"),
        # Citation.__str__'s rule; it also knows the repository's full name, which a label
        # of a reference beginning with that name would need.
        lambda repository, reference: cited_as(reference, repository),
    ),
    "documents.Funding": (("organization",), lambda organization: organization),
    # DocumentText.__str__'s rule.
    "documents.DocumentText": (("kind", "language"), lambda kind, language: f"{kind} ({language})"),
}
# The field each linked model's __str__ returns.
_LINK_LABELS = {
    "documents.Person": "name",
    "documents.Repository": "abbreviation",
    "documents.Organization": "name",
    "documents.Language": "name",
}


def _version_rows(revision_id, model, link, document_ids):
    """Version rows of the records of `model` that belong to these documents."""
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
    db = router.db_for_write(model)
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
        yield (revision_id, content_type, str(pk), db, "json", text, str(shown))


_PLAIN = {type(None), int, float, bool, str, date_type, datetime_type, Decimal}


def _serialized_value(model_field, value):
    """What Django's serializer writes for a value that is not a plain type (a file, a UUID...)."""
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
