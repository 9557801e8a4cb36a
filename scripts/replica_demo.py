"""Show reads served by a streaming replica and a curator's edit reaching primary, then replica.

Run by scripts/replica_demo.sh with DATABASE_URL (primary) and DATABASE_REPLICA_URLS (replica)
set. Exits non-zero if anything is not as it should be, so the script doubles as a check.
"""

import os
import sys
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from documents.models import Document  # noqa: E402


@contextmanager
def queries_by_database():
    """Count the SQL statements each database alias runs inside the block."""
    counts = Counter()
    stack = []
    for alias in connections:
        connection = connections[alias]

        def count(execute, sql, params, many, context, alias=alias):
            counts[alias] += 1
            return execute(sql, params, many, context)

        manager = connection.execute_wrapper(count)
        manager.__enter__()
        stack.append(manager)
    try:
        yield counts
    finally:
        for manager in reversed(stack):
            manager.__exit__(None, None, None)


def server_port(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT inet_server_port(), pg_is_in_recovery()")
        return cursor.fetchone()


def fail(message):
    print(f"FAILED: {message}")
    sys.exit(1)


def main():
    if settings.DATABASE_REPLICAS != ["replica1"]:
        fail("set DATABASE_REPLICA_URLS to the replica's address")
    port, in_recovery = server_port("replica1")
    print(f"replica1 is the server on port {port}; in recovery (a hot standby): {in_recovery}")
    port, in_recovery = server_port("default")
    print(f"default  is the server on port {port}; in recovery: {in_recovery}")

    document = Document.objects.published().order_by("record_id").first()
    if document is None:
        fail("no published document: load the seed records first")
    url = document.get_absolute_url()
    visitor = Client()

    print(f"\n1. A visitor reads {url}")
    with queries_by_database() as counts:
        response = visitor.get(url)
    print(f"   HTTP {response.status_code}; queries: {dict(counts)}")
    if response.status_code != 200 or counts["default"] or not counts["replica1"]:
        fail("the public page should be read from the replica only")

    print("\n2. A curator opens the admin: everything on the primary")
    curator, _created = get_user_model().objects.get_or_create(
        username="replica-demo", defaults={"is_staff": True, "is_superuser": True}
    )
    staff = Client()
    staff.force_login(curator)
    with queries_by_database() as counts:
        response = staff.get("/admin/documents/document/")
    print(f"   HTTP {response.status_code}; queries: {dict(counts)}")
    if response.status_code != 200 or counts["replica1"]:
        fail("a curator's requests should be served by the primary only")

    print("\n3. The curator corrects the title (saved on the primary)")
    new_title = f"{document.title.split(' [corrected')[0]} [corrected {time.strftime('%H:%M:%S')}]"
    with queries_by_database() as counts:
        document.title = new_title
        document.save()
    print(f"   queries: {dict(counts)}")
    if counts["replica1"]:
        fail("writes go to the primary")
    on_primary = Document.objects.using("default").get(pk=document.pk).title
    print(f"   primary now has: {on_primary!r}")

    started = time.monotonic()
    while True:
        on_replica = Document.objects.using("replica1").get(pk=document.pk).title
        if on_replica == new_title:
            break
        if time.monotonic() - started > 30:
            fail("the replica did not catch up within 30 seconds")
        time.sleep(0.01)
    lag_ms = (time.monotonic() - started) * 1000
    print(f"   replica has it {lag_ms:.0f} ms later: {on_replica!r}")

    print("\n4. The visitor reloads the page: read from the replica, showing the correction")
    with queries_by_database() as counts:
        response = visitor.get(url)
    shown = new_title in response.content.decode()
    print(f"   HTTP {response.status_code}; queries: {dict(counts)}; new title shown: {shown}")
    if not shown or counts["default"]:
        fail("the corrected page should come from the replica")
    print("\nReplica demo: all as expected.")


if __name__ == "__main__":
    main()
