"""PostgreSQL: a RUM index on the search entries, so that ranking reads the index, not every vector.

Ranked with ts_rank_cd, a common word read and scored the tsvector of every matching document
(about 6 s for a word in most of a million documents). The RUM index (the `rum` extension,
Debian's package postgresql-15-rum) keeps each word's positions and weights beside its
postings, so ``ORDER BY entry <=> query LIMIT 20`` is answered from the index alone
(`documents.search.backends.postgres`, which uses it when it is there).

Only on PostgreSQL, and only where the server offers the extension (pg_available_extensions) and
this user may create it; anywhere else nothing happens and search keeps ranking with ts_rank_cd.
The GIN index stays: it answers "which documents match" (counts, facets, the admin) faster than
RUM's larger index. Building the index reads every entry: many minutes at a million documents.
"""

from django.db import migrations, transaction

INDEX = "documents_search_rum"


def rum_available(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        return cursor.fetchone() is not None


def create_rum_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or not rum_available(connection):
        return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except Exception:  # noqa: BLE001 - not allowed to create it: search ranks without it
        return
    schema_editor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON documents_search"
        " USING rum (documents_search rum_tsvector_ops)"
    )


def drop_rum_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0033_public_change_log"),
    ]

    operations = [migrations.RunPython(create_rum_index, drop_rum_index)]
