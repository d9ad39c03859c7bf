"""A passport's machine-readable zone read from a photo. Raw OCR confuses O/0, I/1, Z/2, S/5 and B/8 and
mangles the '<' fillers (CHN → 0H2), so every character is corrected by the type of its field, and only what
the check digits then confirm is accepted. Names have no check digit: the clerk confirms them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from pathlib import Path

from app.domain.mrz import Mrz, parse_mrz
from app.kernel.errors import InvalidInput
from app.scanning.ocr import TextLine, lines_of, read_boxes
from app.scanning.payload import ScanResult, passport_result

__all__ = ["passport_result", "read_mrz_lines", "scan_passport"]

_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8", "G": "6"})
_TO_ALPHA = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G"})
# TD3 line 2: which characters are digits (D), letters (A), either (X), sex (S)
_LINE2 = "XXXXXXXXXD" + "AAA" + "DDDDDDD" + "S" + "DDDDDDD" + "XXXXXXXXXXXXXX" + "X" + "D"
_AMBIGUOUS = {"0": "O", "O": "0", "1": "I", "I": "1", "2": "Z", "Z": "2", "5": "S", "S": "5", "8": "B", "B": "8"}


def _clean(text: str) -> str:
    text = text.upper().replace(" ", "").replace("«", "<").replace("‹", "<").replace("〈", "<")
    return re.sub(r"[^A-Z0-9<]", "<", text)


def _fix(line: str, pattern: str) -> str:
    out = []
    for ch, kind in zip(line, pattern, strict=False):
        if kind == "D":
            ch = ch.translate(_TO_DIGIT)
        elif kind == "A":
            ch = ch.translate(_TO_ALPHA)
        elif kind == "S" and ch not in "MF<":
            ch = "<"
        out.append(ch)
    return "".join(out)


def _candidates(lines: list[TextLine]) -> tuple[str, str] | None:
    cleaned = [_clean(line.text) for line in lines]
    # The second line carries every check digit; find it first, then take the line above it for the names.
    seconds = [i for i, c in enumerate(cleaned) if len(c.rstrip("<")) >= 30 and c.count("<") >= 1]
    if not seconds:
        return None
    index = seconds[-1]
    two = cleaned[index].rstrip("<")[:44]
    above = cleaned[index - 1] if index > 0 and "<" in cleaned[index - 1] else "P<"
    one = above if above.startswith("P") else "P" + above
    one = one[:44].ljust(44, "<")
    if len(two) < 44:  # OCR dropped fillers inside the optional field: put them back before the last digits
        two = two[:-2].ljust(42, "<") + two[-2:]
    return one, two


def _with_document_number_variants(two: str) -> list[str]:
    # The document number mixes letters and digits, so its O/0-style confusions are tried against its check.
    number = two[:9]
    spots = [i for i, ch in enumerate(number) if ch in _AMBIGUOUS]
    variants = []
    for choice in itertools.product((False, True), repeat=min(len(spots), 6)):
        chars = list(number)
        for flip, i in zip(choice, spots, strict=False):
            if flip:
                chars[i] = _AMBIGUOUS[chars[i]]
        variants.append("".join(chars) + two[9:])
    return variants


_VIZ_LABELS = {"surname": re.compile(r"SURNAME\s*[/:]?\s*"), "given_names": re.compile(r"GIVEN\s*NAMES?\s*[/:]?\s*")}


def _name_text(text: str) -> str:
    return " ".join(re.sub(r"[^A-Z ]", " ", text.upper()).split())


def _viz_names(lines: list[TextLine]) -> dict[str, str]:
    """Names printed in the visual zone ("Surname / ZHANG", or the name on the line under the label). OCR
    reads these plain words far better than the '<'-filled first line of the zone."""
    found: dict[str, str] = {}
    texts = [line.text.upper() for line in lines]
    for i, text in enumerate(texts):
        for key, pattern in _VIZ_LABELS.items():
            match = pattern.search(text)
            if match is None or key in found or "<" in text:
                continue
            value = _name_text(text[match.end() :])
            below = texts[i + 1] if i + 1 < len(texts) else ""
            if not value and "<" not in below and not any(p.search(below) for p in _VIZ_LABELS.values()):
                value = _name_text(below)
            if value:
                found[key] = value
    return found


def read_mrz_lines(lines: list[TextLine], today: dt.date) -> Mrz | None:
    """The zone in OCR lines, corrected by field type; the first reading whose checks all hold, else the best.
    Names (which no check digit covers) come from the printed visual zone when it is readable."""
    zone = _read_zone(lines, today)
    if zone is None:
        return None
    viz = _viz_names(lines)
    if "surname" in viz:

        def better(printed: str, coded: str) -> str:
            # The printed zone's words are read better; the coded line keeps the spaces OCR may drop there.
            return coded if coded.replace(" ", "") == printed.replace(" ", "") else printed

        zone = dataclasses.replace(
            zone,
            surname=better(viz.get("surname", ""), zone.surname),
            given_names=better(viz.get("given_names", ""), zone.given_names),
        )
    return zone


def _read_zone(lines: list[TextLine], today: dt.date) -> Mrz | None:
    found = _candidates(lines)
    if found is None:
        return None
    one, two = found
    one = one[:2] + one[2:5].translate(_TO_ALPHA) + one[5:].translate(_TO_ALPHA)
    two = _fix(two, _LINE2)
    best: Mrz | None = None
    for variant in _with_document_number_variants(two):
        try:
            zone = parse_mrz(f"{one}\n{variant}", today)
        except InvalidInput:
            continue
        if zone.valid:
            return zone
        if best is None or sum(zone.checks.values()) > sum(best.checks.values()):
            best = zone
    return best


def scan_passport(path: Path, today: dt.date | None = None) -> ScanResult | None:
    """Read a passport data page's zone from a photo; None if no zone is found."""
    zone = read_mrz_lines(lines_of(read_boxes(path)), today or dt.date.today())
    return None if zone is None else passport_result(zone)
