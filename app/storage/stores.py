"""The store this counter belongs to, and the demo store with its staff on a first run; what activation changes
here when the PC becomes another store's counter (the store row, the accounts that are not the lender's roster,
stores nothing was filed under); and the opening hours in effect."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.domain.identity import make_resident_id
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.kernel.settings import Settings, opening_hours
from app.security.passwords import hash_secret
from app.storage.local_store import LocalStore
from app.storage.models import Application, DraftSnapshot, ReferenceCounter, Staff, Store
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


def opening_hours_in_effect(settings: Settings) -> tuple[dt.time, dt.time]:
    """The store's opening and closing time: the lender's store record (`store_opening_hours`), or, in development
    mode only (the file key store chosen explicitly), the `opening_hours` setting when it is set. Raises
    InvalidInput for a value that is not HH:MM-HH:MM."""
    from app.security.secret_store import chosen_key_store

    if settings.opening_hours and chosen_key_store(settings.key_store) == "file":
        return opening_hours(settings.opening_hours)
    return opening_hours(settings.store_opening_hours)


def become_store(session: Session, code: str, name: str, time_zone: str, now: dt.datetime) -> Store:
    """The local row of store `code` (in the caller's write transaction), made when this PC has none, with the
    name and time zone given: the store whose counter this PC now is. Other stores' rows are left as they are."""
    store = session.scalar(select(Store).where(Store.code == code))
    if store is None:
        store = Store(id=uuid.uuid4(), code=code, name=name, time_zone=time_zone, created_at=now)
        session.add(store)
        session.flush()
    store.name, store.time_zone = name, time_zone
    return store


def applications_elsewhere(session: Session, store: Store) -> int:
    """How many applications on this PC were filed under another store than `store` (they stay as they are)."""
    return int(session.scalar(select(func.count(Application.id)).where(Application.store_id != store.id)) or 0)


def retire_staff_except(session: Session, keep: Collection[uuid.UUID]) -> int:
    """Remove every staff account whose id is not in `keep` (the lender's roster): an account nothing refers to is
    deleted; one that filed applications or saved drafts stays as the record of who did, but inactive, without its
    PIN or password, and with its login freed (`login~id`) for the roster. Returns how many were removed."""
    rows = session.scalars(select(Staff).where(Staff.id.not_in(list(keep)))).all()
    for row in rows:
        referred = session.scalar(select(Application.id).where(Application.staff_id == row.id).limit(1)) or (
            session.scalar(select(DraftSnapshot.application_id).where(DraftSnapshot.staff_id == row.id).limit(1))
        )
        if referred is None:
            session.delete(row)
        else:
            row.active, row.secret_hash, row.failed_attempts, row.locked_until = False, None, 0, None
            if "~" not in row.login:
                row.login = f"{row.login[:20]}~{row.id.hex[:8]}"
    session.flush()
    return len(rows)


def drop_unused_stores(session: Session, keep: Store) -> list[str]:
    """Delete the rows of the stores other than `keep` that no application and no staff record refers to (the
    demo store once its accounts are gone, unless something was filed under it); their codes."""
    dropped = []
    for store in session.scalars(select(Store).where(Store.id != keep.id)).all():
        used = session.scalar(select(Application.id).where(Application.store_id == store.id).limit(1)) or (
            session.scalar(select(Staff.id).where(Staff.store_id == store.id).limit(1))
        )
        if used is None:
            session.execute(delete(ReferenceCounter).where(ReferenceCounter.store_id == store.id))
            session.delete(store)
            dropped.append(store.code)
    session.flush()
    return dropped
