"""Record IDs, the archive's stable public numbers: the one allocator that hands them out.

Every writer of documents takes its numbers here: `Document.save` one at a time, the
spreadsheet import a batch at a time, the archive generator a range. A number is handed out
once, never again, not even after its record is deleted: the counter keeps the highest number
handed out or used. A number chosen by hand (in the admin, in a file, by a fixture) is noted,
which moves the counter past it, so the numbers handed out afterwards are above it.

May import Django only: `RecordIds` is given the model it numbers (`documents.models.records`
makes `record_ids`, the allocator of documents).
"""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class RecordIdCounter(models.Model):
    """The last record ID handed out, so a deleted record's number is never given again."""

    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("record ID counter")

    def __str__(self):
        return str(self.last_value)


class RecordIds:
    """Hands out the record numbers of one model's rows and notes the ones chosen by hand."""

    def __init__(self, model, field="record_id"):
        self.model = model
        self.field = field

    def next(self):
        """Reserve and return the next unused number."""
        return self.reserve(1)[0]

    @transaction.atomic
    def reserve(self, count, *, avoiding=()):
        """Reserve `count` unused numbers, in increasing order, none of them in `avoiding`.

        `avoiding` holds numbers claimed but not written yet, such as the record IDs the rows
        of a file give: a row without a record ID never receives one another row gives.
        """
        counter = self._counter(lock=True)
        number = self._highest(counter)
        numbers = []
        while len(numbers) < count:
            number += 1
            if number not in avoiding:
                numbers.append(number)
        if numbers:
            counter.last_value = numbers[-1]
            counter.save(update_fields=["last_value"])
        return numbers

    def peek(self):
        """The number `next()` would give now, without reserving it (for a file to import)."""
        return self._highest(self._counter()) + 1

    def note(self, *numbers):
        """Never hand out these numbers, chosen by hand: move the counter past the highest."""
        highest = max((n for n in numbers if n), default=0)
        if highest and highest > self._counter().last_value:
            RecordIdCounter.objects.filter(pk=1, last_value__lt=highest).update(last_value=highest)

    def _counter(self, *, lock=False):
        counters = RecordIdCounter.objects.select_for_update() if lock else RecordIdCounter.objects
        counter, _created = counters.get_or_create(pk=1)
        return counter

    def _highest(self, counter):
        # Rows written with their own numbers past every writer here (fixtures loaded raw) count.
        in_use = self.model._default_manager.aggregate(m=models.Max(self.field))["m"] or 0
        return max(counter.last_value, in_use)
