"""What a scanned text is: a resident ID number, a machine-readable zone, an IMEI, or another barcode."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from stdnum import luhn

from app.domain.identity import normalize_resident_id, parse_resident_id
from app.domain.mrz import Mrz, parse_mrz, split_lines
from app.kernel.errors import InvalidInput


@dataclass(frozen=True)
class ScanResult:
    """A recognised payload: its kind, the fields read, how sure we are of each, and whether each checks out. A
    photo of an identity document also says which (`document`: id_front, id_back or passport, the kinds the
    application keeps it under) and carries the photo cropped to the document (`document_image`, a JPEG); a
    barcode, a typed or wedge-scanned text and a chip read have neither."""

    kind: str  # "id_number" | "passport" | "imei" | "barcode" | "id_card_front" | "id_card_back" | "id_card_chip"
    fields: dict[str, Any]
    confidence: dict[str, float] = field(default_factory=dict)
    validation: dict[str, bool] = field(default_factory=dict)
    document: str | None = None
    document_image: bytes | None = field(default=None, repr=False)  # personal: never in a log line


def classify_payload(text: str, today: dt.date | None = None) -> ScanResult:
    """Recognise a scanned or decoded text. Only what its own check digits confirm is marked valid."""
    today = today or dt.date.today()
    stripped = unicodedata.normalize("NFKC", text).strip()  # an input method may have made it full-width
    lines = split_lines(stripped)
    if len(lines) in (2, 3) and all(len(line) in (30, 36, 44) for line in lines):
        try:
            zone = parse_mrz(stripped, today)
        except InvalidInput:
            pass
        else:
            return passport_result(zone)
    compact = normalize_resident_id(stripped)
    if len(compact) == 18 and compact[:17].isdigit():
        try:
            resident = parse_resident_id(compact, today)
        except InvalidInput:
            return ScanResult("id_number", {"id_number": compact}, {"id_number": 0.0}, {"id_number": False})
        return ScanResult(
            "id_number",
            {"id_number": resident.number, "birth_date": resident.birth_date.isoformat(), "sex": resident.sex},
            {"id_number": 1.0},
            {"id_number": True},
        )
    if len(stripped) == 15 and stripped.isdigit():
        ok = luhn.is_valid(stripped)
        return ScanResult("imei", {"payload": stripped}, {"payload": 1.0 if ok else 0.0}, {"payload": ok})
    return ScanResult("barcode", {"payload": stripped}, {"payload": 1.0}, {"payload": bool(stripped)})


def masked(value: str) -> str:
    """A document number as it may be shown in passing: masked like everywhere else (app.domain.masking)."""
    from app.domain.masking import mask_id_number

    return mask_id_number(value)


def shown_value(result: ScanResult) -> str:
    """The one value a status line shows for a scan: ID and document numbers masked, other payloads as read."""
    if result.kind == "id_number":
        return masked(result.fields["id_number"])
    if result.kind == "passport":
        return masked(result.fields["document_number"])
    return str(result.fields.get("payload", ""))


def passport_result(zone: Mrz) -> ScanResult:
    """The zone as scanned fields; names are marked for the clerk to confirm (they carry no check digit)."""
    fields = {
        "document_number": zone.document_number,
        "surname": zone.surname,
        "given_names": zone.given_names,
        "nationality": zone.nationality,
        "birth_date": zone.birth_date.isoformat() if zone.birth_date else None,
        "sex": zone.sex,
        "expiry_date": zone.expiry_date.isoformat() if zone.expiry_date else None,
    }
    checked = {k: zone.checks[k] for k in ("document_number", "birth_date", "expiry_date")}
    confidence = {k: 1.0 if checked.get(k) else 0.3 for k in fields}
    confidence.update({"surname": 0.5, "given_names": 0.5, "nationality": 0.8 if zone.valid else 0.3})
    return ScanResult("passport", fields, confidence, {**checked, "composite": zone.checks["composite"]})
