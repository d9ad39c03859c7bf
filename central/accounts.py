"""People with central accounts — the lender's reviewers and regional managers. A password (Argon2id, the
counters' policy) gives a short-lived session token kept only as a hash; repeated failures lock the account."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import Session, sessionmaker

from app.security.passwords import check_secret_policy, hash_secret, verify_secret
from central.db import Account, AccountSession

ROLES = ("reviewer", "regional_manager")
SESSION_TTL = dt.timedelta(hours=1)
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
# One answer for every refusal: which of them it was would tell an outsider which usernames exist.
REFUSED = "The username or password is wrong, or the account is locked for a while after too many tries."


class SignInRefused(ValueError):
    """Wrong username or password, a locked account, or an unknown role; the message says which."""


@dataclass(frozen=True)
class SignedIn:
    username: str
    role: str
    region: str
    token: str
    expires_at: dt.datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_account(factory: sessionmaker[Session], username: str, role: str, region: str, password: str) -> None:
    """Create the account, or give an existing one a new role, region and password (unlocked). A new password
    ends every session the account had."""
    if role not in ROLES:
        raise SignInRefused(f"The role must be one of: {', '.join(ROLES)}.")
    check_secret_policy(password)
    with factory.begin() as session:
        account = session.get(Account, username) or Account(username=username)
        account.role, account.region, account.password_hash = role, region, hash_secret(password)
        account.failed_attempts, account.locked_until, account.active = 0, None, True
        session.add(account)
        session.flush()
        session.execute(delete(AccountSession).where(AccountSession.username == username))


class AccountUnknown(LookupError):
    """No account has this username (for the commands that change one)."""


def set_active(factory: sessionmaker[Session], username: str, active: bool) -> None:
    """Enable or disable the account; disabling ends its sessions at once."""
    with factory.begin() as session:
        account = session.get(Account, username, with_for_update=True)
        if account is None:
            raise AccountUnknown(username)
        account.active = active
        if not active:
            session.execute(delete(AccountSession).where(AccountSession.username == username))


def revoke_sessions(factory: sessionmaker[Session], username: str) -> int:
    """End every session of the account; returns how many there were."""
    with factory.begin() as session:
        if session.get(Account, username) is None:
            raise AccountUnknown(username)
        ended = session.execute(delete(AccountSession).where(AccountSession.username == username))
        return int(cast(CursorResult[Any], ended).rowcount or 0)


def _dummy_hash() -> str:
    """An Argon2id hash nobody's password matches, made once: an unknown username costs the same time."""
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = hash_secret(secrets.token_urlsafe(24) + "aA1")
    return _DUMMY


_DUMMY: str | None = None


def sign_in(factory: sessionmaker[Session], username: str, password: str, now: dt.datetime | None = None) -> SignedIn:
    """A session token for the right password of an active, unlocked account. Every refusal — unknown username,
    wrong password, disabled or locked account — gives the same answer after the same Argon2id work, so nobody
    learns which usernames exist. A wrong password counts towards the lockout in a transaction of its own, so
    the refusal cannot roll the count back; five in a row lock the account for 15 minutes."""
    now = now or dt.datetime.now(dt.UTC)
    with factory() as session:
        account = session.get(Account, username)
        stored = account.password_hash if account is not None else _dummy_hash()
        usable = account is not None and account.active
        locked = (
            account is not None
            and account.locked_until is not None
            and account.locked_until.replace(tzinfo=dt.UTC) > now
        )
    right = verify_secret(stored, password)  # always done: the same time whatever the refusal
    if not usable or locked:
        raise SignInRefused(REFUSED)
    if not right:
        _count_failure(factory, username, now)
        raise SignInRefused(REFUSED)
    with factory.begin() as session:
        account = session.get(Account, username, with_for_update=True)
        if account is None or not account.active:
            raise SignInRefused(REFUSED)
        account.failed_attempts, account.locked_until = 0, None
        token = secrets.token_urlsafe(32)
        expires = now + SESSION_TTL
        session.add(AccountSession(token_hash=_hash(token), username=username, expires_at=expires))
        return SignedIn(username, account.role, account.region, token, expires)


def _count_failure(factory: sessionmaker[Session], username: str, now: dt.datetime) -> None:
    with factory.begin() as session:  # committed whatever the caller does next
        account = session.get(Account, username, with_for_update=True)
        if account is None:
            return
        account.failed_attempts += 1
        if account.failed_attempts >= MAX_FAILURES:
            account.failed_attempts, account.locked_until = 0, now + LOCKOUT


def account_for_token(factory: sessionmaker[Session], token: str, now: dt.datetime | None = None) -> Account | None:
    """The active account holding this unexpired session token."""
    now = now or dt.datetime.now(dt.UTC)
    with factory() as session:
        found = session.get(AccountSession, _hash(token))
        if found is None or found.expires_at.replace(tzinfo=dt.UTC) <= now:
            return None
        account = session.get(Account, found.username)
        return account if account is not None and account.active else None
