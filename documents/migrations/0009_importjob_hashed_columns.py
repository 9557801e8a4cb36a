"""Imports record which columns their content hashes cover, so undo compares only those.

Imports made before this migration hashed the 21 columns the spreadsheet had then; they are
filled in with that list, so adding a column (original_uploaded_date was the first) leaves their
undo working.
"""

from django.db import migrations, models

# The columns every earlier import's after_hash covers (the state keys of that time).
COLUMNS_BEFORE = [
    "title",
    "date",
    "type",
    "summary",
    "text",
    "transcript",
    "languages",
    "classification",
    "citations",
    "authors",
    "recipients",
    "copied_to",
    "mentioned",
    "translators",
    "contributors",
    "collections",
    "subjects",
    "places",
    "funders",
    "rights",
    "status",
]


def fill_earlier_imports(apps, schema_editor):
    ImportJob = apps.get_model("documents", "ImportJob")
    ImportJob.objects.using(schema_editor.connection.alias).update(hashed_columns=COLUMNS_BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0008_organization_slug"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="hashed_columns",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text=(
                    "The spreadsheet columns each record's content hash covers; undo compares "
                    "only these, so columns added later do not count as edits."
                ),
                verbose_name="columns compared by undo",
            ),
        ),
        migrations.RunPython(fill_earlier_imports, migrations.RunPython.noop),
    ]
