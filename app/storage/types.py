"""Column types that keep the domain's rules at the storage boundary: money in fen, times in UTC."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Integer
from sqlalchemy.types import TypeDecorator

from app.domain.money import from_fen, to_fen


class Money(TypeDecorator[Decimal]):
    """Decimal yuan in Python, whole fen in the database (exact sums, fast reports)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        return None if value is None else to_fen(value)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        return None if value is None else from_fen(value)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in Python, naive UTC text in SQLite (sortable, comparable in SQL)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; give a UTC-aware time")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


# Bulk loaders bypass SQLAlchemy's per-value processing for speed; these give the exact stored forms the
# types above produce, so rows written either way read back the same (a test holds them together).
def stored_uuid(value: uuid.UUID) -> str:
    """How a UUID column stores `value` in SQLite."""
    return value.hex


def stored_time(value: dt.datetime) -> str:
    """How a UtcDateTime column stores the aware time `value`."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def stored_money(value: Decimal) -> int:
    """How a Money column stores `value`."""
    return to_fen(value)
