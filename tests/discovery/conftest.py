import pytest

from tests.discovery.records import build_open_archive


@pytest.fixture
def archive(db):
    return build_open_archive()
