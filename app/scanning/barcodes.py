"""Barcodes and QR codes in images, with zxing-cpp. PDF417 stops reading past a few degrees of tilt and can
return garbage marked valid, so rotations are retried and only payloads that pass a format check count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.scanning.image_file import open_image
from app.scanning.payload import ScanResult, classify_payload

if TYPE_CHECKING:
    from PIL.Image import Image

ROTATIONS = (0, -4, 4, -8, 8, -12, 12, 90, 180, 270)


@dataclass(frozen=True)
class DecodedBarcode:
    format: str
    text: str
    rotation: int


def _open(path: Path) -> Image:
    from PIL import UnidentifiedImageError

    image = open_image(path)  # refuses an image too large to decode before decoding it
    try:
        image.load()
    except (OSError, UnidentifiedImageError) as exc:
        raise InvalidInput(
            _("{name} is not an image that can be read.").format(name=path.name), code="bad_image"
        ) from exc
    return image.convert("L")


def _plausible(text: str) -> bool:
    printable = sum(ch.isprintable() or ch in "\r\n" for ch in text)
    return bool(text) and printable / len(text) > 0.95


def source_name(source: Path | Any) -> str:
    """How messages name an image: its file name, or 'camera frame'."""
    return source.name if isinstance(source, Path) else _("camera frame")


def read_barcodes(source: Path | Any) -> list[DecodedBarcode]:
    """Every barcode in an image file or an in-memory PIL image (a camera frame is never written to disk),
    trying small tilts and quarter turns until something plausible reads."""
    import zxingcpp

    image = _open(source) if isinstance(source, Path) else source.convert("L")
    for angle in ROTATIONS:
        view = image if angle == 0 else image.rotate(angle, expand=True, fillcolor=255)
        found = [
            DecodedBarcode(str(b.format), b.text, angle)
            for b in zxingcpp.read_barcodes(view)
            if b.valid and _plausible(b.text)
        ]
        if found:
            return found
    return []


def scan_barcode_image(source: Path | Any, today: dt.date | None = None) -> ScanResult:
    """The first barcode in the image, recognised (ID number, MRZ, IMEI or other); raises if none reads."""
    found = read_barcodes(source)
    if not found:
        raise InvalidInput(
            _("No barcode could be read in {name}.").format(name=source_name(source)), code="scan_nothing_found"
        )
    result = classify_payload(found[0].text, today)
    # The kind is "barcode" whatever it carries; the fields say what the payload was recognised as.
    return ScanResult("barcode", {**result.fields, "payload": found[0].text}, result.confidence, result.validation)
