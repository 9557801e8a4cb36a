from django.core.management.base import BaseCommand
from django.db.models import Q

from documents.models import Scan
from documents.tasks import scans as scan_tasks


class Command(BaseCommand):
    help = (
        "Queue the derivatives of scans for the worker: those still waiting, PDFs without their "
        "metadata-free public copy and scans without their IIIF images (scans uploaded before "
        "these existed) and, with --failed, those that could not be processed; --all remakes "
        "every scan's derivatives."
    )

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true", help="Also retry failed scans.")
        parser.add_argument("--all", action="store_true", help="Every scan.")

    def handle(self, *args, **options):
        scans = Scan.objects.all()
        if not options["all"]:
            wanted = (
                Q(processing=Scan.Processing.PENDING)
                | Q(media_type=Scan.MediaType.PDF, public_file="")
                | Q(processing=Scan.Processing.READY, images__isnull=True)
            )
            if options["failed"]:
                wanted |= Q(processing=Scan.Processing.FAILED)
            scans = scans.filter(wanted).distinct()
        count = 0
        for scan in scans.iterator():
            scan_tasks.schedule(scan)
            count += 1
        self.stdout.write(f"Queued {count} scan{'s' if count != 1 else ''} for the worker.")
