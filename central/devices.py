"""Stores, their one-time activation codes, and the devices (counter PCs) they activate: a device holds a
bearer token the server keeps only as a hash; a revoked device is told why and stops syncing."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from sqlalchemy.orm import Session, sessionmaker

from central.db import CentralStore, Device


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def add_store(factory: sessionmaker[Session], code: str, region: str) -> str:
    """Register a store (or give an existing one a new code); returns its one-time activation code."""
    activation = "-".join(secrets.token_hex(2).upper() for _ in range(4))
    with factory.begin() as session:
        store = session.get(CentralStore, code) or CentralStore(
            code=code, created_at=dt.datetime.now(dt.UTC), velocity_key=secrets.token_bytes(32)
        )
        store.region, store.activation_hash = region, _hash(activation)
        session.add(store)
    return activation


def activate(factory: sessionmaker[Session], store_code: str, code: str) -> tuple[str, str] | None:
    """A new device for the store if `code` is its current activation code (used once); (device id, token)."""
    with factory.begin() as session:
        store = session.get(CentralStore, store_code)
        if (
            store is None
            or store.activation_hash is None
            or not secrets.compare_digest(store.activation_hash, _hash(code.strip().upper()))
        ):
            return None
        token = secrets.token_urlsafe(32)
        device = Device(
            id=str(uuid.uuid4()),
            store_code=store_code,
            token_hash=_hash(token),
            activated_at=dt.datetime.now(dt.UTC),
        )
        session.add(device)
        store.activation_hash = None
        return device.id, token


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
