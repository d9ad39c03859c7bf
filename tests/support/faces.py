"""Live photos for tests, made here from scikit-image's public-domain astronaut portrait (inside its wheel, never
downloaded): one that passes the face check, and ones it refuses — no face, two faces, too small, blurred, too
dark."""

from __future__ import annotations

import io
from functools import cache

import numpy as np
from PIL import Image, ImageFilter


@cache
def astronaut() -> Image.Image:
    """Eileen Collins's NASA portrait, 512 × 512: one face, about 95 px across, sharp and well lit."""
    from skimage import data

    return Image.fromarray(data.astronaut())


def encoded(image: Image.Image, format: str = "PNG", **options: object) -> bytes:
    """`image` as the bytes of an image file (PNG by default, or JPEG…)."""
    out = io.BytesIO()
    image.save(out, format=format, **options)
    return out.getvalue()


def face() -> bytes:
    """A live photo the check passes."""
    return encoded(astronaut())


def dark_face() -> bytes:
    """The same photo at a quarter of its light: the face is found, and is too dark."""
    pixels = np.asarray(astronaut(), dtype=np.float64) * 0.25
    return encoded(Image.fromarray(pixels.astype(np.uint8)))


def blurred_face() -> bytes:
    """The same photo out of focus (Gaussian blur of 2.5 px): the face is found, and is blurred."""
    return encoded(astronaut().filter(ImageFilter.GaussianBlur(2.5)))


def small_face() -> bytes:
    """The portrait shrunk to 400 px in a 1600 × 1200 photo of a grey wall: a face 75 px across, a sixteenth of the
    photo's height — someone standing far from the camera."""
    wall = Image.new("RGB", (1600, 1200), (200, 200, 196))
    wall.paste(astronaut().resize((400, 400)), (600, 400))
    return encoded(wall)


def two_faces() -> bytes:
    """Two people side by side."""
    pair = Image.new("RGB", (1024, 512))
    pair.paste(astronaut(), (0, 0))
    pair.paste(astronaut(), (512, 0))
    return encoded(pair)


def no_face() -> bytes:
    """A picture without a face: scikit-image's cup of coffee."""
    from skimage import data

    return encoded(Image.fromarray(data.coffee()))
