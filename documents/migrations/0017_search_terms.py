"""The full-text index gains a column for a document's subjects, places, collections and funders.

SQLite's FTS5 table cannot add a column, so it is made again with the column `terms` after
`people` (the order of `documents.search.columns.COLUMNS`); PostgreSQL's entry is one tsvector,
whose table is unchanged. Either way every document is indexed again by the code being migrated
(as migration 0005 does), so the entries hold the new column. Reversing makes SQLite's table of
0005 again, empty: run `manage.py rebuild_search_index` with the code of that time.
"""

from django.db import migrations

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE documents_search USING fts5("
    "{columns}, tokenize = 'porter unicode61 remove_diacritics 2')"
)
COLUMNS = "title, people, terms, summary, citations, body"
COLUMNS_BEFORE = "title, people, summary, citations, body"


def remake_sqlite_table(schema_editor, columns):
    schema_editor.execute("DROP TABLE documents_search")
    schema_editor.execute(SQLITE_TABLE.format(columns=columns))


def add_terms(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        remake_sqlite_table(schema_editor, COLUMNS)
    if apps.get_model("documents", "Document").objects.exists():
        from documents.search import rebuild_index

        rebuild_index()


def remove_terms(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        remake_sqlite_table(schema_editor, COLUMNS_BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0016_citations_without_printed_credits"),
        # The entries are written by today's code, which reads collections' other names.
        ("collections", "0002_other_names"),
    ]

    operations = [migrations.RunPython(add_terms, remove_terms)]
