"""The production configuration read from the environment, checked in a fresh process."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "storages": settings.STORAGES,
    "caches": settings.CACHES,
    "page_cache": settings.PAGE_CACHE_SECONDS,
    "databases": {alias: {"host": db.get("HOST"), "port": db.get("PORT"),
                          "test": db.get("TEST", {})} for alias, db in settings.DATABASES.items()},
    "replicas": settings.DATABASE_REPLICAS,
    "middleware": settings.MIDDLEWARE,
}, default=str))
"""


def run_in_production(script, **environ):
    """Run `script` in a fresh Python with the production settings and `environ`; its output."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "CACHE_", "REDIS_", "DATABASE_", "STATIC_", "PAGE_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="archive_site.settings", SECRET_KEY="k", DEBUG="0")
    env.update(environ)
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def production_settings(**environ):
    return json.loads(run_in_production(PROBE, **environ))


def test_production_serves_compressed_hashed_static_files_through_whitenoise():
    config = production_settings()
    assert config["storages"]["staticfiles"]["BACKEND"].endswith(
        "CompressedManifestStaticFilesStorage"
    )
    middleware = config["middleware"]
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )


def test_media_stays_on_the_filesystem_unless_a_bucket_is_configured():
    assert production_settings()["storages"]["default"]["BACKEND"].endswith("FileSystemStorage")
    config = production_settings(
        AWS_STORAGE_BUCKET_NAME="archive-media", AWS_S3_ENDPOINT_URL="https://s3.example.org"
    )
    storage = config["storages"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "archive-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert storage["OPTIONS"]["file_overwrite"] is False


def test_a_redis_url_gives_a_shared_cache_and_turns_the_page_cache_on():
    assert production_settings()["page_cache"] == 0
    config = production_settings(REDIS_URL="redis://10.0.0.5:6379/1")
    assert config["caches"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["caches"]["default"]["LOCATION"] == "redis://10.0.0.5:6379/1"
    assert config["page_cache"] == 300


def test_replica_urls_become_read_databases_mirrored_in_tests():
    config = production_settings(
        DATABASE_URL="postgres://app@10.0.0.1:5432/archive",
        DATABASE_REPLICA_URLS="postgres://app@10.0.0.2:5432/archive,postgres://app@10.0.0.3/archive",
    )
    assert config["replicas"] == ["replica1", "replica2"]
    assert config["databases"]["replica1"]["host"] == "10.0.0.2"
    assert config["databases"]["replica2"]["test"]["MIRROR"] == "default"


def test_whitenoise_serves_collected_static_files_compressed(tmp_path):
    script = """
import django
django.setup()
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
url = static("archive/site.css")
response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip", secure=True)
print(url, response.status_code, response.get("Content-Encoding"), response.get("Cache-Control"))
"""
    output = run_in_production(script, STATIC_MANIFEST="1", STATIC_ROOT=str(tmp_path / "static"))
    url, status, encoding, cache_control = output.split(maxsplit=3)
    assert url.startswith("/static/archive/site.") and url != "/static/archive/site.css"
    assert (status, encoding) == ("200", "gzip")
    assert "immutable" in cache_control
