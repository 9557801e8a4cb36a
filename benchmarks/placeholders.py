"""Rows that stand in for uploaded scans on large generated lists: a Scan row, no file.

The admin changelist benchmark and its tests only need a scan's row (its thumbnail path, its
order); making real images for 100,000 documents would measure the disk, not the list.
"""

from documents.models import Scan


def placeholder_scan(document, *, folder, name, number, **fields):
    """An unsaved Scan of `document` at scans/<folder>/<name>.jpg, its sha256 made of `number`."""
    return Scan(
        document=document,
        file=f"scans/{folder}/{name}.jpg",
        thumbnail=f"scans/derivatives/{folder}/{name}-thumb.jpg",
        sha256=f"{number:064d}",
        **{"media_type": "image/jpeg", **fields},
    )
