"""One entry point for a photo or camera frame: barcodes first (fast), then the text of an ID card or a
passport's machine-readable zone (OCR, about a second). A document read from its text also comes back as the
photo cropped to it, which the application keeps as evidence."""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from pathlib import Path
from typing import Any

from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.scanning.barcodes import read_barcodes, scan_barcode_image, source_name
from app.scanning.id_card import parse_back, parse_front, recognise_side
from app.scanning.ocr import lines_of, picture_of, read_boxes, tilt_degrees
from app.scanning.passport import passport_result, read_mrz_lines
from app.scanning.payload import ScanResult
from app.scanning.photos import as_jpeg

Boxes = list[tuple[list[list[float]], str, float]]

# The crop keeps this many text-line heights around the text read: on a card or a passport page the print
# starts one to two lines from the edge, and a sliver of the counter around the card costs less than a cut edge.
MARGIN_LINES = 2.0
# A resident ID card is an ID-1 card, 85.6 × 54 mm. The front's portrait is right of the name and address lines,
# where no text is read, so a front's crop is widened to the right to the card's proportions; a back's (the
# emblem beside the title) both ways. A passport's machine-readable zone spans its page: no widening.
ID_CARD_ASPECT = 85.6 / 54


def scan_image(path: Path | Any, today: dt.date | None = None) -> ScanResult:
    """What the image (a file, or an in-memory PIL image such as a camera frame) shows: a barcode, either side
    of a resident ID card, or a passport page. A card's side or a passport page comes with `document` (id_front,
    id_back, passport) and `document_image`, the photo cropped to the document as a JPEG.

    Raises InvalidInput (scan_nothing_found) when none of them can be read.
    """
    today = today or dt.date.today()
    if read_barcodes(path):
        return scan_barcode_image(path, today)
    name = source_name(path)
    picture = picture_of(path)
    raw = read_boxes(picture, name=name)
    for attempt in range(2):
        lines = lines_of(raw)
        side = recognise_side(lines)
        if side == "back":
            return _with_document(parse_back(lines), "id_back", picture, raw)
        if side == "front":
            return _with_document(parse_front(lines, today), "id_front", picture, raw)
        zone = read_mrz_lines(lines, today)
        if zone is not None and (zone.valid or attempt == 1):
            return _with_document(passport_result(zone), "passport", picture, raw)
        tilt = tilt_degrees(raw)
        if attempt == 1 or abs(tilt) < 1:
            if zone is not None:
                return _with_document(passport_result(zone), "passport", picture, raw)
            break
        # A tilted page can hide a line from the text detector: straighten the photo and read it once more.
        picture = picture.rotate(tilt, expand=True, fillcolor=(255, 255, 255))
        raw = read_boxes(picture, name=name)
    raise InvalidInput(
        _("Nothing readable was found in {name}: no barcode, ID card or passport zone.").format(name=name),
        code="scan_nothing_found",
    )


def _with_document(result: ScanResult, document: str, picture: Any, raw: Boxes) -> ScanResult:
    return dataclasses.replace(result, document=document, document_image=as_jpeg(document_crop(picture, raw, document)))


def document_box(raw: Boxes, size: tuple[int, int], document: str) -> tuple[int, int, int, int]:
    """Where the document is in a picture of `size` (width, height), from the text boxes read on it: their
    bounding box with a margin, a card's widened to its proportions, within the picture (left, top, right,
    bottom)."""
    xs = [point[0] for box, _text, _conf in raw for point in box]
    ys = [point[1] for box, _text, _conf in raw for point in box]
    line = statistics.median(abs(box[3][1] - box[0][1]) or 1.0 for box, _text, _conf in raw)
    margin = MARGIN_LINES * line
    left, top, right, bottom = min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin
    missing = ID_CARD_ASPECT * (bottom - top) - (right - left)
    if document == "id_front" and missing > 0:
        right += missing
    elif document == "id_back" and missing > 0:
        left, right = left - missing / 2, right + missing / 2
    width, height = size
    return (
        max(0, int(left)),
        max(0, int(top)),
        min(width, round(right)),
        min(height, round(bottom)),
    )


def document_crop(picture: Any, raw: Boxes, document: str) -> Any:
    """The part of `picture` (a PIL image) that shows the document (see `document_box`); the whole picture when
    no text box was read."""
    if not raw:
        return picture
    return picture.crop(document_box(raw, picture.size, document))
