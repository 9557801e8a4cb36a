"""What an import may write for whom: the permissions of the admin's forms, row by row.

A row creating a record needs `documents.add_document`, as the form's *Add* does; a row
changing one needs `documents.change_document`. Setting a status, creating a published record
or changing a record that is published needs `documents.publish_document`, the permission the
admin's *Publish*, *Unpublish* and *Withdraw* and the status field ask for (`PublishingAdmin`):
a published record is what the public reads, and only those who may publish decide what it
says. A refused row is an error of that row, named in the preview with its reason; nothing of
it is written. The command line (`user=None`) may do everything.
"""

from documents.models import Status


class ImportPermissions:
    def __init__(self, user):
        def may(codename):
            return user is None or user.has_perm(f"documents.{codename}_document")

        self.add, self.change, self.publish = may("add"), may("change"), may("publish")

    def describe(self):
        """What these permissions let one import, in a sentence for the import page."""
        if self.add and self.change and self.publish:
            return "You may create, change and publish records by import."
        may = []
        if self.add:
            may.append("create new records" + ("" if self.publish else " as drafts"))
        if self.change:
            may.append("change records" + ("" if self.publish else " that are not published"))
        refused = []
        if not self.add:
            refused.append("create records")
        if not self.change:
            refused.append("change records already in the archive")
        if not self.publish:
            refused.append("publish")
        text = f"By import you may {' and '.join(may)}. " if may else ""
        return (
            f"{text}Rows that would {' or '.join(refused)} are refused and named in the "
            "preview: those need a curator."
        )

    def refuse_new(self, row):
        """Refuse the new record `row` would create (returns whether it did)."""
        if not self.add:
            row.error(
                "record_id" if row.record_id else "title",
                row.cells.get("record_id") or row.cells.get("title", ""),
                "This row would create a new record, which needs the permission to add "
                "documents. Ask a curator to import it, or leave the row out.",
            )
            return True
        if row.values.get("status") == Status.PUBLISHED and not self.publish:
            row.error(
                "status",
                "published",
                "You may import new records only as drafts: publishing needs the permission "
                "to publish documents.",
            )
            return True
        return False

    def refuse_change(self, row, old, changed):
        """Refuse the changes `changed` of `row` to the record whose state is `old`."""
        if not changed:
            return False
        if not self.change:
            row.error(
                "record_id",
                row.cells.get("record_id", str(row.record_id or "")),
                f"This row would change record {row.record_id} ({', '.join(changed)}), which "
                "needs the permission to change documents. Leave the row out or ask a curator "
                "to import it.",
            )
            return True
        if self.publish:
            return False
        if "status" in changed:
            row.error(
                "status",
                row.cells.get("status", ""),
                "Changing a record's status needs the permission to publish documents.",
            )
            return True
        if old["status"] == Status.PUBLISHED:
            row.error(
                "record_id",
                row.cells.get("record_id", str(row.record_id or "")),
                f"Record {row.record_id} is published: changing it ({', '.join(changed)}) needs "
                "the permission to publish documents. Leave the row out or ask a curator.",
            )
            return True
        return False
