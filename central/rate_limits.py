"""Limits on how often an action may be taken, counted in the database so they hold across the server's
workers: `allow` counts the use when it is within every limit and says how long to wait otherwise."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from central.db import RateEvent
from central.moments import as_utc


@dataclass(frozen=True)
class Limit:
    """At most `count` uses per `window` for one bucket."""

    count: int
    window: dt.timedelta


def retry_after(session: Session, bucket: str, limits: tuple[Limit, ...], now: dt.datetime) -> int:
    """Seconds until `bucket` may be used again under `limits` (0 when it may be used now)."""
    wait = 0.0
    for limit in limits:
        since = now - limit.window
        used = session.scalar(
            select(func.count(RateEvent.id)).where(RateEvent.bucket == bucket, RateEvent.at > since)
        )
        if int(used or 0) >= limit.count:
            oldest = session.scalars(
                select(RateEvent.at)
                .where(RateEvent.bucket == bucket, RateEvent.at > since)
                .order_by(RateEvent.at)
                .offset(int(used or 0) - limit.count)
                .limit(1)
            ).first()
            if oldest is not None:
                wait = max(wait, (as_utc(oldest) + limit.window - now).total_seconds())
    return max(0, math.ceil(wait))


def serialise(session: Session, bucket: str) -> None:
    """Hold `bucket` until the transaction ends, so that two workers counting it at once never both take the last
    allowed use: an advisory lock on PostgreSQL; SQLite's transactions already hold the write lock
    (central.db.central_engine begins them IMMEDIATE). Take several buckets in one fixed order."""
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(bucket.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def allow(session: Session, bucket: str, limits: tuple[Limit, ...], now: dt.datetime) -> int:
    """Count one use of `bucket` and return 0 when every limit allows it; otherwise count nothing and return
    the seconds to wait (for a Retry-After header). Old uses beyond the longest window are forgotten."""
    wait = retry_after(session, bucket, limits, now)
    if wait:
        return wait
    longest = max(limit.window for limit in limits)
    session.execute(delete(RateEvent).where(RateEvent.bucket == bucket, RateEvent.at <= now - longest))
    session.add(RateEvent(bucket=bucket, at=now))
    session.flush()
    return 0
