from django.core.management.base import BaseCommand, CommandError

from documents import backups


class Command(BaseCommand):
    help = (
        "Write a backup of the archive to FILE (a new .tar): a consistent copy of the database "
        "taken while the site keeps running, every media file, and a manifest with their "
        "SHA-256 checksums and the migration state. Restore it with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file to write; it must not exist yet.")

    def handle(self, *args, **options):
        try:
            report = backups.backup(options["file"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        manifest = report.manifest
        self.stdout.write(
            f"Backed up {backups.summary(manifest)} to {report.path} in {report.seconds:.1f} s."
        )
        for name in manifest["media_missing"]:
            self.stderr.write(
                f"Warning: a record names the media file {name}, which is not in the media "
                "storage; the backup cannot hold it."
            )
