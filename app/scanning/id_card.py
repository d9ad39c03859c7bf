"""Fields of a second-generation resident ID card read from a photo: the front (name, sex, ethnicity, birth
date, address, number) and the back (issuing authority, validity). Fields are found by their printed labels
and checked against each other: the number's check digit, and its birth date and sex against the printed ones."""

from __future__ import annotations

import datetime as dt
import re

from app.domain.identity import normalize_resident_id, parse_resident_id
from app.kernel.errors import InvalidInput
from app.scanning.ocr import TextLine
from app.scanning.payload import ScanResult

_NUMBER = re.compile(r"(\d{17}[\dXx])")
_BIRTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_VALIDITY = re.compile(r"(\d{4})[.\-](\d{2})[.\-](\d{2})\s*[-—–至]+\s*(长期|(\d{4})[.\-](\d{2})[.\-](\d{2}))")
_LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码", "签发机关", "有效期限")


def _after(text: str, label: str) -> str:
    return text.split(label, 1)[1].strip(" :：,，.。") if label in text else ""


def _strip_labels(text: str) -> str:
    for label in _LABELS:
        text = text.replace(label, " ")
    return " ".join(text.split())


def _date(y: str, m: str, d: str) -> str | None:
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def parse_front(lines: list[TextLine], today: dt.date) -> ScanResult:
    fields: dict[str, str | None] = {}
    confidence: dict[str, float] = {}
    address_parts: list[str] = []
    in_address = False
    for line in lines:
        text = line.text
        number = _NUMBER.search(text.replace(" ", ""))
        if number:
            fields["id_number"] = normalize_resident_id(number.group(1))
            confidence["id_number"] = line.confidence
            in_address = False
            continue
        if "姓名" in text:
            fields["name"] = _after(text, "姓名").replace(" ", "")
            confidence["name"] = line.confidence
        if "性别" in text:
            sex = re.search(r"性别\s*(男|女)", text)
            if sex:
                fields["sex"] = "M" if sex.group(1) == "男" else "F"
                confidence["sex"] = line.confidence
        if "民族" in text:
            fields["ethnicity"] = _after(text, "民族").split(" ")[0]
            confidence["ethnicity"] = line.confidence
        birth = _BIRTH.search(text)
        if birth:
            fields["birth_date"] = _date(*birth.groups())
            confidence["birth_date"] = line.confidence
        if "住址" in text:
            in_address = True
            address_parts = [_after(text, "住址")]
            confidence["address"] = line.confidence
        elif in_address and not any(label in text for label in _LABELS):
            address_parts.append(text)
            confidence["address"] = min(confidence["address"], line.confidence)
    if address_parts:
        fields["address"] = "".join(_strip_labels(p).replace(" ", "") for p in address_parts)
    validation: dict[str, bool] = {}
    if "id_number" in fields:
        try:
            resident = parse_resident_id(fields["id_number"] or "", today)
        except InvalidInput:
            validation["id_number"] = False
        else:
            validation["id_number"] = True
            if fields.get("birth_date"):
                validation["birth_date"] = fields["birth_date"] == resident.birth_date.isoformat()
            if fields.get("sex"):
                validation["sex"] = fields["sex"] == resident.sex
    return ScanResult("id_card_front", fields, confidence, validation)


def parse_back(lines: list[TextLine]) -> ScanResult:
    fields: dict[str, str | None] = {}
    confidence: dict[str, float] = {}
    validation: dict[str, bool] = {}
    for line in lines:
        text = line.text
        if "签发机关" in text:
            fields["issuing_authority"] = _after(text, "签发机关").replace(" ", "")
            confidence["issuing_authority"] = line.confidence
        validity = _VALIDITY.search(text.replace(" ", ""))
        if validity:
            start = _date(*validity.groups()[:3])
            end = None if validity.group(4) == "长期" else _date(*validity.groups()[4:7])
            fields["valid_from"], fields["valid_until"] = start, end
            confidence["valid_from"] = confidence["valid_until"] = line.confidence
            validation["valid_until"] = start is not None and (end is None or end > start)
    return ScanResult("id_card_back", fields, confidence, validation)


def recognise_side(lines: list[TextLine]) -> str | None:
    """'front', 'back', or None when the text is not from a resident ID card."""
    joined = " ".join(line.text for line in lines)
    if "签发机关" in joined or "有效期限" in joined:
        return "back"
    if "公民身份号码" in joined or "姓名" in joined:
        return "front"
    return None

