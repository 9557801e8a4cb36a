import pytest

from tests.public.records import build_archive


@pytest.fixture
def archive(db):
    """Three seed documents, their people (with variant names), vocabularies and a collection."""
    return build_archive()
