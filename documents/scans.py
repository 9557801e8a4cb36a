"""Checking uploaded scans and making their derivatives.

An upload is trusted for nothing its name or browser claims: its type is read from its first
bytes, its size and pixel count are capped (a small file can decode to gigabytes), EPS is refused
(it is a program, not a picture), and the derivatives shown publicly are re-encoded from pixels
alone, so no EXIF, GPS or other camera metadata survives into them.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

import pypdfium2
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

THUMBNAIL_SIZE = 320
DISPLAY_SIZE = 1600

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
class InspectedScan:
    media_type: str
    extension: str
    byte_size: int
    sha256: str
    width: int | None
    height: int | None
    page_count: int
    thumbnail: bytes
    display: bytes | None


def inspect_upload(upload):
    """Validate an uploaded file and make its derivatives; raise ValidationError saying why not."""
    max_bytes = settings.SCAN_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            f"The file is {_megabytes(upload.size)}; scans can be at most {_megabytes(max_bytes)}. "
            "Split a long PDF or save the image at a lower resolution."
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data:
        raise ValidationError("The file is empty.")
    media_type, extension, pillow_format = _sniff(data)
    digest = hashlib.sha256(data).hexdigest()
    if media_type == "application/pdf":
        width, height, pages, page_image = _read_pdf(data)
    else:
        width, height, pages, page_image = _read_image(data, pillow_format)
    try:
        thumbnail = _encode(page_image, THUMBNAIL_SIZE)
        display = _encode(page_image, DISPLAY_SIZE)
    except (OSError, ValueError) as error:
        raise ValidationError(f"The image could not be converted for display ({error}).") from error
    return InspectedScan(
        media_type=media_type,
        extension=extension,
        byte_size=len(data),
        sha256=digest,
        width=width,
        height=height,
        page_count=pages,
        thumbnail=thumbnail,
        display=display,
    )


def apply_upload(scan, upload, inspected):
    """Fill a Scan from a validated upload: metadata, checksum, original and derivatives."""
    scan.media_type = inspected.media_type
    scan.byte_size = inspected.byte_size
    scan.sha256 = inspected.sha256
    scan.width, scan.height = inspected.width, inspected.height
    scan.page_count = inspected.page_count
    upload.name = f"{inspected.sha256}.{inspected.extension}"
    scan.file = upload
    scan.thumbnail = ContentFile(inspected.thumbnail, name=f"{inspected.sha256}-thumb.jpg")
    scan.display_image = ContentFile(inspected.display, name=f"{inspected.sha256}-display.jpg")


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


def _read_image(data, pillow_format):
    max_pixels = settings.SCAN_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[pillow_format])
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(_too_many_pixels(width, height, max_pixels))
            pages = getattr(image, "n_frames", 1)
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            f"The image is too large to open safely ({error}). "
            "Save it at a lower resolution and upload it again."
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            f"The file starts like a {pillow_format} image but cannot be read: it may be damaged "
            f"or truncated ({error})."
        ) from error
    return width, height, pages, image


def _read_pdf(data):
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise ValidationError(
            f"The file starts like a PDF but cannot be read: it may be damaged or "
            f"password-protected ({error})."
        ) from error
    try:
        pages = len(pdf)
        if pages == 0:
            raise ValidationError("The PDF has no pages.")
        page = pdf[0]
        width, height = (round(side) for side in page.get_size())
        if width <= 0 or height <= 0:
            raise ValidationError("The first page of the PDF has no size.")
        scale = min(DISPLAY_SIZE / max(width, height), 4.0)
        image = page.render(scale=scale).to_pil()
        image.load()
        return width, height, pages, image
    finally:
        pdf.close()


def _encode(image, size):
    """Re-encode pixels only: orientation applied, metadata and colour profiles dropped."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, "white")
        background.alpha_composite(image)
        image = background
    elif image.mode.startswith("I;16") or image.mode in ("I", "F"):
        image = image.point(lambda value: value / 256).convert("L")
    image = image.convert("RGB")
    image.thumbnail((size, size))
    pixels = Image.new("RGB", image.size)
    pixels.paste(image)
    out = io.BytesIO()
    pixels.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _too_many_pixels(width, height, max_pixels):
    return (
        f"The image is {width:,} × {height:,} pixels ({width * height / 1e6:.0f} megapixels); "
        f"scans can have at most {max_pixels / 1e6:.0f} megapixels. Save it at a lower resolution."
    )


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB"
