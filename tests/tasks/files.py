"""Files that are small on disk and huge once decoded, made without decoding them here."""

import io
import struct
import zlib

import pikepdf
from PIL import ExifTags, Image

_COLOUR_TYPES = {"1": (0, 1, 1), "L": (0, 8, 1), "P": (3, 8, 1), "RGB": (2, 8, 3)}


def flat_png(width, height, mode="RGB"):
    """A PNG of one colour, written row by row: a few hundred KB however many pixels."""
    colour_type, depth, channels = _COLOUR_TYPES[mode]
    row = b"\x00" + bytes((width * depth * channels + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = io.BytesIO()
    rows_at_once = max(1, 4_000_000 // len(row))
    for start in range(0, height, rows_at_once):
        idat.write(compressor.compress(row * min(rows_at_once, height - start)))
    idat.write(compressor.flush())
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    _chunk(out, b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0))
    if mode == "P":
        _chunk(out, b"PLTE", bytes([255, 255, 255]))
    _chunk(out, b"IDAT", idat.getvalue())
    _chunk(out, b"IEND", b"")
    return out.getvalue()


def _chunk(out, kind, data):
    out.write(struct.pack(">I", len(data)) + kind + data)
    out.write(struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def gps_jpeg(size=(400, 300)):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Archive scanner"
    exif[ExifTags.Base.Software] = "Secret Scanner Suite"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (38.0, 4.0, 48.0)
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def pdf_with_metadata():
    """A one-page PDF with an author, XMP metadata and a JPEG photo carrying GPS EXIF."""
    photo = gps_jpeg()
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(400, 300))
    page = pdf.pages[0]
    image = pikepdf.Stream(pdf, photo)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 400, 300, 8
    image.ColorSpace, image.Filter = pikepdf.Name.DeviceRGB, pikepdf.Name.DCTDecode
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pikepdf.Stream(pdf, b"q 400 0 0 300 0 0 cm /Im0 Do Q")
    pdf.docinfo["/Author"] = "Agent Zarnitsa"
    pdf.docinfo["/Producer"] = "Secret Scanner Suite"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = ["Agent Zarnitsa"]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def huge_page_pdf(side=14400):
    """A PDF whose single page is `side` points square (200 inches at the largest PDF allows)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(side, side))
    pdf.pages[0].Contents = pikepdf.Stream(pdf, b"0 0 1 rg 0 0 100 100 re f")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def heavy_image_pdf(pixels=20000):
    """A small PDF whose page draws a `pixels`-square image: PDFium decodes it all to draw it."""
    row = bytes(pixels * 3)
    compressor = zlib.compressobj(9)
    data = io.BytesIO()
    for _ in range(0, pixels, 100):
        data.write(compressor.compress(row * 100))
    data.write(compressor.flush())
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(600, 600))
    page = pdf.pages[0]
    image = pikepdf.Stream(pdf, data.getvalue())
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width = image.Height = pixels
    image.BitsPerComponent, image.ColorSpace = 8, pikepdf.Name.DeviceRGB
    image.Filter = pikepdf.Name.FlateDecode
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pikepdf.Stream(pdf, b"q 600 0 0 600 0 0 cm /Im0 Do Q")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
