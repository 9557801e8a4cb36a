"""People's stored name keys and sound keys are recomputed with the matching rules in use.

The rules of `documents.parsing.names` now fold other scripts, Azerbaijani and Turkish letters,
inverted names and more transliteration families (issue 12); keys stored before would not
find the names they should. This reads the rules of the code being migrated, on purpose: the
keys must be what that code computes, and running it again after a later change of the rules
recomputes them once more. Reversing leaves the keys as they are (the earlier rules are gone).
"""

from django.db import migrations

from documents.parsing.names import name_key, sound_key

CHUNK = 2_000


def recompute(apps, schema_editor):
    alias = schema_editor.connection.alias
    for model_name in ("Person", "PersonName"):
        model = apps.get_model("documents", model_name)
        changed = []
        for row in model.objects.using(alias).only("pk", "name", "name_key", "sound_key").iterator(
            chunk_size=CHUNK
        ):
            keys = (name_key(row.name), sound_key(row.name))
            if keys != (row.name_key, row.sound_key):
                row.name_key, row.sound_key = keys
                changed.append(row)
        model.objects.using(alias).bulk_update(
            changed, ["name_key", "sound_key"], batch_size=CHUNK
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0010_rights_uri_upload_date_background_tasks")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
