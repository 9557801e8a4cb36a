"""A IIIF image's `info.json` (Image API 3.0, level 0), from its `ScanImage` row alone."""

IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
IMAGE_MEDIA_TYPE = f'application/ld+json;profile="{IMAGE_CONTEXT}"'
# Requests a level-0 service answers: the whole image at its full size, a listed size, or a tile.
FULL_IMAGE = "full/max/0/default.jpg"


def info(image, service_id):
    """The info.json of `image` (a ScanImage) served at `service_id`, its absolute address."""
    data = {
        "@context": IMAGE_CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level0",
        "width": image.width,
        "height": image.height,
        "tiles": [{"width": image.tile_size, "scaleFactors": list(image.scale_factors)}],
    }
    if image.sizes:
        data["sizes"] = [{"width": width, "height": height} for width, height in image.sizes]
    return data


def service(image, service_id):
    """The reference to the image service a Manifest's painting annotation carries."""
    return {"id": service_id, "type": "ImageService3", "profile": "level0"}


def smallest_size(image):
    """(width, height, path) of the smallest whole image a client may ask for."""
    if image.sizes:
        width, height = min(image.sizes)
        return width, height, f"full/{width},{height}/0/default.jpg"
    return image.width, image.height, FULL_IMAGE
