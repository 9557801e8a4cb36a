"""The full-text index: an FTS5 table on SQLite, a weighted tsvector table on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models

import documents.models.search_entry

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE documents_search USING fts5("
    "title, people, summary, citations, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)
POSTGRESQL_CREATE = [
    "CREATE TABLE documents_search ("
    # No foreign key: Django's test flush truncates documents_document without CASCADE. Deleting
    # a document deletes its entry (Document.delete), and searches join on live documents only.
    " rowid bigint PRIMARY KEY,"
    " documents_search tsvector NOT NULL)",
    "CREATE INDEX documents_search_entry ON documents_search USING gin (documents_search)",
]


def create_index_table(apps, schema_editor):
    statements = (
        POSTGRESQL_CREATE if schema_editor.connection.vendor == "postgresql" else [SQLITE_CREATE]
    )
    for statement in statements:
        schema_editor.execute(statement)
    # Index what is already there; later changes are indexed as they are saved.
    documents = apps.get_model("documents", "Document")
    if documents.objects.exists():
        from documents.search import rebuild_index

        rebuild_index()


def drop_index_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE documents_search")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_imports"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="documents.document",
                    ),
                ),
                (
                    "entry",
                    documents.models.search_entry.SearchField(db_column="documents_search", editable=False),
                ),
            ],
            options={
                "verbose_name": "search index entry",
                "db_table": "documents_search",
                "managed": False,
            },
        ),
        migrations.RunPython(create_index_table, drop_index_table),
    ]
