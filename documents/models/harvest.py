"""What harvesters are told about each record: its OAI-PMH datestamp, and whether it is deleted.

One row per document that has ever been published. The row outlives the document (no foreign-key
constraint, nothing cascades), so a record published once and later withdrawn, returned to
draft or deleted stays known to harvesters as deleted: the repository's `deletedRecord` is
`persistent`. A draft never published has no row and is never shown.

`datestamp` moves whenever what a harvester receives for the record changes: its own fields and
links, the names of the people, repositories, subjects, places and collections it shows, its
publication, withdrawal or deletion. The rows are written by `documents.changes` only (its
`_apply` calls `stamp`, `stamp_all` or `resync`), the one mechanism every write goes through;
no save() of any model touches them. `documents.oai` reads them.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models.base import Status
from documents.models.records import Document

_CHUNK = 500


def now_in_seconds():
    """The current time, cut to whole seconds: the protocol's finest granularity."""
    return timezone.now().replace(microsecond=0)


class HarvestRecordQuerySet(models.QuerySet):
    def now(self):
        return now_in_seconds()

    def stamp(self, document_ids, *, at=None):
        """Move the datestamps of these documents' records to `at` where a harvester sees a change.

        A published document's record is stamped (and made, on its first publication); a record
        whose document is no longer published (withdrawn, a draft again, deleted) is stamped once
        as deleted; a document that is neither published nor was is left alone.
        """
        at = at or now_in_seconds()
        ids = sorted(set(document_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            # One query tells each document's state and its record's (None: no record yet).
            found = list(
                Document.objects.filter(pk__in=chunk).values_list(
                    "pk", "record_id", "status", "harvest_record__deleted"
                )
            )
            stamped, new, now_deleted = [], [], []
            for pk, record_id, status, deleted in found:
                if status == Status.PUBLISHED:
                    if deleted is None:
                        new.append(HarvestRecord(document_id=pk, record_id=record_id, datestamp=at))
                    else:
                        stamped.append(pk)
                elif deleted is False:
                    now_deleted.append(pk)
            gone = set(chunk) - {pk for pk, *_ in found}  # deleted documents
            if stamped:
                self.filter(pk__in=stamped).update(datestamp=at, deleted=False)
            if new:
                # Another writer may publish the same document at the same moment.
                self.bulk_create(new, ignore_conflicts=True)
            if now_deleted or gone:
                self.filter(pk__in=[*now_deleted, *gone], deleted=False).update(
                    datestamp=at, deleted=True
                )

    def restamp(self, stamped_at, document_ids=None):
        """Move the records stamped at `stamped_at` (of these documents, or all) to now.

        Run after the stamping write commits: its rows then carry a moment no harvester could
        have listed past before they were visible.
        """
        at = now_in_seconds()
        if at == stamped_at:
            return
        rows = self.filter(datestamp=stamped_at)
        if document_ids is None:
            rows.update(datestamp=at)
            return
        ids = sorted(document_ids)
        for start in range(0, len(ids), _CHUNK):
            rows.filter(pk__in=ids[start : start + _CHUNK]).update(datestamp=at)

    def stamp_all(self, *, at=None):
        """Stamp every record not deleted: a write every record may show (a rights statement)."""
        self.filter(deleted=False).update(datestamp=at or now_in_seconds())

    def resync(self, *, at=None):
        """Bring every row in line with the documents after a bulk load, stamping them all."""
        at = at or now_in_seconds()
        published = Document.objects.filter(status=Status.PUBLISHED)
        self.filter(deleted=False).exclude(pk__in=published.values("pk")).update(
            datestamp=at, deleted=True
        )
        self.filter(deleted=True, pk__in=published.values("pk")).update(deleted=False)
        missing = published.exclude(pk__in=self.values("pk")).values_list("pk", "record_id")
        self.bulk_create(
            (HarvestRecord(document_id=pk, record_id=rid, datestamp=at) for pk, rid in missing),
            batch_size=2000,
            ignore_conflicts=True,
        )
        self.filter(deleted=False).update(datestamp=at)


class HarvestRecord(models.Model):
    """A record as harvesters know it (documents.oai): when it last changed, whether it is gone."""

    document = models.OneToOneField(
        Document,
        primary_key=True,
        # The row outlives its document: it is how a deleted record is still reported deleted.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="harvest_record",
    )
    record_id = models.PositiveIntegerField(_("record ID"), unique=True)
    datestamp = models.DateTimeField(_("datestamp"))
    deleted = models.BooleanField(_("deleted"), default=False)

    objects = HarvestRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("harvested record")
        indexes = [
            # Lists are read in this order, a page at a time from the last row a token names.
            models.Index(fields=["datestamp", "document"], name="harvestrecord_datestamp"),
        ]

    def __str__(self):
        state = "deleted" if self.deleted else "published"
        return f"{self.record_id} ({state}, {self.datestamp:%Y-%m-%dT%H:%M:%SZ})"
