"""The store this counter belongs to, and the demo store with its staff on a first run."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.identity import make_resident_id
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.kernel.settings import Settings
from app.security.passwords import hash_secret
from app.storage.local_store import LocalStore
from app.storage.models import Staff, Store
from app.storage.staff import StaffRepository

# The demo store's people: login, role, name, ID number parts, phone, PIN or password (shown in the README).
DEMO_STAFF = (
    ("sales01", "sales", "王晓明", ("310104", dt.date(1994, 3, 12), 31), "13816620101", "135790"),
    ("sales02", "sales", "李娜", ("310105", dt.date(1997, 8, 2), 42), "13916620102", "246802"),
    ("sales03", "sales", "张伟", ("320102", dt.date(1991, 11, 25), 17), "15021620103", "975310"),
    ("manager", "store_manager", "陈静", ("330106", dt.date(1986, 6, 9), 24), "18621620104", "482613"),
    ("admin", "admin", "刘洋", ("110101", dt.date(1983, 1, 30), 55), "13621620105", "Fenqi2026admin"),
)


def ensure_store(session: Session, local_store: LocalStore, settings: Settings, now: dt.datetime) -> Store:
    """The store named in the settings (in `local_store`, inside the caller's write transaction); on a first run
    (no store at all) the demo store and its staff."""
    store = session.scalar(select(Store).where(Store.code == settings.store_code))
    if store is not None:
        return store
    if session.scalar(select(Store.id).limit(1)) is not None:
        raise InvalidInput(
            _("The local store has no store with code {code}.").format(code=settings.store_code),
            code="unknown_store",
        )
    store = Store(
        id=uuid.uuid4(),
        code=settings.store_code,
        name=settings.store_name,
        time_zone=settings.store_time_zone,
        created_at=now,
    )
    session.add(store)
    session.flush()  # the staff rows refer to it
    staff = StaffRepository(local_store)
    for login, role, name, (area, born, seq), phone, secret in DEMO_STAFF:
        row = staff.add(session, store, login, role, name, make_resident_id(area, born, seq), phone, now)
        row.secret_hash = hash_secret(secret)
    session.flush()
    return store


def staff_ids(session: Session, store: Store, roles: tuple[str, ...] = ("sales", "store_manager")) -> list[uuid.UUID]:
    """The active staff of `store` with one of `roles`."""
    return list(
        session.scalars(
            select(Staff.id).where(Staff.store_id == store.id, Staff.active.is_(True), Staff.role.in_(roles))
        )
    )
