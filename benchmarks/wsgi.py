"""WSGI entry point for the throughput benchmark: the site plus the baseline views."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
settings.ROOT_URLCONF = "benchmarks.urls"
