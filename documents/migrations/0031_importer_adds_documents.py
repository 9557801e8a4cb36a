"""Importers may add documents: an import creates records with the form's add permission.

An import now asks, row by row, for the permissions the admin's forms ask for (README
"Roles"): a new record needs `documents.add_document`, a changed one `change_document`, a
published one `publish_document`. The Importer role imports new records as drafts, so it is
given the first; changing records stays with Curators and Editors.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def give_to_importers(apps, schema_editor):
    app_config = apps.get_app_config("documents")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="documents", codename="add_document"
    )
    for group in Group.objects.filter(name="Importer"):
        group.permissions.add(permission)


def take_from_importers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="documents", codename="add_document"
    ).first()
    if permission is not None:
        for group in Group.objects.filter(name="Importer"):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0027_reviews"),
    ]

    operations = [migrations.RunPython(give_to_importers, take_from_importers)]
