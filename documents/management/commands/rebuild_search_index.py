from django.core.management.base import BaseCommand

from documents.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from every document. Saving records keeps the index "
        "current; run this after loading data with raw SQL or fixtures, or after an upgrade."
    )

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(f"Search index rebuilt: {count} documents indexed.")
