"""Moving records between draft, published and withdrawn, one or many at once."""

import reversion
from django.db import transaction

from documents import changes, history
from documents.models import Document, Review, Status

STATUS_COMMENTS = {
    Status.PUBLISHED: "Published.",
    Status.DRAFT: "Unpublished: back to draft.",
    Status.WITHDRAWN: "Withdrawn from public view.",
}


@transaction.atomic
@changes.batch()
def set_status(records, *, status, by, comment=None):
    """Give every record in `records` the status `status`; return how many changed.

    Documents and collections both work. The first publication date is stamped by the model
    the first time a record is published and never changed afterwards. All changes are one
    revision in the history, signed by `by`, with `comment` (by default one naming the new
    status: "Published."). Publishing a document that is awaiting review (or was returned to
    its editor) closes its review as published by `by`.
    """
    status = Status(status)
    changed = 0
    if hasattr(records, "select_for_update"):
        # Lock plain rows: a changelist's queryset may carry joins or aggregates.
        ids = list(records.values_list("pk", flat=True))
        records = list(records.model._default_manager.select_for_update().filter(pk__in=ids))
    history.record_baselines(r for r in records if r.status != status)
    with reversion.create_revision(atomic=False):
        reversion.set_user(by)
        reversion.set_comment(comment or STATUS_COMMENTS[status])
        published_documents = []
        for record in records:
            if record.status == status:
                continue
            record.status = status
            record.save()
            changed += 1
            if status == Status.PUBLISHED and isinstance(record, Document):
                published_documents.append(record.pk)
    if published_documents:
        Review.objects.filter(document__in=published_documents).mark_published(by=by)
    return changed


def publish(records, *, by):
    return set_status(records, status=Status.PUBLISHED, by=by)


def unpublish(records, *, by):
    return set_status(records, status=Status.DRAFT, by=by)


def withdraw(records, *, by):
    return set_status(records, status=Status.WITHDRAWN, by=by)
