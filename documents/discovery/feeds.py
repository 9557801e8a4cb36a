"""Atom feeds (django.contrib.syndication) of newly published documents: the whole archive's
(`/documents/feed/`) and each published collection's (`/collections/<slug>/feed/`).

Entries are the latest published documents by the day they were first published (the Original
Uploaded Date), newest first. Each entry's id is its page's address, which never changes (a
record ID is never reused); `published` is the first publication, `updated` the last change,
the summary the curator's, the authors the people in the author role and the categories the
document's type, subjects and places. A feed costs the same few queries however long it is.
"""

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from archive_collections.models import Collection
from documents.models import Contribution, Document

FEED_ENTRIES = 50


# When a feed has no entries: Django would say it changed now, at every request.
NO_ENTRIES_UPDATED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class ArchiveAtomFeed(Atom1Feed):
    """Atom with every author of an entry (Django's writes one at most), and a feed without
    entries dated by what it belongs to rather than by the moment it is read."""

    def latest_post_date(self):
        if any(item["updateddate"] or item["pubdate"] for item in self.items):
            return super().latest_post_date()
        return self.feed.get("empty_since") or NO_ENTRIES_UPDATED

    def add_item_elements(self, handler, item):
        authors = item.pop("authors", ())
        super().add_item_elements(handler, item)
        for name, link in authors:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if link:
                handler.addQuickElement("uri", link)
            handler.endElement("author")


def newly_published(documents):
    """The latest `FEED_ENTRIES` of `documents` by first publication, with what entries show."""
    return (
        documents.published()
        # Records moved from an earlier site without the date are not new; leaving them out
        # also lets the index `document_recently_published` give the order on both databases.
        .filter(first_published_at__isnull=False)
        .order_by("-first_published_at", "-pk")
        .defer("text", "transcript")
        .select_related("document_type")
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.filter(role=Contribution.Role.AUTHOR)
                .select_related("person")
                .order_by("order", "pk"),
                to_attr="feed_authors",
            ),
            "subjects",
            "places",
        )[:FEED_ENTRIES]
    )


class NewDocumentsFeed(Feed):
    feed_type = ArchiveAtomFeed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return f"{settings.ARCHIVE_NAME}: newly published documents"

    def subtitle(self):
        return f"Documents newly published in the {settings.ARCHIVE_NAME}."

    def link(self):
        return reverse("documents:list")

    def feed_url(self):
        return reverse("documents:feed")

    def author_name(self):
        return settings.ARCHIVE_INSTITUTION or settings.ARCHIVE_NAME

    def items(self):
        return newly_published(Document.objects)

    def item_title(self, document):
        date = document.date_display
        return f"{document.title} ({date})" if date else document.title

    def item_description(self, document):
        # Atom's summary is sent as HTML: the curator's plain text, escaped.
        return escape(document.summary)

    def item_link(self, document):
        return document.get_absolute_url()

    def item_pubdate(self, document):
        return document.first_published_at

    def item_updateddate(self, document):
        return document.updated_at

    def item_categories(self, document):
        terms = [document.document_type] if document.document_type else []
        return [str(term) for term in [*terms, *document.subjects.all(), *document.places.all()]]

    def item_extra_kwargs(self, document):
        authors = [
            (str(c.person), self.request.build_absolute_uri(c.person.get_absolute_url()))
            for c in document.feed_authors
        ]
        return {"authors": authors}


class CollectionFeed(NewDocumentsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Collection.objects.published(), slug=slug)

    def title(self, collection):
        return f"{collection.title}: newly published documents"

    def subtitle(self, collection):
        return f"Documents newly published in the collection {collection.title}."

    def link(self, collection):
        return collection.get_absolute_url()

    def feed_url(self, collection):
        return reverse("collections:feed", kwargs={"slug": collection.slug})

    def items(self, collection):
        return newly_published(Document.objects.filter(collections=collection))

    def feed_extra_kwargs(self, collection):
        return {"empty_since": collection.updated_at}
