"""The outbox: what this PC owes the lender, written in the same transaction as the change it reports, its
idempotency key fixed before the first send. One way in (`enqueue`), one payload encoding (canonical JSON,
sealed to the item), one key scheme (app.wire.keys). Items written by earlier versions (plain `json.dumps`
bodies) read back the same: every encoding ever used is JSON, and the server receives the parsed body."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.kernel.canonical import canonical_json
from app.storage.local_store import LocalStore
from app.storage.models import OutboxItem
from app.storage.sealing import Sealing
from app.wire.keys import outbox_key


@dataclass(frozen=True)
class SyncStatus:
    """How far behind the outbox is: items waiting, the oldest one's age in seconds, items refused for good."""

    pending: int
    oldest_pending_age_s: float | None
    dead_letters: int


def enqueue(
    session: Session,
    store: LocalStore,
    kind: str,
    application_id: uuid.UUID,
    purpose: str,
    occasion: int | str,
    body: Mapping[str, Any],
    now: dt.datetime,
) -> OutboxItem:
    """Add an item of `kind` about the application to the outbox, inside the caller's write transaction: `body`
    as canonical JSON sealed to the item, under the key of (application, `purpose`, `occasion`), due now."""
    item = OutboxItem(
        id=uuid.uuid4(),
        application_id=application_id,
        idempotency_key=outbox_key(application_id, purpose, occasion),
        kind=kind,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    Sealing.for_store(store).put(item, OutboxItem.payload_enc, canonical_json(dict(body)))
    session.add(item)
    return item


def payload_of(store: LocalStore, item: OutboxItem) -> dict[str, Any]:
    """The outbox item's body, unsealed."""
    body: dict[str, Any] = json.loads(Sealing.for_store(store).content(item, OutboxItem.payload_enc))
    return body


def outbox_status(store: LocalStore, now: dt.datetime) -> SyncStatus:
    """Pending count, the oldest pending item's age at `now`, dead letters."""
    with store.read() as session:
        pending = session.scalar(select(func.count(OutboxItem.id)).where(OutboxItem.status == "pending")) or 0
        oldest = session.scalar(select(func.min(OutboxItem.created_at)).where(OutboxItem.status == "pending"))
        dead = session.scalar(select(func.count(OutboxItem.id)).where(OutboxItem.status == "dead")) or 0
    return SyncStatus(int(pending), None if oldest is None else (now - oldest).total_seconds(), int(dead))
