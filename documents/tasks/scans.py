"""Making a scan's derivatives in the worker, after the upload has returned.

`schedule(scan)` queues `make_scan_derivatives` for a scan whose upload was just checked and
stored (in the same transaction, so the task exists exactly when the scan does). The task runs
the decoder in a child process with limits; when that fails, the scan is marked `failed` with
the reason ("Could not be processed: reading it needs more than 1,536 MB of memory ..."), shown
in the admin, and the worker goes on with the next task.

The IIIF files of every page (documents/scans/derivatives.py) are copied into the default
storage first, outside the transaction (they are named by their content, so a copy left by a
scan that changed meanwhile is harmless and a second copy of the same image is skipped); the
scan's `ScanImage` rows are replaced with its other derivatives, in one transaction.
"""

import hashlib

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

from documents import changes
from documents.models import Scan, ScanImage, iiif_file_path
from documents.scans.processing import NotProcessed, made_from
from documents.tasks.storage import local_copy


def schedule(scan):
    """Queue the derivatives of a saved scan (pending), to be made by the worker."""
    make_scan_derivatives.enqueue(scan.pk)


@task()
def make_scan_derivatives(scan_id):
    """Make the thumbnail, display image and (for a PDF) public copy of one scan."""
    scan = Scan.objects.filter(pk=scan_id).first()
    if scan is None:
        return "The scan was deleted before its derivatives were made."
    checksum = scan.sha256
    try:
        with local_copy(scan.file) as original, made_from(original, scan.media_type) as made:
            files = {
                "thumbnail": _named(made.thumbnail, "thumb.jpg"),
                "display_image": _named(made.display, "display.jpg"),
                "public_file": _named(made.public_pdf, "public.pdf") if made.public_pdf else None,
            }
            _store_iiif_files(made)
            return _finish(scan_id, checksum, files=files, facts=made)
    except NotProcessed as error:
        return _finish(scan_id, checksum, error=str(error))
    except FileNotFoundError:
        return _finish(scan_id, checksum, error="the original file is missing from storage.")


def _named(path, suffix):
    """The file at `path`, named by its own checksum (see models.scans.scan_derivative_to)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return path, f"{digest.hexdigest()}-{suffix}"


def _store_iiif_files(made):
    for image in made.images:
        folder = made.tiles / image["key"]
        for path in sorted(folder.rglob("*.jpg")):
            name = iiif_file_path(image["key"], path.relative_to(folder).as_posix())
            if not default_storage.exists(name):
                with path.open("rb") as handle:
                    default_storage.save(name, File(handle))


def _finish(scan_id, checksum, *, files=None, facts=None, error=""):
    with transaction.atomic():
        scan = Scan.objects.select_for_update().filter(pk=scan_id).first()
        if scan is None or scan.sha256 != checksum:
            # Deleted, or given another file meanwhile: that file has a task of its own.
            return "The scan changed before its derivatives were saved; nothing was changed."
        fields = ["processing", "processing_error"]
        if error:
            scan.processing, scan.processing_error = Scan.Processing.FAILED, error
        else:
            scan.processing, scan.processing_error = Scan.Processing.READY, ""
            scan.width, scan.height, scan.page_count = facts.width, facts.height, facts.pages
            fields += ["width", "height", "page_count"]
            for name, made in files.items():
                field = getattr(scan, name)
                if made is None:
                    setattr(scan, name, None)
                else:
                    path, file_name = made
                    with path.open("rb") as handle:
                        field.save(file_name, File(handle), save=False)
                fields.append(name)
            scan.images.all().delete()
            ScanImage.objects.bulk_create(
                ScanImage(scan=scan, page=number, **image)
                for number, image in enumerate(facts.images, start=1)
            )
            changes.record(documents=[scan.document_id], models=[ScanImage])
        scan.save(update_fields=fields)
    return scan.processing_status()
