"""Spread reads over PostgreSQL streaming replicas; keep writes and curators on the primary.

With `DATABASE_REPLICA_URLS` set, settings add one database alias per replica ("replica1", ...).
Public reads go to a replica, chosen at random per query. Everything else uses the primary
("default"): every write; every read after a write in the same request (so a page shows what it
just saved); every request by a signed-in user, every admin request and every non-GET request
(`PinToPrimaryMiddleware`); imports and management commands that wrap their work in
`use_primary()`; and the tables behind sign-in (sessions, users, permissions), whose rows must be
read back the moment they are written.
"""

import contextvars
import random
from contextlib import contextmanager

from django.conf import settings

_pinned = contextvars.ContextVar("archive_pinned_to_primary", default=False)

# Apps whose rows are read back immediately after being written (sign-in, sessions, admin log).
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "admin", "contenttypes"})


def replica_aliases():
    return getattr(settings, "DATABASE_REPLICAS", [])


def is_pinned_to_primary():
    return _pinned.get()


@contextmanager
def use_primary():
    """Read from the primary inside this block (imports, workflows that read what they write)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas or _pinned.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        instance = hints.get("instance")
        if instance is not None and instance._state.db == "default":
            # Related objects of a row read from the primary come from the primary too.
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        # Read-your-writes: after a write, the rest of this request or task reads the primary.
        _pinned.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PinToPrimaryMiddleware:
    """Send a request to the primary when a curator (or any writer) makes it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pin = (
            request.method not in ("GET", "HEAD", "OPTIONS")
            or request.path_info.startswith("/admin/")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        )
        token = _pinned.set(pin)
        try:
            return self.get_response(request)
        finally:
            _pinned.reset(token)
