from django.core.management.base import BaseCommand

from documents import changes


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from every document and tell running web processes "
        "that the archive changed. Saving records keeps the index current; run this after "
        "loading data with raw SQL, or after an upgrade."
    )

    def handle(self, *args, **options):
        count = changes.rebuild()
        self.stdout.write(f"Search index rebuilt: {count} documents indexed.")
