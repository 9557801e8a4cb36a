"""robots.txt: where the sitemap is, and which paths are not for crawlers.

Crawlers are asked to leave alone what is not a public page: the admin, the JSON API (for
programs, throttled, and the same records the pages show) and the document list's filter and
page combinations, which are endless; every document, collection and person is in the sitemap.
"""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

# Path prefixes crawlers are asked not to fetch (RFC 9309 prefix rules, no wildcards).
DISALLOWED = ("/admin/", "/api/", "/documents/?")


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines += ["", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
