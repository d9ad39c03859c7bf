"""Time: stored in UTC, shown and grouped by day in the store's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from app.kernel.i18n import current_language

# How a moment reads in each language (the counter's two): Chinese the way dates are written in China, English
# with the month's name so that 08/12 is never read as August. Both on the 24-hour clock, as stores keep hours.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def utc_now() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def local_day(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The store-local calendar day of an aware moment."""
    return moment.astimezone(zone).date()


def store_today(time_zone: str) -> dt.date:
    """Today's date in the store's time zone (what ages, expiry dates and reports go by)."""
    return local_day(utc_now(), ZoneInfo(time_zone))


def as_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` as an aware UTC datetime; a naive one is taken to be UTC already (times are stored in UTC)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def moment_from_text(text: str) -> dt.datetime:
    """An ISO 8601 moment as stored or sent (a trailing Z, or no offset at all, means UTC), aware and in UTC.
    Raises ValueError when `text` is not one."""
    return as_utc(dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00")))


def format_store_time(
    moment: dt.datetime, zone: str | dt.tzinfo, language: str | None = None, *, with_date: bool = True
) -> str:
    """How a person reads `moment`: in the store's time zone `zone` (a name such as 'Asia/Shanghai', or a
    tzinfo), written for `language` ('zh_CN', 'en'; the current language when None), to the minute.

    zh_CN: '2026-12-08 02:23'; en: '8 Dec 2026, 02:23'; with_date=False: '02:23' in both. A naive `moment` is
    taken to be UTC. Every time the counter shows a person goes through here; machine outputs (JSON, the wire)
    stay ISO 8601 in UTC."""
    local = as_utc(moment).astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone)
    clock = f"{local:%H:%M}"
    if not with_date:
        return clock
    if (language or current_language()).lower().startswith("zh"):
        return f"{local:%Y-%m-%d} {clock}"
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}, {clock}"
