"""Checking uploaded scans, and making their derivatives in the background.

An upload is trusted for nothing its name or browser claims: its type is read from its first
bytes, its size and pixel count are capped before anything is decoded (a small file can decode
to gigabytes; `SCAN_MAX_PIXELS` is the cap, and Pillow's own is set from it), and EPS is refused
(it is a program, not a picture). That much is read from the file's header in the request.
Decoding happens later, in the worker (`documents/tasks/scans.py`), in a child process with a
memory and a time limit (`processing.py` runs `derivatives.py`): the thumbnail and display image
are re-encoded from pixels alone, and a PDF is given to the public without its metadata, so no
EXIF, GPS or other camera or authoring metadata reaches the public.
"""

import hashlib
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image

from documents.scans import derivatives

# First bytes of each accepted type, and of types refused by name so the message can say why.
_SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", "jpg", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png", "PNG"),
    (b"II*\x00", "image/tiff", "tif", "TIFF"),
    (b"MM\x00*", "image/tiff", "tif", "TIFF"),
    (b"%PDF-", "application/pdf", "pdf", None),
]
_EPS_SIGNATURES = (b"%!PS", b"\xc5\xd0\xd3\xc6")
_OTHER_KINDS = [
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a WebP image or another RIFF file"),
    (b"BM", "a BMP image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"<", "an HTML, XML or SVG file"),
]


@dataclass
class CheckedUpload:
    media_type: str
    extension: str
    byte_size: int
    sha256: str
    width: int | None
    height: int | None
    page_count: int


def check_upload(upload):
    """Check an uploaded file from its header; raise ValidationError saying why it is refused.

    Nothing is decoded here: the pixels are read by the worker (see the module's docstring).
    """
    max_bytes = settings.SCAN_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            f"The file is {_megabytes(upload.size)}; scans can be at most {_megabytes(max_bytes)}. "
            "Split a long PDF or save the image at a lower resolution."
        )
    upload.seek(0)
    head = upload.read(64)
    if not head:
        raise ValidationError("The file is empty.")
    media_type, extension, pillow_format = _sniff(head)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    if media_type == "application/pdf":
        width, height, pages = _read_pdf_header(upload)
    else:
        width, height, pages = _read_image_header(upload, pillow_format)
    upload.seek(0)
    return CheckedUpload(
        media_type=media_type,
        extension=extension,
        byte_size=upload.size,
        sha256=digest.hexdigest(),
        width=width,
        height=height,
        page_count=pages,
    )


def apply_upload(scan, upload, checked):
    """Fill a Scan from a checked upload: metadata, checksum and original; derivatives to come."""
    scan.media_type = checked.media_type
    scan.byte_size = checked.byte_size
    scan.sha256 = checked.sha256
    scan.width, scan.height = checked.width, checked.height
    scan.page_count = checked.page_count
    upload.name = f"{checked.sha256}.{checked.extension}"
    scan.file = upload
    # The derivatives of the file this replaces no longer apply; the worker makes new ones.
    scan.thumbnail = scan.display_image = scan.public_file = None
    scan.processing = scan.Processing.PENDING
    scan.processing_error = ""


def pillow_pixel_cap():
    """Set Pillow's decompression-bomb cap from SCAN_MAX_PIXELS (its default is 89.5 MP)."""
    Image.MAX_IMAGE_PIXELS = settings.SCAN_MAX_PIXELS
    return Image.MAX_IMAGE_PIXELS


def _sniff(data):
    if data.startswith(_EPS_SIGNATURES):
        raise ValidationError(
            "EPS (PostScript) files are refused: they are programs that run when opened. "
            "Save the page as PDF, TIFF, PNG or JPEG instead."
        )
    for signature, media_type, extension, pillow_format in _SIGNATURES:
        if data.startswith(signature):
            return media_type, extension, pillow_format
    kind = next((name for sig, name in _OTHER_KINDS if data.lstrip().startswith(sig)), None)
    described = f"This file is {kind}" if kind else "This file is of a type that is not accepted"
    raise ValidationError(
        f"{described}. Scans must be JPEG, PNG, TIFF or PDF files (checked from the file's "
        "contents, not its name)."
    )


def _read_image_header(upload, pillow_format):
    max_pixels = pillow_pixel_cap()
    try:
        with warnings.catch_warnings():
            # Pillow warns above its cap and refuses above twice it; the sentence is ours.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Opening reads the header only; the size is known before a pixel is decoded.
            with Image.open(upload, formats=[pillow_format]) as image:
                width, height = image.size
                pages = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError as error:
        found = re.search(r"\((\d+) pixels\)", str(error))
        size = f"{int(found.group(1)) / 1e6:,.0f} megapixels" if found else "too many pixels"
        raise ValidationError(
            f"The image has {size}; scans can have at most {max_pixels / 1e6:.0f} megapixels. "
            "Save it at a lower resolution."
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            f"The file starts like a {pillow_format} image but cannot be read: it may be damaged "
            f"or truncated ({error})."
        ) from error
    if width * height > max_pixels:
        raise ValidationError(_too_many_pixels(width, height, max_pixels))
    return width, height, pages


def _read_pdf_header(upload):
    try:
        pdf, width, height, pages = derivatives.open_pdf(upload)
    except derivatives.Unreadable as error:
        reason = str(error)
        raise ValidationError(f"{reason[0].upper()}{reason[1:]}.") from error
    pdf.close()
    return width, height, pages


def _too_many_pixels(width, height, max_pixels):
    return (
        f"The image is {width:,} × {height:,} pixels ({width * height / 1e6:.0f} megapixels); "
        f"scans can have at most {max_pixels / 1e6:.0f} megapixels. Save it at a lower resolution."
    )


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB"
