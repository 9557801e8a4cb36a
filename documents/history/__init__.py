"""Revision history: what each save records and the versions a record has.

Every admin save, publication, merge and revert is one django-reversion revision holding the
record *and* the records it follows (a document's people, citations, funders, scans and further
texts; a person's variant names and old addresses; a collection's popular documents), so a
revert or an undone merge restores them together.

This package is the only code that reads django-reversion's internals: here the registration
and the small interface the admin and the workflows use; `diffs` says how two versions differ;
`bulk` writes an import's versions from plain rows. It imports django-reversion, Django and
`documents.models`; it imports no view, admin, search or workflow module (reverting a
version is a workflow: `documents.workflows.reverting`).
"""

import hashlib
import json
from dataclasses import dataclass

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Cast
from reversion.models import Revision, Version

from documents.history import bulk


def follows():
    """Registered models and the relations each one's versions carry along."""
    return {
        "documents.Document": ["contributions", "citations", "fundings", "scans", "texts"],
        "documents.Person": ["variants", "redirects"],
        "collections.Collection": ["featured_entries"],
        "documents.Contribution": [],
        "documents.Citation": [],
        "documents.Funding": [],
        "documents.Scan": [],
        "documents.DocumentText": [],
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
    """Register the models; stop at start-up if an import could not write their versions."""
    for label, follow in follows().items():
        model = apps.get_model(label)
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)
    bulk.version_plan()


def followed_relations(model):
    return follows().get(model._meta.label, [])


def followed_objects(obj):
    related = []
    for name in followed_relations(type(obj)):
        related.extend(getattr(obj, name).all())
    return related


def model_of(version):
    """The model a version is of."""
    return ContentType.objects.get_for_id(version.content_type_id).model_class()


def related_versions(version):
    """The versions of followed records (people linked, citations, ...) saved with `version`."""
    model = model_of(version)
    found = []
    for name in followed_relations(model):
        relation = model._meta.get_field(name)
        content_type = ContentType.objects.get_for_model(relation.related_model)
        attname = relation.field.attname
        for candidate in version.revision.version_set.filter(content_type=content_type):
            if str(candidate.field_dict.get(attname)) == str(version.object_id):
                found.append(candidate)
    return found


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


def last_saved_by(queryset, user):
    """The records of `queryset` whose latest version was saved by `user`.

    The records `user` ever saved (through the revisions' user index), then, for each of them,
    the user of its latest version, from django-reversion's (db, content type, object id) index.
    The alias `last_saved_version` (its latest version's id) orders them by when they were saved.
    """
    versions = Version.objects.get_for_model(queryset.model)
    ids = versions.filter(revision__user=user).values_list(
        Cast("object_id", models.BigIntegerField()), flat=True
    )
    # MAX(id) rather than ORDER BY id DESC LIMIT 1: SQLite would walk every version of the
    # model backwards for the order instead of reading the record's few from the index.
    latest = (
        versions.filter(object_id=Cast(OuterRef("pk"), models.CharField()))
        .order_by()
        .values("object_id")
        .annotate(latest=Max("pk"))
        .values("latest")
    )
    saved_by = Version.objects.filter(pk=OuterRef("last_saved_version")).values("revision__user")
    return (
        queryset.filter(pk__in=ids)
        .alias(last_saved_version=Subquery(latest))
        .alias(last_saved_by=Subquery(saved_by))
        .filter(last_saved_by=user.pk)
    )


def part_models():
    """The models saved only as part of another record (a document's citations, ...)."""
    return {
        apps.get_model(label)._meta.get_field(name).related_model
        for label, follow in follows().items()
        for name in follow
    }


@dataclass(frozen=True)
class Change:
    """A revision as a list of changes shows it: who, when, why, and the main record saved
    (a document rather than its citations), with how many other main records it holds."""

    user: object
    date: object
    comment: str
    model: type
    object_id: str
    object_repr: str
    others: int

    @property
    def is_deletion(self):
        return self.comment.startswith(DELETION_COMMENT)


def recent_changes(*, excluding, limit):
    """The latest `limit` revisions saved by staff other than `excluding`, newest first.

    Three queries whatever the size of the history (and the content types, read once a
    process): an import's revision of 100,000 versions is read as its first main record and
    a count.
    """
    main_types = [
        ContentType.objects.get_for_model(apps.get_model(label)).pk
        for label in follows()
        if apps.get_model(label) not in part_models()
    ]
    mains = Version.objects.filter(revision=OuterRef("pk"), content_type_id__in=main_types)
    # The latest revisions first, alone: a database may work out a row's subqueries before it
    # sorts, and so for every revision there is.
    latest = (
        Revision.objects.filter(user__isnull=False)
        .exclude(user=excluding)
        .order_by("-date_created", "-pk")
        .values_list("pk", flat=True)[:limit]
    )
    revisions = list(
        Revision.objects.filter(pk__in=list(latest))
        .select_related("user")
        .annotate(
            first_version=Subquery(mains.order_by("pk").values("pk")[:1]),
            main_count=Subquery(
                mains.order_by().values("revision").annotate(n=Count("pk")).values("n")[:1]
            ),
        )
        .order_by("-date_created", "-pk")[:limit]
    )
    versions = Version.objects.only("content_type_id", "object_id", "object_repr").in_bulk(
        [r.first_version for r in revisions if r.first_version]
    )
    changes = []
    for revision in revisions:
        version = versions.get(revision.first_version)
        if version is None:
            continue
        changes.append(
            Change(
                user=revision.user,
                date=revision.date_created,
                comment=revision.get_comment(),
                model=ContentType.objects.get_for_id(version.content_type_id).model_class(),
                object_id=version.object_id,
                object_repr=version.object_repr,
                others=(revision.main_count or 1) - 1,
            )
        )
    return changes


def record_baselines(objects, *, comment=bulk.BASELINE_COMMENT):
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


# Deleted records -------------------------------------------------------------------------------

# Every admin delete path writes a revision whose comment begins with this, just before the rows
# go: its date and user say when and by whom a record was deleted.
DELETION_COMMENT = "Deleted"


def record_deletion(objects, *, by, comment, also=()):
    """Keep the records about to be deleted, and what they follow, as one revision by `by`.

    Written before the delete, in its own revision: django-reversion leaves out of a revision
    the records that no longer exist when it is saved. `also` are records to keep beside them
    (a document's collections, whose membership a restore brings back).
    """
    objects = list(objects)
    if not objects:
        return None
    if not comment.startswith(DELETION_COMMENT):
        raise ValueError(f"A deletion's comment begins with “{DELETION_COMMENT}”.")
    with reversion.create_revision(atomic=False):
        reversion.set_user(by)
        reversion.set_comment(comment)
        for obj in [*objects, *also]:
            reversion.add_to_revision(obj)


def is_deletion(version):
    """Whether `version` was kept as its record was deleted (so its revision says who and when)."""
    return version.revision.comment.startswith(DELETION_COMMENT)


def deleted_versions(model):
    """The last version of every record of `model` that no longer exists, newest first."""
    return (
        Version.objects.get_deleted(model)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def deleted_version(model, version_id):
    """The last version of a deleted record of `model`, by its id; None if it is not that."""
    return deleted_versions(model).filter(pk=version_id).first()


def deleted_with(model, field_name, value):
    """The last version of a deleted record of `model` whose `field_name` was `value`, or None.

    Looks through the versions that name the value first (a public 404 asks this for any
    address), then checks that their record is gone.
    """
    attname = model._meta.get_field(field_name).attname
    content_type = ContentType.objects.get_for_model(model)
    candidates = Version.objects.filter(
        content_type=content_type, serialized_data__contains=_json_pair(field_name, value)
    ).order_by("-pk")
    checked = set()
    for version in candidates:
        if version.object_id in checked or str(version.field_dict.get(attname)) != str(value):
            continue
        checked.add(version.object_id)
        if model._default_manager.filter(pk=version.object_id).exists():
            continue
        return (
            Version.objects.filter(content_type=content_type, object_id=version.object_id)
            .select_related("revision__user")
            .order_by("-pk")
            .first()
        )
    return None


def versions_of_id(model, pk):
    """The last version kept of the record of `model` with this id (it may be deleted), or None."""
    content_type = ContentType.objects.get_for_model(model)
    found = Version.objects.filter(content_type=content_type, object_id=str(pk))
    return found.order_by("-pk").first()


def versions_naming(model, field_name, value):
    """Every version of any record of `model` whose `field_name` was `value`, at any time."""
    content_type = ContentType.objects.get_for_model(model)
    candidates = Version.objects.filter(
        content_type=content_type, serialized_data__contains=_json_pair(field_name, value)
    )
    attname = model._meta.get_field(field_name).attname
    return [v for v in candidates if str(v.field_dict.get(attname)) == str(value)]


def _json_pair(field_name, value):
    """`"name": value` as Django's JSON serializer writes it in a version."""
    return json.dumps({field_name: value}, cls=DjangoJSONEncoder)[1:-1]


def versions_in_revision(revision, model):
    """The versions of records of `model` kept in `revision`."""
    content_type = ContentType.objects.get_for_model(model)
    return list(revision.version_set.filter(content_type=content_type))


def restore_version(version):
    """Save the record a version keeps, with only the many-to-many links that still resolve.

    Returns the links left out, as (field, id) pairs: a linked record deleted since (a subject,
    a related document) cannot be linked again. django-reversion's `Version.revert` would save
    them all, and the database would refuse the missing ones.
    """
    deserialized = version._object_version
    left_out = []
    for name, ids in list((deserialized.m2m_data or {}).items()):
        model_field = deserialized.object._meta.get_field(name)
        wanted = [str(pk) for pk in ids]
        existing = {
            str(pk)
            for pk in model_field.related_model._default_manager.filter(pk__in=wanted).values_list(
                "pk", flat=True
            )
        }
        deserialized.m2m_data[name] = [pk for pk in ids if str(pk) in existing]
        left_out.extend((model_field, pk) for pk in ids if str(pk) not in existing)
    deserialized.save(using=version.db)
    return left_out
