"""robots.txt: where the sitemap is, and which paths are not for crawlers.

Crawlers are asked to leave alone what is not a public page: the admin and the JSON API (for
programs, throttled, and the same records the pages show); every document, collection and
person is in the sitemap. A rule for the document list's filter combinations ("/documents/?")
is read by Python's robotparser, and so by some crawlers, as "/documents/" itself: there is none.
"""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

# Path prefixes crawlers are asked not to fetch (RFC 9309 prefix rules, no wildcards).
DISALLOWED = ("/admin/", "/api/")


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines += ["", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
