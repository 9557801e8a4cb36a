"""Further translations and transcripts of a document (DocumentText), and the roles' rights to them.

Curators and Editors may view, add, change and delete them (an Editor removes a wrong one while
editing its document, as with the other rows of a document); Importers and Viewers may view them
(README "Roles").
"""

import django.db.models.deletion
import documents.models.base
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


GRANTS = {
    "Curator": ["view", "add", "change", "delete"],
    "Editor": ["view", "add", "change", "delete"],
    "Importer": ["view"],
    "Viewer": ["view"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("documents")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, actions in GRANTS.items():
        permissions = Permission.objects.filter(
            content_type__app_label="documents",
            codename__in=[f"{action}_documenttext" for action in actions],
        )
        for group in Group.objects.filter(name=role):
            group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="documents", codename__endswith="_documenttext"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0028_batch_edits"),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentText",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("translation", "Translation"), ("transcript", "Transcript")],
                        default="translation",
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "text",
                    models.TextField(
                        help_text="Line breaks and blank lines are kept, as in the main translation.",
                        validators=[documents.models.base.NoBidiControls("text", multiline=True)],
                        verbose_name="text",
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="Shown with the text, e.g. 'Translated from the Persian copy in GAPPOD.'",
                        max_length=500,
                        validators=[documents.models.base.NoBidiControls("note")],
                        verbose_name="note",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Its place among the document's further texts of its kind, "
                        "lowest first.",
                        verbose_name="position",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="texts",
                        to="documents.document",
                        verbose_name="document",
                    ),
                ),
                (
                    "language",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="document_texts",
                        to="documents.language",
                        verbose_name="language",
                    ),
                ),
                (
                    "translator",
                    models.ForeignKey(
                        blank=True,
                        help_text="Who made this translation; shown as 'Translated by …' above it.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="translated_texts",
                        to="documents.person",
                        verbose_name="translator",
                    ),
                ),
            ],
            options={
                "verbose_name": "further translation or transcript",
                "verbose_name_plural": "further translations and transcripts",
                "ordering": ["kind", "position", "pk"],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
