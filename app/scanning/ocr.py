"""Text in photos of ID cards and passports, offline: RapidOCR (PP-OCR models inside its wheel) on our
onnxruntime. The engine loads on first use (about half a second) and reads a card in about a second."""

from __future__ import annotations

import math
import statistics
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.kernel.errors import InvalidInput, Unavailable
from app.kernel.i18n import _
from app.scanning.image_file import ImageTooLarge, open_image

_engine: Any = None
_engine_lock = threading.Lock()


@dataclass(frozen=True)
class TextBox:
    text: str
    confidence: float
    x: float  # left edge, after deskewing
    y: float  # vertical centre, after deskewing
    height: float


@dataclass(frozen=True)
class TextLine:
    boxes: tuple[TextBox, ...]

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.boxes)

    @property
    def confidence(self) -> float:
        return min(b.confidence for b in self.boxes)


def _ocr() -> Any:
    global _engine
    with _engine_lock:
        if _engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:  # pragma: no cover - installed by the setup
                raise Unavailable(_("The text reader is not installed."), code="ocr_unavailable") from exc
            _engine = RapidOCR()
        return _engine


def warm_up() -> None:
    """Load the text reader now (about a second, once per process), so the first photo reads without the wait."""
    _ocr()


def picture_of(source: Path | Any) -> Any:
    """An image file (its size checked before a pixel is decoded) or an in-memory PIL image as a PIL RGB image.
    Raises InvalidInput: image_too_large, or bad_image when it cannot be read."""
    name = source.name if isinstance(source, Path) else _("camera frame")
    if isinstance(source, Path) and not source.is_file():
        raise InvalidInput(_("{name} is not an image that can be read.").format(name=name), code="bad_image")
    try:
        if isinstance(source, Path):
            with open_image(source) as image:  # an image too large to decode is refused before decoding
                return image.convert("RGB")
        return source.convert("RGB")
    except ImageTooLarge:
        raise
    except Exception as exc:  # Pillow raises many kinds on damaged files
        raise InvalidInput(_("{name} is not an image that can be read.").format(name=name), code="bad_image") from exc


def read_boxes(
    source: Path | Any, rotate_degrees: float = 0.0, name: str | None = None
) -> list[tuple[list[list[float]], str, float]]:
    """Raw OCR output for an image file or an in-memory PIL image (optionally turned first): (corner points,
    text, confidence) per box, in the coordinates of the (turned) image. A camera frame stays in memory: it is
    never written to disk. `name` is how a refusal names the picture (default: the file's name, or "camera
    frame")."""
    name = name or (source.name if isinstance(source, Path) else _("camera frame"))
    rgb = picture_of(source)
    try:
        import numpy as np

        if rotate_degrees:
            rgb = rgb.rotate(rotate_degrees, expand=True, fillcolor=(255, 255, 255))
        result, _elapsed = _ocr()(np.asarray(rgb)[:, :, ::-1])  # the engine takes OpenCV's BGR order
    except Unavailable:  # no OCR component installed: say so, not "a bad image"
        raise
    except Exception as exc:  # the OCR library raises many kinds on unreadable images
        raise InvalidInput(_("{name} is not an image that can be read.").format(name=name), code="bad_image") from exc
    return [(box, text, float(conf)) for box, text, conf in (result or [])]


def tilt_degrees(raw: list[tuple[list[list[float]], str, float]]) -> float:
    """The photo's tilt, from the slope of the wide text boxes (0 when there are none)."""
    slopes = []
    for points, _text, _conf in raw:
        (x0, y0), (x1, y1) = points[0], points[1]
        if x1 - x0 > 2 * abs(points[3][1] - y0):
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    return math.degrees(statistics.median(slopes)) if slopes else 0.0


def lines_of(raw: list[tuple[list[list[float]], str, float]]) -> list[TextLine]:
    """Group boxes into lines, top to bottom and left to right, after undoing the photo's tilt."""
    if not raw:
        return []
    angle = math.radians(tilt_degrees(raw))
    cos, sin = math.cos(-angle), math.sin(-angle)
    boxes = []
    for points, text, conf in raw:
        cx = sum(p[0] for p in points) / 4
        cy = sum(p[1] for p in points) / 4
        left = min(p[0] * cos - p[1] * sin for p in points)
        height = abs(points[3][1] - points[0][1]) or 1.0
        boxes.append(TextBox(text.strip(), conf, left, cx * sin + cy * cos, height))
    boxes.sort(key=lambda b: b.y)
    tolerance = statistics.median(b.height for b in boxes) * 0.6
    lines: list[list[TextBox]] = []
    for box in boxes:
        if lines and abs(box.y - statistics.mean(b.y for b in lines[-1])) <= tolerance:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [TextLine(tuple(sorted(line, key=lambda b: b.x))) for line in lines]
