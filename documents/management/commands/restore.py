from django.core.management.base import BaseCommand, CommandError

from documents import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database of the same kind "
        "(SQLite or PostgreSQL) and the media storage, after checking every file's checksum; "
        "then rebuild the search index, the public index and the page cache."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (.tar) to restore.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation (for scripts).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds records, and media files that differ "
            "from the backup's.",
        )

    def handle(self, *args, **options):
        confirm = self.confirm if options["interactive"] else None
        try:
            report = backups.restore(options["file"], force=options["force"], confirm=confirm)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {backups.summary(report.manifest)} from {report.path} "
            f"(made {report.manifest['created_at']}) in {report.seconds:.1f} s."
        )
        if report.migrated:
            self.stdout.write(
                f"Applied {len(report.migrated)} migrations the backup predates: "
                f"{', '.join(report.migrated)}."
            )
        self.stdout.write(f"Search index rebuilt: {report.indexed} documents indexed.")

    def confirm(self, question):
        self.stdout.write(question)
        answer = input("Type 'yes' to continue, or anything else to cancel: ")
        return answer.strip().lower() == "yes"
