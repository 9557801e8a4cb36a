"""Review before publishing: the review of a draft and its steps (documents.models.reviews)."""

import django.db.models.deletion
import django.utils.timezone
import documents.models.base
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0026_transmission_details"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Review",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("submitted", "Awaiting review"),
                            ("returned", "Returned for changes"),
                            ("published", "Published after review"),
                        ],
                        max_length=20,
                        verbose_name="state",
                    ),
                ),
                (
                    "submitted_at",
                    models.DateTimeField(
                        help_text="When it was last submitted: the queue is oldest first.",
                        verbose_name="submitted",
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True,
                        help_text="What the editor wants the curator to know; optional.",
                        validators=[documents.models.base.NoBidiControls("note", multiline=True)],
                        verbose_name="note for the reviewer",
                    ),
                ),
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="review",
                        to="documents.document",
                        verbose_name="document",
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="submitted by",
                    ),
                ),
            ],
            options={
                "verbose_name": "review",
                "ordering": ["submitted_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="ReviewEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted for review"),
                            ("resubmitted", "Resubmitted for review"),
                            ("returned", "Returned for changes"),
                            ("published", "Published"),
                        ],
                        max_length=20,
                        verbose_name="action",
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="when"),
                ),
                (
                    "comment",
                    models.TextField(
                        blank=True,
                        validators=[
                            documents.models.base.NoBidiControls("comment", multiline=True)
                        ],
                        verbose_name="comment",
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="documents.review",
                        verbose_name="review",
                    ),
                ),
            ],
            options={
                "verbose_name": "review step",
                "verbose_name_plural": "review steps",
                "ordering": ["at", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(fields=["state", "submitted_at"], name="review_queue"),
        ),
    ]
