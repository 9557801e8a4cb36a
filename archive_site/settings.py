"""Settings for the archive, read from the environment.

Everything that differs between a laptop and production comes from environment variables;
the defaults are safe for production except where `DEBUG=1` switches on conveniences.
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, *, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, *, default=()):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or list(default)


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment (or DEBUG=1 for development)."
        )
    SECRET_KEY = "development-only-insecure-key"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "reversion",
    "adminsortable2",
    "django_tasks",
    "django_tasks_db",
    "documents",
    "archive_collections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "archive_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "documents.context_processors.archive",
            ],
        },
    },
]

WSGI_APPLICATION = "archive_site.wsgi.application"

# SQLite as a multi-user database: readers never wait for a writer (WAL journal); a write
# transaction takes the write lock when it begins (IMMEDIATE), so two writers queue instead of
# one failing with "database is locked" when it upgrades from reading; a writer waits up to
# SQLITE_BUSY_TIMEOUT seconds for the lock (less than gunicorn's 30 s worker timeout). In WAL
# mode synchronous=NORMAL cannot corrupt the database; a power cut may lose the last commits.
# Django itself turns on PRAGMA foreign_keys. An in-memory database (the tests) ignores WAL.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}


def database_from_url(url):
    database = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
    return database


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
# The full-text search index is derived data: never dumped, loaded or serialized.
DATABASE_ROUTERS = ["documents.routers.SearchIndexRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# The archive's own identity. Another archive running this system sets these in its environment;
# templates read them through the `archive` context processor and never spell them out.
ARCHIVE_NAME = os.environ.get("ARCHIVE_NAME", "Digital Archive")
ARCHIVE_INSTITUTION = os.environ.get("ARCHIVE_INSTITUTION", "History and Public Policy Program")
ARCHIVE_INSTITUTION_URL = os.environ.get("ARCHIVE_INSTITUTION_URL", "")
ARCHIVE_CONTACT_EMAIL = os.environ.get("ARCHIVE_CONTACT_EMAIL", "")

# OAI-PMH (documents/oai/): the address harvesters write to, the namespace of the record
# identifiers (oai:<namespace>:<record ID>; empty: the host name the request came to), the
# records in a list's page and how long a resumption token stays valid.
OAI_ADMIN_EMAIL = os.environ.get(
    "OAI_ADMIN_EMAIL", ARCHIVE_CONTACT_EMAIL or "webmaster@example.org"
)
OAI_NAMESPACE = os.environ.get("OAI_NAMESPACE", "")
OAI_PAGE_SIZE = int(os.environ.get("OAI_PAGE_SIZE", "100"))
OAI_TOKEN_SECONDS = int(os.environ.get("OAI_TOKEN_SECONDS", str(24 * 60 * 60)))

# Production safety: on unless DEBUG is on.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a commitment browsers remember for months; opt in deliberately.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Scans curators upload: refused above these sizes (bytes, and pixels against decompression bombs).
SCAN_MAX_BYTES = int(os.environ.get("SCAN_MAX_BYTES", str(200 * 1024 * 1024)))
SCAN_MAX_PIXELS = int(os.environ.get("SCAN_MAX_PIXELS", str(150_000_000)))
# Derivatives are made in a child process of the worker with these limits (documents/scans/):
# its address space in megabytes, and seconds. Past either the scan is marked as not processed.
SCAN_PROCESS_MAX_MEMORY_MB = int(os.environ.get("SCAN_PROCESS_MAX_MEMORY_MB", "1536"))
SCAN_PROCESS_TIMEOUT = int(os.environ.get("SCAN_PROCESS_TIMEOUT", "120"))
# Spreadsheet import and export (documents/importing.py): who may use them, and the limits.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "500000"))
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(1024 * 1024 * 1024)))
IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(1024 * 1024 * 1024))
)
# The most characters one cell of an imported spreadsheet may hold (spreadsheets/files.py).
IMPORT_MAX_CELL_CHARS = int(os.environ.get("IMPORT_MAX_CELL_CHARS", "1000000"))

# Background tasks (documents/tasks/): scan derivatives and imports of more than
# IMPORT_BACKGROUND_ROWS rows run in `manage.py db_worker`, a process of its own (README
# "Deploying"), from a queue kept in the database. TASKS_BACKEND=...ImmediateBackend runs them
# at once in the process that asks, as the test suite does.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "500"))
# A batch edit of more documents than this runs in the worker too (documents/tasks/batch_edits.py).
BATCH_EDIT_BACKGROUND_DOCUMENTS = int(os.environ.get("BATCH_EDIT_BACKGROUND_DOCUMENTS", "200"))

# Deploying beyond one machine (see README "Deploying") -------------------------------------------

# Static files are served by the application server itself through WhiteNoise, compressed and
# with content-hashed names (run `manage.py collectstatic` when deploying). The test suite and
# development use plain storage so they need no collectstatic.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", STATIC_ROOT))
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if not STATIC_MANIFEST:
    # Without collectstatic, WhiteNoise serves straight from the app and STATICFILES_DIRS.
    WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

# Uploaded media on S3-compatible object storage (AWS S3, MinIO, Ceph, ...) when a bucket is named.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("AWS_LOCATION", "media"),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", default=False),
        },
    }

# A shared cache (Redis) for every process and machine: CACHE_URL or REDIS_URL, e.g.
# redis://127.0.0.1:6379/0. Without one, each process keeps its own small in-memory cache.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "archive"),
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// address.")

# Anonymous visitors' public pages are cached for this many seconds (0 = off) and dropped the
# moment a document, collection or person is saved. On by default only with a shared cache: with
# per-process caches one process could not tell the others that a record changed.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300" if CACHE_URL else "0"))
PAGE_CACHE_PATHS = ("/",)
PAGE_CACHE_EXCLUDED_PATHS = ("/admin/", "/static/", "/media/")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"),
    "archive_site.cache.PublicPageCacheMiddleware",
)

# Reads spread over PostgreSQL streaming replicas: DATABASE_REPLICA_URLS is a comma-separated
# list of postgres:// addresses of hot standbys of DATABASE_URL. Writes and curators stay on
# the primary (archive_site/db_routers.py).
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{_number}"] = {
        **database_from_url(_url),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_REPLICAS = [alias for alias in DATABASES if alias.startswith("replica")]
# A page rendered this soon after a change may come from a replica still behind the primary: it
# is served but not stored in the page cache (archive_site/cache.py `settling`).
PAGE_CACHE_SETTLE_SECONDS = float(
    os.environ.get("PAGE_CACHE_SETTLE_SECONDS", "2" if DATABASE_REPLICAS else "0")
)
DATABASE_ROUTERS = [*DATABASE_ROUTERS, "archive_site.db_routers.PrimaryReplicaRouter"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "archive_site.db_routers.PinToPrimaryMiddleware",
)

# Who gets in (see README "Security") --------------------------------------------------------------

# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is refused for LOGIN_COOLOFF_MINUTES, counted from the last attempt; a
# successful sign-in clears the count. Attempts are kept in the database, so every process and
# machine sees them. Behind a proxy REMOTE_ADDR is the proxy's, so the lock is per username.
INSTALLED_APPS.append("axes")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "documents.views.sign_in_locked_out"
# Failed attempts and lockouts are logged (warnings); not every successful sign-in and clean-up.
AXES_VERBOSE = False
LOGGING.setdefault("loggers", {})["axes"] = {"level": "WARNING"}

# Content-Security-Policy (django-csp): scripts and styles only from the site's own files, never
# inline, so markup that slips into a page cannot run. JSON-LD data blocks are not scripts and
# stay inline. Outside the page cache, so cached pages carry the header too (static files, served
# by WhiteNoise before it, need none).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Scans and images shown from the bucket.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"https://{os.environ['AWS_S3_CUSTOM_DOMAIN']}"
        if os.environ.get("AWS_S3_CUSTOM_DOMAIN")
        else os.environ.get("AWS_S3_ENDPOINT_URL") or "https://*.amazonaws.com"
    )
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)

# Discovery: the sitemap, the feeds and the read-only JSON API (README "Discovery") ----------------

INSTALLED_APPS += [
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
# Requests per client to /api/: visitors by address, signed-in users per account. Counts are kept
# in the default cache, so they are per process unless REDIS_URL gives a shared one.
API_THROTTLE_RATES = {
    "anon": os.environ.get("API_THROTTLE_ANON", "60/minute"),
    "user": os.environ.get("API_THROTTLE_USER", "300/minute"),
}
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    # Sessions only: no password is ever checked by the API (sign-in throttling lives at the admin).
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "documents.api.throttling.AnonymousRate",
        "documents.api.throttling.SignedInRate",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{ARCHIVE_NAME} API",
    "DESCRIPTION": "Read-only access to the published documents, people, collections, subjects "
    "and places, with the filters of the document list.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "documents.api.schema.error_responses",
    ],
}
