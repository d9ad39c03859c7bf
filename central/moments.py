"""Moments read back from the database: PostgreSQL keeps their zone, SQLite gives them back naive (in UTC)."""

from __future__ import annotations

import datetime as dt


def as_utc(moment: dt.datetime) -> dt.datetime:
    """The moment with its time zone; a naive one read from SQLite is UTC, as every moment is stored."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
