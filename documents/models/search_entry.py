"""A document's entry in the full-text index, the field that holds it and FTS5's MATCH lookup.

The table is created by migration 0005 (remade by 0014) for the database in use; what goes into
it and how it is ranked and highlighted belong to `documents.search` (one backend module per
database), the only code that writes or reads it.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Lookup
from django.utils.translation import gettext_lazy as _

from documents.models.records import Document
from documents.parsing.search_query import fts5_query


class SearchField(SearchVectorField):
    """The index entry of a document: PostgreSQL's weighted tsvector, or FTS5's hidden column.

    On PostgreSQL it is django.contrib.postgres's tsvector field, so ``entry=SearchQuery(...)``
    means ``@@``. On SQLite it is the FTS5 table's column named after the table, which has no type
    and is reached only by MATCH and FTS5's auxiliary functions. Naming the column after the table
    (``documents_search``) lets one expression reach it on both databases, under whatever alias
    Django gives the table in a subquery.
    """

    def db_type(self, connection):
        return super().db_type(connection) if connection.vendor == "postgresql" else None


@SearchField.register_lookup
class Matches(Lookup):
    """``entry__matches=query`` on SQLite: the entry matches what a visitor typed (FTS5's MATCH).

    A lookup rather than an expression so that a filter through ``search_entry__entry`` joins
    the index with an inner join, as FTS5's planner needs. PostgreSQL has its own: the field's
    ``=`` with a SearchQuery (`documents.search.backends.postgres`).
    """

    lookup_name = "matches"

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} MATCH %s", [*lhs_params, fts5_query(self.rhs)]

    def process_rhs(self, compiler, connection):  # the query text is passed as a parameter above
        return "%s", [self.rhs]


class SearchEntry(models.Model):
    """A document's entry in the full-text index; written only by `documents.search`.

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
