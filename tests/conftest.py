import pytest
from django.core.cache import caches
from django.core.management import call_command


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep uploads made by tests out of the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_public_index():
    """Each test starts with no in-memory index of published documents (documents.browse.index).

    A test's records are rolled back without committing, so the version token that tells web
    processes the archive changed is never written; the index from an earlier test must go.
    """
    from documents.browse import index as facets

    facets.forget()
    yield
    facets.forget()


@pytest.fixture
def page_cache(settings):
    """Public pages cached for anonymous visitors, in a cache of this process (as Redis would)."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def seeds(db):
    """The seed records from fixtures/, loaded the way `make run` loads them."""
    call_command("load_seeds", verbosity=0)


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "", "a-long-test-password")
