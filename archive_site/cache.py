"""A shared cache of public pages for anonymous visitors, invalidated when records change.

Every cached page is stored under the current *generation*, a number kept in the shared cache.
A write to any record the public sees bumps the generation (`bump_generation()`, called by
`documents.changes` at once and again after commit), so every page cached before the change is
never served again (and ages out). One number for the whole archive is deliberately coarse: a
collection page, the document list, its facet counts and the person pages all depend on many
records, and a curator's edit is rare next to the public's reads.

Only anonymous GET/HEAD requests for public paths are cached; anyone with a session (a curator
previewing a draft, say) always gets a freshly rendered page, and responses that set cookies or
are marked private are never stored. The cache is switched on by `PAGE_CACHE_SECONDS` and only
makes sense with a cache every process shares (Redis): see the README's "Deploying" section.

Configuration-level code: imports Django only, no app.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches

GENERATION_KEY = "archive:public-pages:generation"
BUMPED_AT_KEY = "archive:public-pages:bumped-at"


def page_cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def current_generation():
    cache = page_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def bump_generation():
    """Make every cached public page stale."""
    cache = page_cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key is missing (first use, or the cache was flushed)
        cache.add(GENERATION_KEY, 2, timeout=None)
    cache.set(BUMPED_AT_KEY, time.time(), timeout=None)


def settling():
    """Whether the last change is too recent for a page rendered now to be stored.

    With read replicas, a page rendered just after a commit on the primary may come from a
    replica that has not received it yet; stored under the new generation, it would be served
    stale until it expired. `PAGE_CACHE_SETTLE_SECONDS` (default 2 with replicas, 0 without)
    is how long after a change pages are rendered but not stored.
    """
    seconds = getattr(settings, "PAGE_CACHE_SETTLE_SECONDS", 0)
    if not seconds:
        return False
    return time.time() - (page_cache().get(BUMPED_AT_KEY) or 0) < seconds


def page_key(request, generation):
    url = request.build_absolute_uri()
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"archive:public-page:{generation}:{request.method}:{digest}"


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        # Curators and anyone else with a session see live pages (drafts, their own edits).
        return False
    prefixes = getattr(settings, "PAGE_CACHE_PATHS", ("/",))
    excluded = getattr(settings, "PAGE_CACHE_EXCLUDED_PATHS", ("/admin/",))
    path = request.path_info
    return path.startswith(tuple(prefixes)) and not path.startswith(tuple(excluded))


def is_cacheable_response(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    # A page that looked at the user (a staff preview) varies on the cookie: never share it.
    return getattr(request, "user", None) is None or not request.user.is_authenticated


class PublicPageCacheMiddleware:
    """Serve anonymous visitors' public pages from the shared cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or not is_cacheable_request(request):
            return self.get_response(request)
        cache = page_cache()
        generation = current_generation()
        key = page_key(request, generation)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Archive-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if is_cacheable_response(request, response):
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if not settling():
                cache.set(key, response, seconds)
            response["X-Archive-Cache"] = "miss"
        return response
