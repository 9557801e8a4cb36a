"""The search engine of each database: one module per vendor, each with the same functions.

    matches(query, entry)    a filter: the index entry at the path `entry` matches `query`
    relevance(query, using=) an expression for Document rows: higher is a better match
    best_first(query, using=) how a page of Document rows is chosen by that relevance, best
                             first and ties included, in the order the database's index answers
    snippet(query)           an expression for Document rows: marked passages around the matches
    write(rows, using=)      insert index rows (`documents.search.columns.Row`)
    rebuilding(using=)       a context manager around writing the whole index from scratch
    after_rebuild(using=)    tidy the index after it was written from scratch

May import: documents.models, documents.parsing, documents.search.columns and .marks; never the
interface (`documents.search`) above it.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from documents.search.backends import postgres, sqlite

BACKENDS = {"sqlite": sqlite, "postgresql": postgres}


def backend(using):
    """The search backend of the database `using`."""
    vendor = connections[using].vendor
    try:
        return BACKENDS[vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Full-text search works on SQLite and PostgreSQL; the database '{using}' is {vendor}."
        ) from None
