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
  JPEG images;
- `iiif/KEY/...`: for an image, and for every page of a PDF, the static files of a IIIF Image
  API 3.0 level-0 service: `full/max/0/default.jpg`, the tiles of a pyramid
  (`x,y,w,h/w,h/0/default.jpg`, the canonical form viewers such as OpenSeadragon ask for) and
  the whole image at each size small enough for one tile (`full/w,h/0/default.jpg`). KEY is the
  checksum of the full-size JPEG, so the address says nothing of the original. The image is
  bounded: a picture is tiled no larger than IMAGE_MAX_SIDE pixels a side, a PDF page is drawn
  no larger than PDF_PAGE_SIDE.

It prints `{"width": ..., "height": ..., "pages": ..., "images": [{"key": ..., "width": ...,
"height": ..., "tile_size": ..., "scale_factors": [...], "sizes": [[w, h], ...]}, ...]}` (one
image per page) and exits 0, or prints `{"error": "sentence"}` and exits 3 when the file cannot
be read.
"""

import hashlib
import io
import json
import sys
from pathlib import Path

THUMBNAIL_SIZE = 320
DISPLAY_SIZE = 1600
# The IIIF image of a page: tiles of TILE_SIZE pixels, from an image at most this large.
TILE_SIZE = 512
TILE_QUALITY = 80
IMAGE_MAX_SIDE = 6000
PDF_PAGE_SIDE = 2400
EXIT_UNREADABLE = 3
_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/tiff": "TIFF"}
# EXIF orientation -> the transpose that shows the image upright (as ImageOps.exif_transpose).
_ORIENTATIONS = {2: 0, 3: 3, 4: 1, 5: 5, 6: 4, 7: 6, 8: 2}  # Image.Transpose values


class Unreadable(Exception):
    """The file cannot be read; the message is a sentence for the curator."""


def make_derivatives(original, media_type, out_dir, max_pixels):
    out_dir = Path(out_dir)
    tiles = out_dir / "iiif"
    if media_type == "application/pdf":
        width, height, pages, images, first = _render_pdf(original, tiles)
        _strip_pdf(original, out_dir / "public.pdf")
    else:
        width, height, pages, page = _decode_image(original, _FORMATS[media_type], max_pixels)
        page = _to_rgb(page)
        images = [tile(page, tiles)]
        first = _shrink(page, DISPLAY_SIZE)
        del page
    display = _to_rgb(_shrink(first, DISPLAY_SIZE))
    _save_jpeg(display, out_dir / "display.jpg")
    _save_jpeg(_shrink(display, THUMBNAIL_SIZE), out_dir / "thumbnail.jpg")
    return {"width": width, "height": height, "pages": pages, "images": images}


# IIIF tiles ---------------------------------------------------------------------------------


def tile(image, root):
    """Write the level-0 IIIF files of an RGB image under root/KEY; return its facts.

    Scale factors double until the whole image fits one tile; each tile of each level is cut
    from the image reduced by that factor, and is named by its region of the full image and its
    own size, as a viewer computes them: a region of `TILE_SIZE × factor` pixels (less at the
    right and bottom edges) shown at `ceil(region / factor)` pixels.
    """
    width, height = image.size
    full = io.BytesIO()
    _save_jpeg(image, full, quality=TILE_QUALITY, optimize=False)
    key = hashlib.sha256(full.getvalue()).hexdigest()
    base = Path(root) / key
    _write(base / "full" / "max" / "0" / "default.jpg", full.getvalue())
    del full
    factors = [1]
    while max(width, height) > TILE_SIZE * factors[-1]:
        factors.append(factors[-1] * 2)
    sizes = []
    level = image
    for factor in factors:
        if factor > 1:
            level = level.reduce(2)  # ceil(w / 2) of the level before: ceil(w / factor)
        step = TILE_SIZE * factor
        for y in range(0, height, step):
            for x in range(0, width, step):
                region_w, region_h = min(step, width - x), min(step, height - y)
                tile_w, tile_h = -(-region_w // factor), -(-region_h // factor)
                whole = (region_w, region_h) == (width, height)
                size = "max" if (tile_w, tile_h) == (width, height) else f"{tile_w},{tile_h}"
                if whole and size == "max":
                    continue  # full/max, written above
                region = "full" if whole else f"{x},{y},{region_w},{region_h}"
                left, top = x // factor, y // factor
                piece = level.crop((left, top, left + tile_w, top + tile_h))
                _save_jpeg(piece, base / region / size / "0" / "default.jpg", quality=TILE_QUALITY)
        if factor > 1 and max(level.size) <= TILE_SIZE:
            sizes.append(list(level.size))
    return {
        "key": key,
        "width": width,
        "height": height,
        "tile_size": TILE_SIZE,
        "scale_factors": factors,
        "sizes": sorted(sizes),
    }


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


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
            # Decode at 1/2, 1/4 or 1/8 of the size when that still covers the tiled image.
            image.draft(None, (IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
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
    # Whole-factor box reduction in the image's own mode, to the bound of the tiled image.
    factor = -(-max(image.size) // IMAGE_MAX_SIDE)
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


def _save_jpeg(image, path, *, quality=85, optimize=True):
    from PIL import Image

    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
    # A new image holding the pixels only: no info, EXIF or ICC profile comes along.
    pixels = Image.new("RGB", image.size)
    pixels.paste(image)
    pixels.save(path, "JPEG", quality=quality, optimize=optimize)


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


def _render_pdf(original, tiles):
    """Draw every page no larger than PDF_PAGE_SIDE and tile it; keep the first for display."""
    pdf, width, height, pages = open_pdf(original)
    images, first = [], None
    try:
        for number in range(pages):
            page = pdf[number]
            page_width, page_height = page.get_size()
            if min(page_width, page_height) <= 0:
                raise Unreadable(f"page {number + 1} of the PDF has no size")
            scale = min(PDF_PAGE_SIDE / max(page_width, page_height), 4.0)
            image = _to_rgb(page.render(scale=scale).to_pil())
            page.close()
            images.append(tile(image, tiles))
            if first is None:
                first = _shrink(image, DISPLAY_SIZE)
            del image
        return width, height, pages, images, first
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
