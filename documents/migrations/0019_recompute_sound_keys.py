"""People's stored sound keys are recomputed once more: the rules now fold a Persian silent h
written inside a word (Pishehvari / Pishevari). The recomputation is migration 0011's."""

import importlib

from django.db import migrations

recompute = importlib.import_module("documents.migrations.0011_recompute_name_keys").recompute


class Migration(migrations.Migration):
    dependencies = [("documents", "0018_distinct_people")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
