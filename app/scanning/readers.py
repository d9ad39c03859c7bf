"""Vendor ID-card readers (the chip of a second-generation card) behind one interface, and a simulated one."""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from app.domain.identity import parse_resident_id
from app.kernel.errors import InvalidInput
from app.scanning.payload import ScanResult


@dataclass(frozen=True)
class IdCardData:
    """What the card's chip holds."""

    name: str
    sex: str
    ethnicity: str
    birth_date: dt.date
    address: str
    id_number: str
    issuing_authority: str
    valid_from: dt.date
    valid_until: dt.date | None  # None: long-term (长期)
    photo: bytes = b""


class IdReader(Protocol):
    """A card reader: `read` waits up to `timeout_s` for a card and returns its data, or None."""

    name: str

    def read(self, timeout_s: float = 5.0) -> IdCardData | None: ...


class SimulatedIdReader:
    """A reader for tests and demos: hands out the cards it was given, in order, then nothing."""

    name = "simulated"

    def __init__(self, cards: list[IdCardData] | None = None) -> None:
        self._cards = deque(cards or [])

    def insert(self, card: IdCardData) -> None:
        """Place a card on the reader."""
        self._cards.append(card)

    def read(self, timeout_s: float = 5.0) -> IdCardData | None:
        """The next card, or None when the reader is empty."""
        return self._cards.popleft() if self._cards else None


def chip_result(card: IdCardData, today: dt.date) -> ScanResult:
    """The chip's data as scanned fields. The chip is signed by the issuer, so its fields are certain; the
    number is still checked, and the validity period against `today`."""
    fields = {
        "name": card.name,
        "sex": card.sex,
        "ethnicity": card.ethnicity,
        "birth_date": card.birth_date.isoformat(),
        "address": card.address,
        "id_number": card.id_number,
        "issuing_authority": card.issuing_authority,
        "valid_from": card.valid_from.isoformat(),
        "valid_until": card.valid_until.isoformat() if card.valid_until else None,
    }
    try:
        number_ok = parse_resident_id(card.id_number, today).number == card.id_number
    except InvalidInput:
        number_ok = False
    validation = {"id_number": number_ok, "valid_until": card.valid_until is None or card.valid_until >= today}
    return ScanResult("id_card_chip", fields, dict.fromkeys(fields, 1.0), validation)
