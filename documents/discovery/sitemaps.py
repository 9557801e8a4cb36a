"""The sitemap (django.contrib.sitemaps): every published document, published collection and
public person, each with the day it last changed.

`/sitemap.xml` is a sitemap index (Django's view) naming one sitemap per section
(`/sitemap-documents.xml`, ...), each split into pages of at most 50,000 addresses (`?p=2`),
the sitemaps.org limit, by the framework's own paginator. A page costs a fixed number of
queries whatever it holds: the count, the page's rows (addresses and dates read in one query,
no query per item) and, for the index, each section's latest date. Addresses are made by
`reverse()` once per section and filled in per item, and a page is written without the
template (`render_urlset`), so 50,000 items take a second, not ten.
"""

from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as framework_views
from django.contrib.sitemaps.views import x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import http_date

from archive_collections.models import Collection
from documents.discovery.people import public_people_changed, public_people_count
from documents.models import Contribution, Document, Person
from documents.views import CountedPaginator

# A value no slug or record ID holds, replaced by each item's own.
_MARK = "0"


class PublicSitemap(Sitemap):
    """A section whose items are (address part, last modified) pairs read in one query."""

    url_name = ""  # the page's URL name; its one argument is the item's key
    url_argument = ""

    def items(self):
        raise NotImplementedError

    def _pattern(self):
        if not hasattr(self, "_prefix"):
            marked = reverse(self.url_name, kwargs={self.url_argument: _MARK})
            self._prefix, _mark, self._suffix = marked.rpartition(f"/{_MARK}/")
        return self._prefix, self._suffix

    def location(self, item):
        prefix, suffix = self._pattern()
        return f"{prefix}/{item[0]}/{suffix}"

    def lastmod(self, item):
        return item[1]

    def get_latest_lastmod(self):
        """The section's latest date, from one aggregate (the default reads every item)."""
        raise NotImplementedError


class DocumentSitemap(PublicSitemap):
    url_name, url_argument = "documents:detail", "record_id"

    def items(self):
        return (
            Document.objects.published()
            .order_by("record_id")
            .values_list("record_id", "updated_at")
        )

    def get_latest_lastmod(self):
        return Document.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class CollectionSitemap(PublicSitemap):
    url_name, url_argument = "collections:detail", "slug"

    def items(self):
        return Collection.objects.published().order_by("pk").values_list("slug", "updated_at")

    def get_latest_lastmod(self):
        return Collection.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class PeopleChanged:
    """Public people as (slug, latest change), read a slice at a time: the dates grouped from
    the links first, then the slugs of that range of people in one more query."""

    def __getitem__(self, key):
        changed = list(public_people_changed()[key])
        if not changed:
            return []
        first, last = changed[0][0], changed[-1][0]
        slugs = dict(Person.objects.filter(pk__gte=first, pk__lte=last).values_list("pk", "slug"))
        return [(slugs[pk], lastmod) for pk, lastmod in changed if pk in slugs]


class PersonSitemap(PublicSitemap):
    """Public people; a person's page changes with the published documents that name them, so
    its date is the latest of theirs (a person has no date of their own)."""

    url_name, url_argument = "people:detail", "slug"

    def items(self):
        return PeopleChanged()

    @cached_property
    def paginator(self):
        return CountedPaginator(self._items(), self.limit, count=public_people_count())

    def get_latest_lastmod(self):
        return (
            Document.objects.published()
            .filter(pk__in=Contribution.objects.values("document_id"))
            .aggregate(latest=Max("updated_at"))["latest"]
        )


SITEMAPS = {
    "documents": DocumentSitemap,
    "collections": CollectionSitemap,
    "people": PersonSitemap,
}


def render_urlset(urls):
    """The sitemap XML of `urls` (from `Sitemap.get_urls`), written directly.

    Django's template renders about 5,000 addresses a second; a page holds 50,000.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for url in urls:
        lastmod = url["lastmod"]
        modified = f"<lastmod>{lastmod.isoformat(timespec='seconds')}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(url['location'])}</loc>{modified}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines)


def sitemap_index(request):
    """The index (Django's view) of the sections that hold at least one address.

    The sitemaps.org schema requires a `<urlset>` to hold a `<url>`, so an empty section (no
    published collection yet, say) is neither named in the index nor served.
    """
    sections = {
        name: site for name, section in SITEMAPS.items() if (site := section()).paginator.count
    }
    return framework_views.index(request, sections, sitemap_url_name="sitemap-section")


@x_robots_tag
def sitemap_section(request, section):
    """One page of one section (`?p=2`), with Django's pagination and items."""
    if section not in SITEMAPS:
        raise Http404(f"The sitemap has no section '{section}'.")
    sitemap = SITEMAPS[section]()
    if not sitemap.paginator.count:
        raise Http404(f"The sitemap section '{section}' has no addresses yet.")
    page = request.GET.get("p", "1")
    try:
        urls = sitemap.get_urls(page=page, site=get_current_site(request), protocol=request.scheme)
    except EmptyPage as error:
        raise Http404(f"The sitemap section '{section}' has no page {page}.") from error
    except PageNotAnInteger as error:
        raise Http404(f"'{page}' is not a page number.") from error
    response = HttpResponse(render_urlset(urls), content_type="application/xml")
    # Set by get_urls() only when every item on the page has a date.
    if latest := getattr(sitemap, "latest_lastmod", None):
        response.headers["Last-Modified"] = http_date(latest.timestamp())
    return response
