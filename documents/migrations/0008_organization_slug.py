"""Give organizations a slug, so the public lists can filter by funder (?funder=...)."""

from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    """The slug saving would give: the slugified name, with -2, -3 ... where one is taken.

    Written out here rather than imported, so this migration keeps doing what it did when the
    app's slug helper changes.
    """
    Organization = apps.get_model("documents", "Organization")
    organizations = Organization.objects.using(schema_editor.connection.alias)
    taken = set()
    for organization in organizations.order_by("pk"):
        base = (slugify(organization.name) or "organization")[:200].strip("-")
        slug, n = base, 1
        while slug in taken:
            n += 1
            suffix = f"-{n}"
            slug = f"{base[: 200 - len(suffix)]}{suffix}"
        taken.add(slug)
        organizations.filter(pk=organization.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_search_statistics"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="slug",
            # Indexed only once unique below: on PostgreSQL, making an indexed slug unique would
            # create its "_like" index a second time.
            field=models.SlugField(
                blank=True, db_index=False, default="", max_length=200, verbose_name="slug"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organization",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="Names the funder in the public lists' addresses; made from the name if empty.",
                max_length=200,
                unique=True,
                verbose_name="slug",
            ),
        ),
    ]
