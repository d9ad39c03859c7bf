"""Photos kept with an application (the ID card's sides, the passport page, the live photo of the customer):
decoded with the size check of app.scanning.image_file, turned upright as the camera held them, at most
MAX_SIDE pixels on the long side, and re-encoded as JPEG with no metadata — no EXIF (camera, place, time), no
comment, no colour profile — so that what is kept and sent is the picture and nothing else."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.scanning.image_file import MAX_IMAGE_PIXELS, ImageTooLarge

if TYPE_CHECKING:
    from PIL.Image import Image

# A reviewer reads an ID card's smallest print and sees a face clearly at 2000 pixels across; a phone's
# 50-megapixel photo (8160 px) would be 20 MB of JPEG to keep and send for nothing more.
MAX_SIDE = 2000
# High enough that the card's small print and the number stay legible after a second encoding (a scan's
# cropped document is JPEG already); about 300 KB for a 2000 × 1260 card.
JPEG_QUALITY = 90


def _unreadable(name: str) -> InvalidInput:
    return InvalidInput(_("{name} is not an image that can be read.").format(name=name), code="bad_image")


def decode(data: bytes, name: str) -> Image:
    """The image in `data` as upright RGB pixels (its EXIF orientation applied), decoded only after its header's
    size was checked. Raises InvalidInput: image_too_large, or bad_image when it is not an image (`name` says
    which picture in the message, e.g. "live photo")."""
    from PIL import Image as PilImage
    from PIL import ImageOps, UnidentifiedImageError

    try:
        image = PilImage.open(io.BytesIO(data))
    except PilImage.DecompressionBombError as exc:
        raise _too_large(name) from exc
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise _unreadable(name) from exc
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_large(name)
    try:
        upright = ImageOps.exif_transpose(image)
        rgb = (upright or image).convert("RGB")
    except (OSError, ValueError, SyntaxError) as exc:  # a truncated or damaged file fails while decoding
        raise _unreadable(name) from exc
    return rgb


def _too_large(name: str) -> ImageTooLarge:
    return ImageTooLarge(
        _("{name} has more than {limit} million pixels: far more than a photo of a document needs.").format(
            name=name, limit=MAX_IMAGE_PIXELS // 1_000_000
        )
    )


def as_jpeg(image: Image, max_side: int = MAX_SIDE) -> bytes:
    """`image` as a JPEG of at most `max_side` pixels on its long side, without any metadata."""
    from PIL import Image as PilImage

    rgb = image.convert("RGB")
    if max(rgb.size) > max_side:
        scale = max_side / max(rgb.size)
        rgb = rgb.resize(
            (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))), PilImage.Resampling.LANCZOS
        )
    clean = PilImage.new("RGB", rgb.size)  # a fresh image: nothing of the source's info (EXIF, ICC, comment)
    clean.paste(rgb)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def kept_jpeg(data: bytes, name: str) -> bytes:
    """The photo in `data` as it is kept: upright, at most MAX_SIDE pixels on the long side, JPEG without
    metadata. Raises InvalidInput (bad_image, image_too_large) as `decode` does."""
    return as_jpeg(decode(data, name))
