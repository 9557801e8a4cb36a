"""The start-up check that every public filter is declared once and served by the index.

`check_public_filters()` runs from the documents app's `ready()`, so a site whose lists would
silently ignore a filter does not start: a declaration the in-memory index cannot serve, two
declarations reading one query-string name, or a filter written by hand on the FilterSet
instead of declared in `documents.browse.declarations` raises ImproperlyConfigured naming it.

Imports the declarations, the filter set and the index, to compare them.
"""

from django.core.exceptions import ImproperlyConfigured

from documents.browse import declarations, index
from documents.browse.filters import DocumentFilter


def check_public_filters(declared=None, filterset=DocumentFilter):
    """Raise ImproperlyConfigured unless the index and `filterset` serve exactly `declared`."""
    declared = declarations.FILTERS if declared is None else declared
    names = {}
    for declaration in declared:
        reason = index.cannot_serve(declaration)
        if reason:
            raise ImproperlyConfigured(
                f"The public filter '{declaration.name}' cannot be served by the in-memory "
                f"index of published documents: {reason} Change its declaration in "
                "documents/browse/declarations.py."
            )
        for name in declaration.names:
            if name in names:
                raise ImproperlyConfigured(
                    f"The public filters '{names[name]}' and '{declaration.name}' both read "
                    f"'{name}' from the query string; give each its own name."
                )
            names[name] = declaration.name
    missing = [name for name in names if name not in filterset.base_filters]
    if missing:
        listed = ", ".join(f"'{name}'" for name in missing)
        raise ImproperlyConfigured(
            f"{filterset.__name__} does not read the declared public filters {listed}; "
            "derive it from documents/browse/declarations.py."
        )
    undeclared = [name for name in filterset.base_filters if name not in names]
    if undeclared:
        listed = ", ".join(f"'{name}'" for name in undeclared)
        raise ImproperlyConfigured(
            f"{filterset.__name__} has filters no declaration names ({listed}): the in-memory "
            "index would ignore them. Declare them in documents/browse/declarations.py instead."
        )
