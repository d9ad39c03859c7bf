"""Stores, their one-time activation codes, and the devices (counter PCs) they activate: a device holds a
bearer token the server keeps only as a hash; a revoked device is told why and stops syncing. A store's record
(name, region, opening hours, time zone) is what its counters take at activation and at each sync; a store is
activated only once the lender has a roster for it, so its counter has someone to sign in."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.wire.activation import ActivationAnswer, StoreRecord
from central.db import CentralStore, Device, RosterMember


class ActivationRefused(Exception):
    """The activation is refused: its HTTP status, error code and message (nothing has changed)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def add_store(
    factory: sessionmaker[Session],
    code: str,
    region: str,
    name: str | None = None,
    opening_hours: str | None = None,
) -> str:
    """Register a store (or give an existing one a new code, and the region, name and opening hours given);
    returns its one-time activation code. A new store without a name is named by its code; without opening
    hours it has 08:00-22:00. The caller checks the values (StoreRecord's rules)."""
    activation = "-".join(secrets.token_hex(2).upper() for _ in range(4))
    with factory.begin() as session:
        store = session.get(CentralStore, code) or CentralStore(
            code=code, created_at=dt.datetime.now(dt.UTC), velocity_key=secrets.token_bytes(32)
        )
        store.region, store.activation_hash = region, _hash(activation)
        store.name = name or store.name or code
        if opening_hours is not None:
            store.opening_hours = opening_hours
        session.add(store)
    return activation


def update_store(
    factory: sessionmaker[Session],
    code: str,
    name: str | None = None,
    region: str | None = None,
    opening_hours: str | None = None,
) -> bool:
    """Change what is given of an existing store's record (the time zone: central.reporting.set_time_zone, which
    counts its days again); False when there is no such store. Its counters take the change at their next sync;
    its activation code is left as it is."""
    with factory.begin() as session:
        store = session.get(CentralStore, code)
        if store is None:
            return False
        if name is not None:
            store.name = name
        if region is not None:
            store.region = region
        if opening_hours is not None:
            store.opening_hours = opening_hours
        return True


def store_record(store: CentralStore) -> StoreRecord:
    """The store's record as its counters receive it."""
    return StoreRecord(
        store=store.code,
        store_name=store.name or store.code,
        region=store.region,
        opening_hours=store.opening_hours,
        time_zone=store.time_zone,
    )


def activate(factory: sessionmaker[Session], store_code: str, code: str) -> ActivationAnswer:
    """A new device for the store if `code` is its current activation code (used once): its id and token with
    the store's record. Raises ActivationRefused — 403 activation_refused for a wrong, used or unknown code,
    409 roster_empty while the lender has no active staff member for the store (the code stays unused then) —
    and nothing changes."""
    with factory.begin() as session:
        store = session.get(CentralStore, store_code)
        if (
            store is None
            or store.activation_hash is None
            or not secrets.compare_digest(store.activation_hash, _hash(code.strip().upper()))
        ):
            raise ActivationRefused(403, "activation_refused", "The store code or activation code is wrong or used.")
        members = session.scalar(
            select(func.count())
            .select_from(RosterMember)
            .where(RosterMember.store_code == store_code, RosterMember.active.is_(True))
        )
        if not members:
            raise ActivationRefused(
                409,
                "roster_empty",
                f"The lender has no staff roster for store {store_code} yet: add its staff "
                "(fenqi-central staff put) before activating its counters.",
            )
        token = secrets.token_urlsafe(32)
        device = Device(
            id=str(uuid.uuid4()),
            store_code=store_code,
            token_hash=_hash(token),
            activated_at=dt.datetime.now(dt.UTC),
        )
        session.add(device)
        store.activation_hash = None
        return ActivationAnswer(device_id=uuid.UUID(device.id), token=token, **store_record(store).model_dump())


def device_for_token(factory: sessionmaker[Session], token: str) -> Device | None:
    """The device holding this bearer token, revoked or not."""
    from sqlalchemy import select

    with factory() as session:
        return session.scalar(select(Device).where(Device.token_hash == _hash(token)))


def revoke(factory: sessionmaker[Session], device_id: str, reason: str) -> bool:
    """Stop a device from syncing, with the reason it will be told."""
    with factory.begin() as session:
        device = session.get(Device, device_id)
        if device is None:
            return False
        device.revoked_reason = reason
        return True
