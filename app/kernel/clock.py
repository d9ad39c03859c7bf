"""Time: stored in UTC, shown and grouped by day in the store's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def utc_now() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def local_day(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The store-local calendar day of an aware moment."""
    return moment.astimezone(zone).date()


def store_today(time_zone: str) -> dt.date:
    """Today's date in the store's time zone (what ages, expiry dates and reports go by)."""
    return local_day(utc_now(), ZoneInfo(time_zone))
