"""Each public filter is declared once; one the in-memory index cannot serve stops the site.

The declarations (documents.browse.declarations) are read by the FilterSet, the index and the
facets. A filter that the SQL would honour and the index silently ignore must never reach a
visitor, so the check runs when the documents app is ready, before any request is served.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import django_filters
import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from documents.browse import checks, declarations
from documents.browse.declarations import FILTERS, Column, Declaration, Link, Vocabulary
from documents.browse.filters import DocumentFilter
from documents.models import Document, DocumentType, Place

BROWSE = Path(declarations.__file__).parent


@dataclass(frozen=True, eq=False)
class Keyword(Declaration):
    """A kind of filter the index has never heard of."""

    name: str


def test_the_declared_filters_pass_the_start_up_check():
    checks.check_public_filters()


def test_every_declared_filter_reads_its_query_string_names_on_the_form():
    names = [name for declaration in FILTERS for name in declaration.names]
    assert list(DocumentFilter.base_filters) == names


def test_a_filter_on_a_column_the_index_cannot_read_stops_the_site_from_starting():
    status = Column("status", "Status", "Status", "status", Vocabulary(DocumentType))
    with pytest.raises(ImproperlyConfigured) as error:
        checks.check_public_filters([*FILTERS, status])
    assert str(error.value) == (
        "The public filter 'status' cannot be served by the in-memory index of published "
        "documents: Document.status is not a ForeignKey to DocumentType, so the index cannot "
        "read it as a term id. Change its declaration in documents/browse/declarations.py."
    )


def test_a_filter_whose_values_could_name_two_terms_is_refused():
    by_geonames = Link(
        "geonames",
        "GeoNames",
        "Places",
        Document.places.through,
        "place",
        Vocabulary(Place, value="geonames_id"),
    )
    with pytest.raises(ImproperlyConfigured, match="'geonames'.*Place.geonames_id is not unique"):
        checks.check_public_filters([*FILTERS, by_geonames])


def test_a_filter_naming_a_missing_field_is_refused():
    missing = Link(
        "archive", "Archive", "Archives", Document.places.through, "archive", Vocabulary(Place)
    )
    with pytest.raises(ImproperlyConfigured, match="'archive'.*has no field named 'archive'"):
        checks.check_public_filters([*FILTERS, missing])


def test_a_filter_of_a_kind_the_index_does_not_know_is_refused():
    with pytest.raises(ImproperlyConfigured, match="'keyword'.*no filter of the kind Keyword"):
        checks.check_public_filters([*FILTERS, Keyword("keyword")])


def test_a_filter_written_by_hand_on_the_filter_set_is_refused():
    class WithTitle(DocumentFilter):
        title = django_filters.CharFilter(lookup_expr="icontains")

    with pytest.raises(ImproperlyConfigured) as error:
        checks.check_public_filters(filterset=WithTitle)
    assert str(error.value) == (
        "WithTitle has filters no declaration names ('title'): the in-memory index would "
        "ignore them. Declare them in documents/browse/declarations.py instead."
    )


def test_two_filters_reading_one_name_are_refused():
    again = Column("type", "Kind", "Kind", "document_type", Vocabulary(DocumentType))
    with pytest.raises(ImproperlyConfigured, match="'type' and 'type' both read 'type'"):
        checks.check_public_filters([*FILTERS, again])


def test_the_documents_app_runs_the_check_when_it_starts(monkeypatch):
    monkeypatch.setattr(declarations, "FILTERS", [*FILTERS, Keyword("keyword")])
    with pytest.raises(ImproperlyConfigured, match="The public filter 'keyword'"):
        apps.get_app_config("documents").ready()


def imported_modules(path):
    """Every module `path` imports, at any depth (imports inside functions included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("declarations", {"index", "filters", "facets", "checks"}),
        ("index", {"filters", "facets", "checks"}),
        ("filters", {"index", "facets", "checks"}),
        ("facets", {"filters", "checks"}),
    ],
)
def test_the_browse_modules_depend_one_way_on_the_declarations(module, forbidden):
    imported = imported_modules(BROWSE / f"{module}.py")
    assert not {f"documents.browse.{name}" for name in forbidden} & imported


def test_the_readme_names_every_declared_filter():
    readme = (BROWSE.parents[1] / "README.md").read_text()
    paragraph = readme[readme.index("**Filters** live in the query string") :].split("\n\n")[0]
    named = set(re.findall(r"`([^`]+)`", paragraph))
    assert {name for declaration in FILTERS for name in declaration.names} <= named
