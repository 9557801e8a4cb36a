import pytest

from tests.discovery.records import build_open_archive


@pytest.fixture
def archive(db):
    return build_open_archive()


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """Request counts are kept in the default cache; each test starts from none."""
    from django.core.cache import caches

    caches["default"].clear()
    yield
    caches["default"].clear()
