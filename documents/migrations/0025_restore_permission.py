"""The permission to restore deleted documents, people and collections, given to Curators.

Anyone who may delete a document, person or collection may also restore one of that kind; this
permission lets a role restore without deleting (README "Roles").
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def give_to_curators(apps, schema_editor):
    app_config = apps.get_app_config("documents")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="documents", codename="restore_document"
    )
    for group in Group.objects.filter(name="Curator"):
        group.permissions.add(permission)


def take_from_curators(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="documents", codename="restore_document"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0022_scan_images"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="document",
            options={
                "ordering": [
                    models.OrderBy(models.F("date_start"), nulls_last=True),
                    "date_end",
                    "title",
                ],
                "permissions": [
                    ("publish_document", "Can publish, unpublish and withdraw documents"),
                    ("revert_document", "Can revert documents to an earlier version"),
                    ("import_document", "Can import documents from spreadsheets"),
                    ("export_document", "Can export documents to spreadsheets"),
                    ("restore_document", "Can restore deleted documents, people and collections"),
                ],
                "verbose_name": "document",
            },
        ),
        migrations.RunPython(give_to_curators, take_from_curators),
    ]
