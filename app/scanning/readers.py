"""Vendor ID-card readers (the chip of a second-generation card) behind one interface, and a simulated one."""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass
from typing import Protocol


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
