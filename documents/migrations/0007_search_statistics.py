"""PostgreSQL: keep enough statistics on the search index to tell a rare word from a common one.

With the default statistics target, the planner guesses that a word missing from its short list
of common words matches 0.5% of documents, and ranks a rare word by reading every document's
vector (0.5 s at 100,000 documents) rather than its few index entries (under 1 ms).
"""

from django.db import migrations

STATISTICS = 10000


def set_statistics(apps, schema_editor, target=STATISTICS):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE documents_search ALTER COLUMN documents_search SET STATISTICS {target}"
    )
    schema_editor.execute("ANALYZE documents_search")


def reset_statistics(apps, schema_editor):
    set_statistics(apps, schema_editor, target=-1)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0006_public_index"),
    ]

    operations = [migrations.RunPython(set_statistics, reset_statistics)]
