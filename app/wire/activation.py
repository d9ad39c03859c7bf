"""Activating a counter PC for a store, and the store's record as the lender keeps it: the request a counter
sends with the store's one-time code, and the answer that makes the PC that store's counter (its device id and
token, and the store's code, name, region, opening hours and time zone). The same store record comes back at
every sync (the heartbeat's answer), so a change the lender makes reaches the store's PCs at their next sync."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from app.wire.types import Answer, Id, Printable, Request, StoreCode

OPENING_HOURS_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$"


def check_opening_hours(text: str) -> str:
    """`text` if it is "HH:MM-HH:MM" with the opening before the closing time (both the same day); raises
    ValueError otherwise."""
    if not re.fullmatch(OPENING_HOURS_PATTERN, text):
        raise ValueError("opening hours look like 09:00-21:00 (HH:MM-HH:MM)")
    start, end = (dt.time.fromisoformat(part) for part in text.split("-"))
    if start >= end:
        raise ValueError("the store must open before it closes (e.g. 09:00-21:00)")
    return text


def check_time_zone(name: str) -> str:
    """`name` if it is an IANA time zone this machine knows (e.g. Asia/Shanghai); raises ValueError otherwise."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"not a time zone: {name} (e.g. Asia/Shanghai)") from exc
    return name


OpeningHours = Annotated[str, StringConstraints(pattern=OPENING_HOURS_PATTERN), AfterValidator(check_opening_hours)]
TimeZone = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(check_time_zone)]
StoreName = Annotated[Printable, Field(min_length=1, max_length=100)]
Region = Annotated[Printable, Field(min_length=1, max_length=16)]


class ActivationRequest(Request):
    """A counter asks to become a device of `store` with the store's one-time activation code."""

    store: StoreCode
    code: Annotated[Printable, Field(min_length=1, max_length=64)]


class StoreRecord(Answer):
    """A store as the lender keeps it: its code, name, region, opening hours (store time, "HH:MM-HH:MM") and
    IANA time zone. The counter takes all of them from here; it does not keep its own."""

    store: StoreCode
    store_name: StoreName
    region: Region
    opening_hours: OpeningHours
    time_zone: TimeZone


class ActivationAnswer(StoreRecord):
    """The new device's id and bearer token (shown once; the lender keeps only its hash), with the record of the
    store whose counter the PC now is."""

    device_id: Id
    token: Annotated[str, StringConstraints(min_length=16, max_length=200, pattern=r"^[A-Za-z0-9_-]+$")]
