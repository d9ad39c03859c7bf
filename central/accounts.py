"""People with central accounts — the lender's reviewers and regional managers. A password (Argon2id, the
counters' policy) gives a short-lived session token kept only as a hash; repeated failures lock the account."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.security.passwords import check_secret_policy, hash_secret, verify_secret
from central.db import Account, AccountSession

ROLES = ("reviewer", "regional_manager")
SESSION_TTL = dt.timedelta(hours=1)
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)


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
    """Create the account, or give an existing one a new role, region and password (unlocked)."""
    if role not in ROLES:
        raise SignInRefused(f"The role must be one of: {', '.join(ROLES)}.")
    check_secret_policy(password)
    with factory.begin() as session:
        account = session.get(Account, username) or Account(username=username)
        account.role, account.region, account.password_hash = role, region, hash_secret(password)
        account.failed_attempts, account.locked_until, account.active = 0, None, True
        session.add(account)


def sign_in(factory: sessionmaker[Session], username: str, password: str, now: dt.datetime | None = None) -> SignedIn:
    """A session token for the right password; SignInRefused otherwise (and a count towards the lockout)."""
    now = now or dt.datetime.now(dt.UTC)
    with factory.begin() as session:
        account = session.get(Account, username)
        if account is None or not account.active:
            raise SignInRefused("The username or password is wrong.")
        if account.locked_until is not None and account.locked_until.replace(tzinfo=dt.UTC) > now:
            raise SignInRefused("Too many failed sign-ins: the account is locked for a while.")
        if not verify_secret(account.password_hash, password):
            account.failed_attempts += 1
            if account.failed_attempts >= MAX_FAILURES:
                account.failed_attempts, account.locked_until = 0, now + LOCKOUT
            raise SignInRefused("The username or password is wrong.")
        account.failed_attempts, account.locked_until = 0, None
        token = secrets.token_urlsafe(32)
        expires = now + SESSION_TTL
        session.add(AccountSession(token_hash=_hash(token), username=username, expires_at=expires))
        return SignedIn(username, account.role, account.region, token, expires)


def account_for_token(factory: sessionmaker[Session], token: str, now: dt.datetime | None = None) -> Account | None:
    """The active account holding this unexpired session token."""
    now = now or dt.datetime.now(dt.UTC)
    with factory() as session:
        found = session.get(AccountSession, _hash(token))
        if found is None or found.expires_at.replace(tzinfo=dt.UTC) <= now:
            return None
        account = session.get(Account, found.username)
        return account if account is not None and account.active else None
