"""The lender's record of this PC's store (code, name, region, opening hours, time zone), taken at activation
and at every sync: the store row here and the store's settings follow it, so the counter files under the store it
was activated for and flags applications outside that store's opening hours.

Activation makes the PC that store's counter: the store's row is made (or renamed) and, once the store's roster
came down, the accounts that are not in it (the demo accounts and their PINs from the README among them) are
removed and stores nothing was filed under are dropped. Applications already filed under another store stay as
they are; they are counted."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.kernel.logs import get_logger
from app.kernel.settings import Settings, update_settings
from app.storage.local_store import LocalStore
from app.storage.models import Meta, Store
from app.storage.stores import applications_elsewhere, become_store, drop_unused_stores, retire_staff_except
from app.sync.meta_keys import ROSTER_REPLACES, ROSTER_VERSION
from app.wire.activation import StoreRecord

log = get_logger("sync.store")


def settings_of(record: StoreRecord) -> dict[str, str]:
    """The settings that hold the store's record on this PC."""
    return {
        "store_code": record.store,
        "store_name": record.store_name,
        "store_region": record.region,
        "store_opening_hours": record.opening_hours,
        "store_time_zone": record.time_zone,
    }


@dataclass(frozen=True)
class BecameCounter:
    """What activation changed here: the store's row, the applications left under other stores, and the roster
    members taken (None when the roster could not be pulled; it replaces the accounts at the next sync)."""

    store_id: uuid.UUID
    applications_under_other_store: int
    roster_members: int | None
    accounts_removed: int


def become_counter_of(
    session: Session, store: LocalStore, record: StoreRecord, roster: dict[str, Any] | None, now: dt.datetime
) -> BecameCounter:
    """Make this PC the counter of the store in `record`, in the caller's write transaction (see the module's
    promise). With the store's `roster` document the accounts become exactly its members; without one the old
    accounts stay until the next sync brings it. The caller writes the settings (settings_of) in the same
    transaction."""
    from app.sync.exchange import apply_roster

    shop = become_store(session, record.store, record.store_name, record.time_zone, now)
    removed, members = 0, None
    if roster is None:
        session.merge(Meta(key=ROSTER_REPLACES, value=record.store))
        version = session.get(Meta, ROSTER_VERSION)
        if version is not None:  # another store's roster version: the next sync fetches this store's roster
            session.delete(version)
    else:
        ids = {uuid.UUID(str(m["staff_id"])) for m in roster.get("members", []) if isinstance(m, dict)}
        removed = retire_staff_except(session, ids)
        session.flush()
        members = apply_roster(session, store, shop, roster, now)
        drop_unused_stores(session, shop)
    return BecameCounter(shop.id, applications_elsewhere(session, shop), members, removed)


def take_store_record(store: LocalStore, settings: Settings, settings_file: Path, document: object) -> bool:
    """Take the lender's record of this PC's store from a sync (`document`, the heartbeat answer's `store`):
    the store row's name and time zone and the store's settings follow it. True when something changed. A record
    of another store or one that does not read is left aside (logged): this PC stays as it is."""
    if not isinstance(document, dict):
        return False  # a lender that does not send it yet
    from pydantic import ValidationError

    try:
        record = StoreRecord.model_validate(document)
    except ValidationError as exc:
        log.warning("the lender's store record does not read; kept the one here (%d problems)", exc.error_count())
        return False
    if record.store != settings.store_code:
        log.warning("the lender sent the record of another store; kept the one here")
        return False
    wanted = settings_of(record)
    if all(getattr(settings, key) == value for key, value in wanted.items()):
        return False
    with store.write() as session:
        shop = session.scalar(select(Store).where(Store.code == record.store))
        if shop is not None:
            shop.name, shop.time_zone = record.store_name, record.time_zone
        update_settings(settings_file, **wanted)
    return True
