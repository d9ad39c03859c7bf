"""Store staff rosters, kept by the lender and synced down to every counter PC of the store. Each change bumps
the store's roster version, so a counter fetches the roster only when it changed."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.roles import Role
from app.security.passwords import check_secret_policy, hash_secret
from central.db import CentralStore, RosterMember


class RosterRefused(ValueError):
    """The roster change cannot be made as asked; the message says why."""


def version(session: Session, store_code: str) -> int:
    """The store's roster version (0 for an empty roster)."""
    return int(session.scalar(select(func.max(RosterMember.version)).where(RosterMember.store_code == store_code)) or 0)


def put_member(
    factory: sessionmaker[Session],
    store_code: str,
    login: str,
    display_name: str,
    role: str,
    secret: str | None,
    active: bool = True,
) -> int:
    """Add or change a staff member of the store (a new member needs a PIN or password); the new version."""
    try:
        Role(role)
    except ValueError as exc:
        raise RosterRefused(f"Unknown role {role!r}; one of {', '.join(r.value for r in Role)}.") from exc
    if secret is not None:
        check_secret_policy(secret)
    login = login.strip().lower()
    with factory.begin() as session:
        if session.get(CentralStore, store_code) is None:
            raise RosterRefused(f"There is no store {store_code}.")
        member = session.scalar(select(RosterMember).where(RosterMember.login == login))
        if member is not None and member.store_code != store_code:
            raise RosterRefused(f"{login} works at store {member.store_code}.")
        if member is None:
            if secret is None:
                raise RosterRefused("A new staff member needs a PIN or password.")
            member = RosterMember(staff_id=str(uuid.uuid4()), store_code=store_code, login=login)
        member.display_name, member.role, member.active = display_name, role, active
        if secret is not None:
            member.secret_hash = hash_secret(secret)
        member.version = version(session, store_code) + 1
        session.add(member)
        return member.version


def roster_document(session: Session, store_code: str) -> dict[str, Any]:
    """The store's roster as counters receive it (Argon2id hashes, never secrets)."""
    members = session.scalars(
        select(RosterMember).where(RosterMember.store_code == store_code).order_by(RosterMember.login)
    ).all()
    return {
        "store": store_code,
        "version": max((m.version for m in members), default=0),
        "members": [
            {
                "staff_id": m.staff_id,
                "login": m.login,
                "display_name": m.display_name,
                "role": m.role,
                "secret_hash": m.secret_hash,
                "active": m.active,
            }
            for m in members
        ],
    }
