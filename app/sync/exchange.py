"""The rest of a sync after the outbox: this PC reports its sync health and the head of its audit chain (the
lender anchors it, and answers whether an anchored entry went missing or changed), and takes back the store's
velocity counts from its other PCs, the staff roster when it changed, the lender's record of the store (name,
region, opening hours, time zone: app.sync.store_record), and the files the lender published."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app import __version__
from app.kernel.errors import Unavailable
from app.kernel.i18n import _
from app.kernel.settings import Settings
from app.scoring.velocity import VELOCITY_KEY
from app.security.secret_store import SecretStore
from app.storage.audit import AuditLog
from app.storage.local_store import LocalStore
from app.storage.models import AuditEntry, Meta, Staff, Store, StoreVelocity
from app.storage.outbox import SyncStatus
from app.storage.staff import StaffRepository
from app.sync.client import CentralClient
from app.sync.downloads import DownloadReport, refresh
from app.sync.meta_keys import AUDIT_ALARM, AUDIT_CHECK, ROSTER_REPLACES, ROSTER_VERSION
from app.sync.store_record import take_store_record
from app.wire.exchange import AuditMark, HealthReport


@dataclass
class ExchangeReport:
    audit_alarm: str | None = None
    roster_members: int | None = None  # members applied, when the roster changed
    velocity_rows: int = 0
    peer_days: int = 0  # days of the sibling PCs' report figures replaced
    downloads: DownloadReport = field(default_factory=DownloadReport)
    store_changed: bool = False  # the lender's record of this PC's store changed (name, hours, time zone…)


def _mac_at(session: Any, seq: int | None) -> str | None:
    if seq is None:
        return None
    mac = session.scalar(select(AuditEntry.mac).where(AuditEntry.seq == seq))
    return None if mac is None else bytes(mac).hex()


def health_report(store: LocalStore, status: SyncStatus) -> HealthReport:
    """What this PC tells the lender at each sync: its outbox and its audit chain's head (and, when the lender
    asked, the MAC of an entry it anchored before)."""
    with store.read() as session:
        head = session.execute(select(AuditEntry.seq, AuditEntry.mac).order_by(AuditEntry.seq.desc()).limit(1)).first()
        check = session.get(Meta, AUDIT_CHECK)
        check_seq = int(check.value) if check is not None and check.value.isdigit() else None
        check_mac = _mac_at(session, check_seq)
    return HealthReport(
        pending=status.pending,
        oldest_pending_age_s=status.oldest_pending_age_s,
        dead_letters=status.dead_letters,
        app_version=__version__,
        audit_head=None if head is None else AuditMark(seq=head.seq, mac=bytes(head.mac).hex()),
        audit_check=None if check_seq is None else AuditMark(seq=check_seq, mac=check_mac),
    )


def exchange(
    store: LocalStore,
    secrets: SecretStore,
    client: CentralClient,
    settings: Settings,
    settings_file: Path,
    downloads_dir: Path,
    status: SyncStatus,
) -> ExchangeReport:
    """Report, then apply what the lender sent back (see the module's promise); raises ServerUnreachable."""
    reply = client.heartbeat(health_report(store, status))
    if reply.status_code != 200 or not isinstance(reply.body, dict):
        raise Unavailable(
            _("The central server did not take this PC's report (HTTP {code}).").format(code=reply.status_code),
            code="heartbeat_refused",
        )
    body = reply.body
    report = ExchangeReport(audit_alarm=body.get("audit_alarm"))
    report.velocity_rows = _apply_velocity(store, secrets, body.get("velocity") or {})
    with store.write() as session:
        if body.get("audit_check_seq") is not None:
            session.merge(Meta(key=AUDIT_CHECK, value=str(int(body["audit_check_seq"]))))
        if report.audit_alarm:
            session.merge(Meta(key=AUDIT_ALARM, value=str(report.audit_alarm)))
        known = session.get(Meta, ROSTER_VERSION)
    report.store_changed = take_store_record(store, settings, settings_file, body.get("store"))
    if int(body.get("roster_version") or 0) > (int(known.value) if known else 0):
        report.roster_members = _apply_roster(store, client, settings.store_code)
    report.peer_days = _pull_peer_figures(store, client, settings.store_code)
    report.downloads = refresh(
        store, secrets, client, settings, settings_file, downloads_dir, dict(body.get("downloads") or {})
    )
    return report


def _pull_peer_figures(store: LocalStore, client: CentralClient, store_code: str) -> int:
    from app.sync.peer_figures import pull_peer_figures

    with store.read() as session:
        shop = session.scalar(select(Store).where(Store.code == store_code))
        store_id = None if shop is None else shop.id
    return 0 if store_id is None else pull_peer_figures(store, store_id, client)


def _apply_velocity(store: LocalStore, secrets: SecretStore, velocity: dict[str, Any]) -> int:
    key = velocity.get("key")
    if not key:
        return 0
    secrets.set(VELOCITY_KEY, base64.b64decode(key))
    rows = [
        {
            "kind": str(c["kind"]),
            "digest": bytes.fromhex(c["digest"]),
            "day": dt.date.fromisoformat(c["day"]),
            "count": int(c["count"]),
        }
        for c in velocity.get("counts", [])
        if c.get("kind") in ("id_number", "phone")
    ]
    with store.write() as session:  # replaced whole: the lender's counts are the truth for the other PCs
        session.execute(delete(StoreVelocity))
        if rows:
            session.execute(insert(StoreVelocity), rows)
    return len(rows)


def _apply_roster(store: LocalStore, client: CentralClient, store_code: str) -> int:
    reply = client.roster()
    if reply.status_code != 200 or not isinstance(reply.body, dict):
        return 0
    with store.write() as session:
        shop = session.scalar(select(Store).where(Store.code == store_code))
        assert shop is not None
        return apply_roster(session, store, shop, reply.body, dt.datetime.now(dt.UTC))


def apply_roster(session: Session, store: LocalStore, shop: Store, document: dict[str, Any], now: dt.datetime) -> int:
    """Take the lender's roster `document` for `shop` into this PC's staff, in the caller's write transaction:
    members are added or changed (a login kept on this PC for another store moves to this one), the roster
    version is remembered and the sync is audited. When an activation could not pull the roster at once
    (ROSTER_REPLACES), the accounts that are not in it are removed now (app.storage.stores). How many members."""
    from app.storage.stores import drop_unused_stores, retire_staff_except

    members = [m for m in document.get("members", []) if isinstance(m, dict)]
    staff = StaffRepository(store)
    ids = {uuid.UUID(str(member["staff_id"])) for member in members}
    replaces = session.get(Meta, ROSTER_REPLACES)
    if replaces is not None:  # before the members: a removed account frees its login for the roster's
        retire_staff_except(session, ids)
        session.delete(replaces)
    for member in members:
        login = str(member["login"]).strip().lower()
        row = session.scalar(select(Staff).where(Staff.login == login))
        if row is None:
            staff_id = uuid.UUID(str(member["staff_id"]))
            row = Staff(id=staff_id, store_id=shop.id, login=login, failed_attempts=0, created_at=now)
            session.add(row)
        row.store_id = shop.id
        row.role, row.active = str(member["role"]), bool(member["active"])
        staff.set_display_name(row, str(member["display_name"]))
        row.secret_hash = str(member["secret_hash"])
    if replaces is not None:
        session.flush()
        drop_unused_stores(session, shop)
    session.merge(Meta(key=ROSTER_VERSION, value=str(int(document.get("version") or 0))))
    AuditLog.for_store(store).append(
        session,
        "sync",
        "staff.roster_synced",
        object_type="store",
        object_id=str(shop.id),
        detail={"members": len(members), "version": int(document.get("version") or 0)},
        at=now,
    )
    return len(members)
