"""What a device reports at each sync and what it is told back. It reports its outbox (pending, oldest
pending age, dead letters) and its audit chain's head, which the server keeps as an anchor: a head that goes
backwards (a deleted tail) or an anchored entry whose MAC changed (a re-chained log) raises an alarm. It is
told the store's recent application counts by ID and phone blind index from the store's other PCs (with the
key of those indexes), the roster version, the SHA-256 of each published file, and the store's record (name,
region, opening hours, time zone)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.wire.exchange import AuditMark, HealthReport
from central import publications, roster
from central.db import AuditAnchor, CentralStore, Device, DeviceHealth, VelocityMark
from central.devices import store_record

VELOCITY_DAYS = 90  # counts are sent for this many days; each counter applies its own (shorter) window


def _alarm(session: Session, device_id: str, head: AuditMark | None, check: AuditMark | None) -> str | None:
    last = session.scalar(
        select(AuditAnchor).where(AuditAnchor.device_id == device_id).order_by(AuditAnchor.seq.desc()).limit(1)
    )
    if last is None:
        return None
    if head is None or head.seq < last.seq:
        return f"audit_tail_deleted: the log ends before entry {last.seq}, which was anchored"
    if head.seq == last.seq and head.mac != last.mac:
        return f"audit_rechained: entry {last.seq} no longer has its anchored MAC"
    if check is not None:
        anchored = session.get(AuditAnchor, (device_id, check.seq))
        if anchored is not None and anchored.mac != check.mac:
            return f"audit_rechained: entry {anchored.seq} no longer has its anchored MAC"
    return None


def report(session: Session, device: Device, body: HealthReport, now: dt.datetime) -> dict[str, Any]:
    """Keep the device's report and anchor; return what the device is told (see the module's promise)."""
    head, check = body.audit_head, body.audit_check
    health = session.get(DeviceHealth, device.id) or DeviceHealth(device_id=device.id)
    alarm = _alarm(session, device.id, head, check)
    health.pending = body.pending
    health.oldest_pending_age_s = body.oldest_pending_age_s
    health.dead_letters = body.dead_letters
    health.app_version = body.app_version or None
    health.reported_at = now
    if alarm is not None:
        health.audit_alarm = alarm  # kept until the lender looks into it
    elif head is not None and head.mac is not None:
        health.audit_seq, health.audit_mac = head.seq, head.mac
        if session.get(AuditAnchor, (device.id, health.audit_seq)) is None:
            session.add(AuditAnchor(device_id=device.id, seq=health.audit_seq, mac=health.audit_mac, anchored_at=now))
    session.add(health)
    store = session.get(CentralStore, device.store_code)
    assert store is not None
    return {
        "audit_alarm": health.audit_alarm,
        "audit_check_seq": health.audit_seq,
        "velocity": velocity(session, store, device.id, now.date()),
        "roster_version": roster.version(session, device.store_code),
        "downloads": publications.manifest(session),
        "store": store_record(store).model_dump(),  # the store's record: a change reaches its PCs at their next sync
    }


def velocity(session: Session, store: CentralStore, device_id: str, today: dt.date) -> dict[str, Any]:
    """The store's applications per (kind, blind index, day) over the last VELOCITY_DAYS days from its other
    devices, with the key of the blind indexes."""
    since = today - dt.timedelta(days=VELOCITY_DAYS)
    counts: list[dict[str, Any]] = []
    for kind, column in (("id_number", VelocityMark.id_digest), ("phone", VelocityMark.phone_digest)):
        rows = session.execute(
            select(column, VelocityMark.day, func.count())
            .where(
                VelocityMark.store_code == store.code,
                VelocityMark.device_id != device_id,
                VelocityMark.day >= since,
            )
            .group_by(column, VelocityMark.day)
        ).all()
        counts += [{"kind": kind, "digest": d.hex(), "day": day.isoformat(), "count": n} for d, day, n in rows]
    return {"key": base64.b64encode(store.velocity_key).decode(), "days": VELOCITY_DAYS, "counts": counts}
