"""The environment a benchmark runs Django in.

`configure_environment` is what run.py and load.py measure under (production settings, one
database, no page cache). A script run by path (`python benchmarks/search.py ...`) puts the
checkout on sys.path first, then calls `setup` with its defaults before importing any model.
"""

import os

import django


def setup(**environment):
    """Set the given variables unless the environment already has them, then django.setup()."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")
    for name, value in environment.items():
        os.environ.setdefault(name, value)
    django.setup()


def configure_environment(database_url, workdir):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="archive_site.settings",
        SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-only-secret-key"),
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        STATIC_MANIFEST="0",
        PAGE_CACHE_SECONDS="0",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(workdir / "media"),
        LOG_LEVEL="WARNING",
        # The benchmark's client is one address asking many times: not throttled.
        API_THROTTLE_ANON="1000000/minute",
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CACHE_URL", None)
    os.environ.pop("DATABASE_REPLICA_URLS", None)
