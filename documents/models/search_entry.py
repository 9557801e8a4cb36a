"""A document's entry in the full-text index, and the field and lookup that reach it."""

from django.db import models
from django.db.models import Lookup
from django.utils.translation import gettext_lazy as _

from documents.models.records import Document
from documents.parsing.search_query import PG_CONFIG, fts5_query


class SearchField(models.Field):
    """The index entry of a document: FTS5's hidden table column, or PostgreSQL's tsvector.

    Naming the column after the table (``documents_search``) lets one expression reach it on both
    databases, under whatever alias Django gives the table in a subquery.
    """

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else None


@SearchField.register_lookup
class Matches(Lookup):
    """``search_entry__entry__matches=query``: the document matches what a visitor typed."""

    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} @@ websearch_to_tsquery(%s, %s)", [*lhs_params, PG_CONFIG, self.rhs]
        return f"{lhs} MATCH %s", [*lhs_params, fts5_query(self.rhs)]

    def process_rhs(self, compiler, connection):  # the query text is passed as a parameter above
        return "%s", [self.rhs]


class SearchEntry(models.Model):
    """A document's entry in the full-text index; written only by documents/search.py.

    The table is an FTS5 virtual table on SQLite and a tsvector table on PostgreSQL, created by
    the migration for the database in use, hence not managed by Django.
    """

    document = models.OneToOneField(
        Document,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_entry",
    )
    entry = SearchField(db_column="documents_search", editable=False)

    class Meta:
        managed = False
        db_table = "documents_search"
        verbose_name = _("search index entry")

    def __str__(self):
        return str(self.document_id)
