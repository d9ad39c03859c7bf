"""One entry point for a photo or camera frame: barcodes first (fast), then the text of an ID card or a
passport's machine-readable zone (OCR, about a second)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.scanning.barcodes import read_barcodes, scan_barcode_image, source_name
from app.scanning.id_card import parse_back, parse_front, recognise_side
from app.scanning.ocr import lines_of, read_boxes, tilt_degrees
from app.scanning.passport import passport_result, read_mrz_lines
from app.scanning.payload import ScanResult


def scan_image(path: Path | Any, today: dt.date | None = None) -> ScanResult:
    """What the image (a file, or an in-memory PIL image such as a camera frame) shows: a barcode, either side
    of a resident ID card, or a passport page.

    Raises InvalidInput (scan_nothing_found) when none of them can be read.
    """
    today = today or dt.date.today()
    if read_barcodes(path):
        return scan_barcode_image(path, today)
    raw = read_boxes(path)
    for attempt in range(2):
        lines = lines_of(raw)
        side = recognise_side(lines)
        if side == "back":
            return parse_back(lines)
        if side == "front":
            return parse_front(lines, today)
        zone = read_mrz_lines(lines, today)
        if zone is not None and (zone.valid or attempt == 1):
            return passport_result(zone)
        tilt = tilt_degrees(raw)
        if attempt == 1 or abs(tilt) < 1:
            if zone is not None:
                return passport_result(zone)
            break
        # A tilted page can hide a line from the text detector: straighten the photo and read it once more.
        raw = read_boxes(path, rotate_degrees=tilt)
    raise InvalidInput(
        _("Nothing readable was found in {name}: no barcode, ID card or passport zone.").format(name=source_name(path)),
        code="scan_nothing_found",
    )
