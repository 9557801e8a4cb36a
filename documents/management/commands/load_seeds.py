from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction

from documents import changes
from documents.models import Document, record_ids

SEED_FIXTURES = ["seed.json"]


class Command(BaseCommand):
    help = (
        "Load the seed records from fixtures/. Records that already exist are left as they are, "
        "so running it again changes nothing and never overwrites a curator's edits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "fixtures", nargs="*", help="Fixture files (default: fixtures/seed.json)."
        )

    # Fixtures are saved raw, past save() but with signals: documents.changes records each
    # record loaded and applies the whole load once, when the batch ends.
    @transaction.atomic
    @changes.batch()
    def handle(self, *args, fixtures, **options):
        paths = [Path(f) for f in fixtures] or [
            settings.BASE_DIR / "fixtures" / name for name in SEED_FIXTURES
        ]
        created = skipped = 0
        models = set()
        for path in paths:
            with path.open(encoding="utf-8") as handle:
                for item in serializers.deserialize("json", handle):
                    model = type(item.object)
                    models.add(model)
                    if model._default_manager.filter(pk=item.object.pk).exists():
                        skipped += 1
                        continue
                    try:
                        with transaction.atomic():
                            item.save()
                    except IntegrityError as error:
                        raise CommandError(
                            f"The seed record {model._meta.label} #{item.object.pk} "
                            f"({item.object}) clashes with a record already in the database: "
                            f"{error}. Load the seeds into a new database; nothing was loaded."
                        ) from error
                    created += 1
        # Rows loaded with their own ids leave PostgreSQL's id sequences behind; move them on, as
        # loaddata does, so the next record a curator adds does not collide with a seed record.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
                cursor.execute(statement)
        highest = (
            Document.objects.order_by("-record_id").values_list("record_id", flat=True).first()
        )
        if highest:
            record_ids.note(highest)
        self.stdout.write(f"Seed records: {created} loaded, {skipped} already present.")
