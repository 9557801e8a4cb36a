"""Revision history: what each save records and the versions a record has.

Every admin save, publication, merge and revert is one django-reversion revision holding the
record *and* the records it follows (a document's people, citations, funders and scans; a
person's variant names and old addresses; a collection's popular documents), so a revert or an
undone merge restores them together.

This package is the only code that reads django-reversion's internals: here the registration
and the small interface the admin and the workflows use; `diffs` says how two versions differ;
`bulk` writes an import's versions from plain rows. It imports django-reversion, Django and
`documents.models`; it imports no view, admin, search or workflow module (reverting a
version is a workflow: `documents.workflows.reverting`).
"""

import hashlib

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from reversion.models import Version

from documents.history import bulk


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
