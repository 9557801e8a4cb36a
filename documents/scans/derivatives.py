"""Make a scan's derivatives: the program the worker runs in a child process with limits.

It imports no Django and no other module of the archive, so that it starts in a fraction of a
second and its memory is its own: `documents/scans/processing.py` runs it as
`python -I derivatives.py ORIGINAL MEDIA_TYPE OUTPUT_DIR MAX_PIXELS` under an address-space
limit and a timeout, and reads one line of JSON from its output.

What it writes into OUTPUT_DIR, all from pixels or objects alone (no EXIF, GPS, XMP, colour
profile or document information is carried over):
- `thumbnail.jpg` and `display.jpg`, decoded at reduced size (JPEG's draft mode scales by 1/2 to
  1/8 while decoding; other images are reduced by whole factors straight after decoding, in
  their own mode, before any conversion), the first page for a PDF rendered at a bounded size;
- for a PDF, `public.pdf`: the original's pages without its document information, XMP metadata,
  attachments or scripts, and with the EXIF and other application segments taken out of its
  JPEG images.

It prints `{"width": ..., "height": ..., "pages": ...}` and exits 0, or prints `{"error":
"sentence"}` and exits 3 when the file cannot be read.
"""

import io
import json
import sys
from pathlib import Path

THUMBNAIL_SIZE = 320
DISPLAY_SIZE = 1600
EXIT_UNREADABLE = 3
_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/tiff": "TIFF"}
# EXIF orientation -> the transpose that shows the image upright (as ImageOps.exif_transpose).
_ORIENTATIONS = {2: 0, 3: 3, 4: 1, 5: 5, 6: 4, 7: 6, 8: 2}  # Image.Transpose values


class Unreadable(Exception):
    """The file cannot be read; the message is a sentence for the curator."""


def make_derivatives(original, media_type, out_dir, max_pixels):
    out_dir = Path(out_dir)
    if media_type == "application/pdf":
        width, height, pages, page = _render_pdf(original)
        _strip_pdf(original, out_dir / "public.pdf")
    else:
        width, height, pages, page = _decode_image(original, _FORMATS[media_type], max_pixels)
    display = _to_rgb(_shrink(page, DISPLAY_SIZE))
    _save_jpeg(display, out_dir / "display.jpg")
    _save_jpeg(_shrink(display, THUMBNAIL_SIZE), out_dir / "thumbnail.jpg")
    return {"width": width, "height": height, "pages": pages}


# Images ------------------------------------------------------------------------------------


def _decode_image(original, pillow_format, max_pixels):
    from PIL import Image

    # The cap in force is the archive's (SCAN_MAX_PIXELS), not Pillow's default of 89.5 MP.
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        image = Image.open(original, formats=[pillow_format])
        width, height = image.size
        if width * height > max_pixels:
            raise Unreadable(
                f"the image is {width:,} × {height:,} pixels, more than the "
                f"{max_pixels / 1e6:.0f} megapixels scans may have"
            )
        pages = getattr(image, "n_frames", 1)
        orientation = image.getexif().get(0x0112)
        if pillow_format == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 of the size when that still covers the display image.
            image.draft(None, (DISPLAY_SIZE, DISPLAY_SIZE))
        image.load()
    except Image.DecompressionBombError as error:
        raise Unreadable(f"the image is too large to open safely ({error})") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise Unreadable(
            f"the file starts like a {pillow_format} image but cannot be read: it may be "
            f"damaged or truncated ({error})"
        ) from error
    if image.mode == "1":
        image = image.convert("L")
    elif image.mode in ("P", "PA"):
        image = image.convert(
            "RGBA" if "transparency" in image.info or image.mode == "PA" else "RGB"
        )
    # Whole-factor box reduction in the image's own mode; what is left still covers the display.
    factor = max(1, max(image.size) // (2 * DISPLAY_SIZE))
    if factor > 1:
        image = image.reduce(factor)
    if orientation in _ORIENTATIONS:
        image = image.transpose(Image.Transpose(_ORIENTATIONS[orientation]))
    return width, height, pages, image


def _shrink(image, size):
    image = image.copy()
    image.thumbnail((size, size))
    return image


def _to_rgb(image):
    from PIL import Image

    if image.mode in ("RGBA", "LA"):
        background = Image.new("RGBA", image.size, "white")
        background.alpha_composite(image.convert("RGBA"))
        image = background
    elif image.mode.startswith("I;16") or image.mode in ("I", "F"):
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _save_jpeg(image, path):
    from PIL import Image

    # A new image holding the pixels only: no info, EXIF or ICC profile comes along.
    pixels = Image.new("RGB", image.size)
    pixels.paste(image)
    pixels.save(path, "JPEG", quality=85, optimize=True)


# PDF ---------------------------------------------------------------------------------------


def open_pdf(original):
    """(the open PDF, its first page's width and height in points, its page count).

    Unreadable, with the reason, when PDFium cannot read it, it has no pages or its first page
    has no size. The upload check (`documents.scans`) reads PDFs through this too, so the form
    and the worker give the same reasons. The caller closes the PDF.
    """
    import pypdfium2

    try:
        # PDFium reads the parts it needs from the file object, not a copy of it all.
        pdf = pypdfium2.PdfDocument(original)
    except pypdfium2.PdfiumError as error:
        raise Unreadable(
            f"the file starts like a PDF but cannot be read: it may be damaged or "
            f"password-protected ({error})"
        ) from error
    pages = len(pdf)
    width, height = (round(side) for side in pdf[0].get_size()) if pages else (0, 0)
    if pages == 0 or width <= 0 or height <= 0:
        pdf.close()
        raise Unreadable(
            "the PDF has no pages" if pages == 0 else "the first page of the PDF has no size"
        )
    return pdf, width, height, pages


def _render_pdf(original):
    pdf, width, height, pages = open_pdf(original)
    try:
        # However large the page, it is rendered no larger than the display image.
        scale = min(DISPLAY_SIZE / max(width, height), 4.0)
        image = pdf[0].render(scale=scale).to_pil()
        image.load()
        return width, height, pages, image
    finally:
        pdf.close()


# Keys that carry metadata, attachments or scripts, on whichever object holds them.
_PDF_PRIVATE_KEYS = ("/Metadata", "/PieceInfo", "/EmbeddedFiles", "/JavaScript", "/AA")


def _strip_pdf(original, target):
    import pikepdf

    try:
        pdf = pikepdf.open(original)
    except pikepdf.PdfError as error:
        raise Unreadable(f"the PDF cannot be read to remove its metadata ({error})") from error
    with pdf:
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        for key in ("/OpenAction", "/Names"):
            if key in pdf.Root:
                del pdf.Root[key]
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            for key in _PDF_PRIVATE_KEYS:
                if key in obj:
                    del obj[key]
            if (
                isinstance(obj, pikepdf.Stream)
                and obj.get("/Subtype") == pikepdf.Name.Image
                and obj.get("/Filter") == pikepdf.Name.DCTDecode
            ):
                raw = obj.read_raw_bytes()
                stripped = strip_jpeg_segments(raw)
                if stripped != raw:
                    obj.write(stripped, filter=pikepdf.Name.DCTDecode)
        pdf.save(target, fix_metadata_version=False, deterministic_id=True)


def strip_jpeg_segments(data):
    """A JPEG without its APP1–APP13 and APP15 segments (EXIF, GPS, XMP, IPTC) or comments.

    APP0 (JFIF) and APP14 (Adobe, which says how the colours are encoded) are kept.
    """
    if data[:2] != b"\xff\xd8":
        return data
    out = io.BytesIO()
    out.write(data[:2])
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return data  # not a marker where one should be: leave the image as it is
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the compressed pixels follow to the end
            out.write(data[position:])
            return out.getvalue()
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        segment = data[position : position + 2 + length]
        if not (0xE1 <= marker <= 0xED or marker in (0xEF, 0xFE)):
            out.write(segment)
        position += 2 + length
    return data


def main(argv):
    original, media_type, out_dir, max_pixels = argv
    try:
        facts = make_derivatives(original, media_type, out_dir, int(max_pixels))
    except Unreadable as error:
        print(json.dumps({"error": str(error)}))
        return EXIT_UNREADABLE
    except MemoryError:
        print(json.dumps({"error": "memory"}))
        return EXIT_UNREADABLE
    print(json.dumps(facts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
