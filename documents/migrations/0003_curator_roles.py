"""Create the four roles curators are given: Curator, Editor, Importer and Viewer.

The README's "Curators' workspace" section explains what each may do.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = {
    "documents": [
        "document",
        "person",
        "personname",
        "personredirect",
        "citation",
        "contribution",
        "funding",
        "scan",
        "repository",
        "organization",
        "rightsstatement",
        "language",
        "documenttype",
        "classification",
        "subject",
        "place",
    ],
    "collections": ["collection", "featureddocument"],
}
# Parts of a record an Editor may remove while editing it (a wrongly linked person, a bad scan).
INLINE_PARTS = {
    "documents": ["personname", "citation", "contribution", "funding", "scan"],
    "collections": ["featureddocument"],
}
WORKFLOW = {
    "Curator": [
        "documents.publish_document",
        "documents.revert_document",
        "documents.import_document",
        "documents.export_document",
        "documents.merge_person",
        "collections.publish_collection",
    ],
    "Editor": [],
    "Importer": ["documents.import_document"],
    "Viewer": [],
}


def codenames(actions, models=MODELS):
    return [
        f"{app}.{action}_{model}"
        for app, names in models.items()
        for model in names
        for action in actions
    ]


ROLES = {
    "Curator": codenames(["view", "add", "change", "delete"]) + WORKFLOW["Curator"],
    "Editor": codenames(["view", "add", "change"]) + codenames(["delete"], INLINE_PARTS),
    "Importer": codenames(["view"]) + WORKFLOW["Importer"],
    "Viewer": codenames(["view"]),
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLES.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_scans_and_history"),
        ("collections", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
