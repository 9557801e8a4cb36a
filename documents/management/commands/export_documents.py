from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.spreadsheets.exporting import ExportError, export_documents


class Command(BaseCommand):
    help = (
        "Export every document (drafts included: this is for staff) to CSV, XLSX or ODS in the "
        "import's columns; importing the file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the spreadsheet.")
        parser.add_argument(
            "--format",
            choices=["csv", "xlsx", "ods"],
            help="Default: from FILE's extension, else csv.",
        )
        parser.add_argument(
            "--published-only", action="store_true", help="Leave drafts and withdrawn records out."
        )
        parser.add_argument(
            "--for-new-archive",
            action="store_true",
            help=(
                "Write people as 'Name [new]' instead of 'Name [#id]', so that an archive "
                "without these people (a new one) can import the file with --create-missing."
            ),
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        file_format = options["format"] or (path.suffix.lower().lstrip(".") or "csv")
        if file_format not in ("csv", "xlsx", "ods"):
            raise CommandError(f"Cannot export to .{file_format}: use --format csv, xlsx or ods.")
        from documents.models import Document

        queryset = Document.objects.published() if options["published_only"] else None
        try:
            with path.open("wb") as target:
                count = export_documents(
                    target,
                    queryset=queryset,
                    file_format=file_format,
                    for_new_archive=options["for_new_archive"],
                )
        except ExportError as error:
            path.unlink(missing_ok=True)
            raise CommandError(str(error)) from error
        self.stdout.write(f"Exported {count} documents to {path}.")
