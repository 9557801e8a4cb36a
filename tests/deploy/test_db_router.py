"""Public reads go to replicas; writes and anything a curator does stay on the primary."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from archive_site.db_routers import PinToPrimaryMiddleware, PrimaryReplicaRouter, use_primary
from documents.models import Document

router = PrimaryReplicaRouter()


@pytest.fixture
def replicas(settings):
    settings.DATABASE_REPLICAS = ["replica1", "replica2"]


def read_database_during(request):
    """Run a request through the middleware; return where a public read would go inside it."""
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Document)
        return HttpResponse()

    PinToPrimaryMiddleware(view)(request)
    return seen["read"]


def test_without_replicas_everything_uses_the_primary():
    assert router.db_for_read(Document) == "default"
    assert router.db_for_write(Document) == "default"


def test_public_reads_are_spread_over_the_replicas(replicas):
    reads = {read_database_during(RequestFactory().get("/documents/")) for _ in range(50)}
    assert reads == {"replica1", "replica2"}


def test_admin_pages_signed_in_visitors_and_posts_read_from_the_primary(replicas, settings):
    factory = RequestFactory()
    assert read_database_during(factory.get("/admin/documents/document/")) == "default"
    assert read_database_during(factory.post("/documents/")) == "default"
    signed_in = factory.get("/documents/")
    signed_in.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    assert read_database_during(signed_in) == "default"


def test_a_request_reads_its_own_writes_from_the_primary(replicas):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Document))
        router.db_for_write(Document)
        seen.append(router.db_for_read(Document))
        return HttpResponse()

    PinToPrimaryMiddleware(view)(RequestFactory().get("/documents/"))
    assert seen[0].startswith("replica")
    assert seen[1] == "default"
    # The next visitor is not affected.
    assert read_database_during(RequestFactory().get("/documents/")).startswith("replica")


def test_imports_and_workflows_can_pin_their_reads_to_the_primary(replicas):
    with use_primary():
        assert router.db_for_read(Document) == "default"


def test_sign_in_and_session_tables_are_always_read_from_the_primary(replicas):
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    assert router.db_for_read(User) == "default"
    assert router.db_for_read(Session) == "default"


def test_only_the_primary_is_migrated(replicas):
    assert router.allow_migrate("default", "documents")
    assert not router.allow_migrate("replica1", "documents")
