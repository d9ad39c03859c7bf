"""Opening an image file to scan, with its size checked before a single pixel is decoded.

A PNG of one colour compresses about a thousand to one: 900 KB on disk can claim 30000×30000 pixels and need
900 MB (greyscale) to 2.7 GB (colour) once decoded. Pillow reads only the header when a file is opened, so the
claimed size is checked there and a picture larger than any ID photo is refused as bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.kernel.errors import InvalidInput
from app.kernel.i18n import _

if TYPE_CHECKING:
    from PIL.Image import Image

# The most pixels an image to scan may have: a full-resolution 50-megapixel phone photo (8160×6120) fits; an ID
# card or passport page photographed at the counter has a tenth of that. Decoded in colour it is at most ~150 MB.
MAX_IMAGE_PIXELS = 50_000_000


class ImageTooLarge(InvalidInput):
    """The image claims more pixels than MAX_IMAGE_PIXELS; it was not decoded."""

    code = "image_too_large"


def _too_large(path: Path) -> ImageTooLarge:
    return ImageTooLarge(
        _("{name} has more than {limit} million pixels: far more than a photo of a document needs.").format(
            name=path.name, limit=MAX_IMAGE_PIXELS // 1_000_000
        )
    )


def open_image(path: Path) -> Image:
    """The image in `path`, opened but not decoded (Pillow decodes on first use). Raises InvalidInput:
    image_too_large when its header claims more than MAX_IMAGE_PIXELS pixels, bad_image when it is not an
    image Pillow can read."""
    from PIL import Image, UnidentifiedImageError

    try:
        # Pillow itself only warns from 89 megapixels (the warning is left alone: silencing it is not thread-safe)
        # and refuses from 179; the limit here is lower, and its refusal is in the user's language.
        image = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise _too_large(path) from exc
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise InvalidInput(
            _("{name} is not an image that can be read.").format(name=path.name), code="bad_image"
        ) from exc
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        image.close()
        raise _too_large(path)
    return image
