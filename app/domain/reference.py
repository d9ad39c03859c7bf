"""Short references read aloud at the counter, e.g. S001-261129-0042: store, local day, daily sequence."""

from __future__ import annotations

import datetime as dt
import re

from app.kernel.errors import InvalidInput
from app.kernel.i18n import _

_PATTERN = re.compile(r"^(?P<store>[A-Z][A-Z0-9]{1,9})-(?P<day>\d{6})-(?P<seq>\d{4,})$")


def day_key(day: dt.date) -> str:
    """The YYMMDD part of a reference for a store-local day."""
    return f"{day:%y%m%d}"


def format_reference(store_code: str, day: dt.date, sequence: int) -> str:
    """The reference of the `sequence`-th application of a store's local `day` (sequence starts at 1)."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{store_code}-{day_key(day)}-{sequence:04d}"


def parse_reference(text: str) -> tuple[str, dt.date, int]:
    """Split a reference into store code, day and sequence; raises InvalidInput if it is not one."""
    match = _PATTERN.match(text.strip().upper())
    if not match:
        raise InvalidInput(_("Not an application reference: {text}").format(text=text), code="bad_reference")
    try:
        day = dt.datetime.strptime(match["day"], "%y%m%d").date()
    except ValueError as exc:
        raise InvalidInput(_("Not an application reference: {text}").format(text=text), code="bad_reference") from exc
    return match["store"], day, int(match["seq"])
