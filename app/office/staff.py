"""Staff accounts at the counter: signing in (with lockout), and managing accounts by role.

Until the device is activated, the roster lives on this PC; afterwards the central server owns it (sync issue).
Every change and every sign-in attempt is written to the audit chain in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.actor import Actor
from app.domain.identity import parse_resident_id
from app.domain.phone import normalize_mobile
from app.domain.roles import Permission, Role, parse_role, require_may_manage, require_permission
from app.kernel.clock import format_store_time, utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.kernel.settings import Settings
from app.security.passwords import check_secret_policy, hash_secret, needs_rehash, verify_secret
from app.storage.audit import AuditLog
from app.storage.local_store import LocalStore
from app.storage.models import Staff, Store
from app.storage.staff import StaffRepository

__all__ = ["AccountLocked", "Actor", "SignInRefused", "StaffMember", "StaffService"]

LOGIN_PATTERN = re.compile(r"^[a-z][a-z0-9_.-]{2,31}$")


@dataclass(frozen=True)
class StaffMember:
    """A staff account as the staff screens show it (ID number and phone masked)."""

    id: uuid.UUID
    login: str
    role: Role
    display_name: str
    active: bool
    locked_until: dt.datetime | None
    has_secret: bool
    phone_masked: str

    def is_locked(self, now: dt.datetime) -> bool:
        """Whether failed sign-ins have locked the account at `now`."""
        return self.locked_until is not None and self.locked_until > now


class SignInRefused(InvalidInput):
    """A wrong staff number or secret (or a disabled account); `tries_left` wrong attempts more lock it."""

    code = "sign_in_refused"

    def __init__(self, message: str, tries_left: int) -> None:
        super().__init__(message)
        self.tries_left = tries_left


class AccountLocked(InvalidInput):
    code = "account_locked"

    def __init__(self, message: str, until: dt.datetime) -> None:
        super().__init__(message)
        self.until = until


class StaffService:
    """Signs staff in and manages their accounts; every rule is checked here, whatever the UI shows."""

    def __init__(
        self,
        store: LocalStore,
        store_id: uuid.UUID,
        settings: Callable[[], Settings],
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.store = store
        self.store_id = store_id
        self._settings = settings
        self.clock = clock
        self.records = StaffRepository(store)
        self.audit = AuditLog.for_store(store)
        # Wrong attempts at staff numbers that do not exist, counted here (in memory) so that they are answered
        # exactly like those at real accounts: the tries left and the lockout never tell which logins exist.
        self._unknown_failures: dict[str, int] = {}
        self._unknown_locked: dict[str, dt.datetime] = {}

    @property
    def settings(self) -> Settings:
        return self._settings()

    # --- signing in -------------------------------------------------------------------------------------------

    def sign_in(self, login: str, secret: str) -> Actor:
        """The staff member if `secret` is right and the account is active and not locked.

        A wrong secret counts towards the lockout (settings: max_failed_sign_ins in a row, lockout_minutes):
        SignInRefused says how many tries are left before it (`tries_left`), then AccountLocked until when. An
        unknown login is answered the same way, counted the same, so the answer never says whether it exists.
        """
        now = self.clock()
        login = login.strip().lower()
        failure: InvalidInput | None = None
        actor: Actor | None = None
        with self.store.write() as session:
            row = session.scalar(select(Staff).where(Staff.login == login, Staff.store_id == self.store_id))
            if row is not None and row.locked_until is not None and row.locked_until > now:
                failure = self._locked_error(row.locked_until)
                self._log(session, f"staff:{row.id}", "staff.sign_in_refused_locked", row)
            elif row is None and (until := self._unknown_locked.get(login)) is not None and until > now:
                failure = self._locked_error(until)
                self.audit.append(session, "unknown", "staff.sign_in_failed", detail={"known_login": False})
            elif not verify_secret(row.secret_hash if row else None, secret) or row is None or not row.active:
                if row is not None:
                    failure = self._count_failure(session, row, now)
                else:
                    failure = self._count_unknown(login, now)
                    self.audit.append(session, "unknown", "staff.sign_in_failed", detail={"known_login": False})
            else:
                if row.secret_hash and needs_rehash(row.secret_hash):
                    row.secret_hash = hash_secret(secret)
                row.failed_attempts = 0
                row.locked_until = None
                actor = self._actor(row)
                self._log(session, actor.audit_name, "staff.signed_in", row)
        if failure is not None:
            raise failure
        assert actor is not None
        return actor

    def _count_failure(self, session: Session, row: Staff, now: dt.datetime) -> InvalidInput:
        row.failed_attempts = (row.failed_attempts or 0) + 1
        self._log(session, f"staff:{row.id}", "staff.sign_in_failed", row, {"attempt": row.failed_attempts})
        if row.failed_attempts < self.settings.max_failed_sign_ins:
            return self._refused(row.failed_attempts)
        row.failed_attempts = 0
        row.locked_until = now + dt.timedelta(minutes=self.settings.lockout_minutes)
        self._log(session, f"staff:{row.id}", "staff.locked_out", row, {"minutes": self.settings.lockout_minutes})
        return self._locked_error(row.locked_until)

    def _count_unknown(self, login: str, now: dt.datetime) -> InvalidInput:
        if len(self._unknown_failures) > 1000:  # someone trying many numbers: start counting afresh
            self._unknown_failures.clear()
        self._unknown_locked = {name: until for name, until in self._unknown_locked.items() if until > now}
        failures = self._unknown_failures.get(login, 0) + 1
        if failures < self.settings.max_failed_sign_ins:
            self._unknown_failures[login] = failures
            return self._refused(failures)
        self._unknown_failures.pop(login, None)
        until = now + dt.timedelta(minutes=self.settings.lockout_minutes)
        self._unknown_locked[login] = until
        return self._locked_error(until)

    def _refused(self, failures: int) -> SignInRefused:
        left = self.settings.max_failed_sign_ins - failures
        return SignInRefused(
            _(
                "The staff number or PIN is wrong, or the account is disabled. Tries left before the account is "
                "locked for {minutes} minutes: {left}."
            ).format(minutes=self.settings.lockout_minutes, left=left),
            left,
        )

    def _locked_error(self, until: dt.datetime) -> AccountLocked:
        return AccountLocked(
            _("Too many wrong attempts: this account is locked until {time}. A store manager can unlock it.").format(
                time=format_store_time(until, self.settings.time_zone, with_date=False)
            ),
            until,
        )

    def record_lock(self, actor: Actor, reason: str) -> None:
        """Write to the audit chain that the counter was locked ('idle' or 'hotkey') while `actor` was signed in."""
        with self.store.write() as session:
            self.audit.append(session, actor.audit_name, "session.locked", detail={"reason": reason})

    # --- managing accounts ------------------------------------------------------------------------------------

    def list_staff(self, actor: Actor) -> list[StaffMember]:
        """Every account of the store, for those who may manage staff."""
        require_permission(actor.role, Permission.MANAGE_STAFF)
        with self.store.read() as session:
            rows = session.scalars(select(Staff).where(Staff.store_id == self.store_id).order_by(Staff.login))
            return [self._member(row) for row in rows]

    def add(
        self, actor: Actor, login: str, display_name: str, role: Role | str, id_number: str, phone: str, secret: str
    ) -> StaffMember:
        """Add an account; the actor must be allowed to manage `role`. ID number and phone are kept sealed so
        that self-dealing (staff filing for themselves) can be caught."""
        require_permission(actor.role, Permission.MANAGE_STAFF)
        role = parse_role(role) if isinstance(role, str) else role
        require_may_manage(actor.role, role)
        login = login.strip().lower()
        if not LOGIN_PATTERN.match(login):
            raise InvalidInput(
                _("A staff number has 3 to 32 lower-case letters, digits, '.', '_' or '-', starting with a letter."),
                code="bad_login",
            )
        if not display_name.strip():
            raise InvalidInput(_("The staff member's name is required."), code="name_required")
        resident = parse_resident_id(id_number)
        mobile = normalize_mobile(phone)
        check_secret_policy(secret)
        now = self.clock()
        with self.store.write() as session:
            if session.scalar(select(Staff.id).where(Staff.login == login)) is not None:
                raise InvalidInput(_("The staff number {login} is taken.").format(login=login), code="login_taken")
            index = self.records.id_number_index(resident.number)
            if session.scalar(select(Staff.id).where(Staff.id_number_bi == index, Staff.active.is_(True))):
                raise InvalidInput(_("This person already has an active account."), code="duplicate_person")
            store = session.get(Store, self.store_id)
            assert store is not None
            name = display_name.strip()
            row = self.records.add(session, store, login, role.value, name, resident.number, mobile, now)
            row.secret_hash = hash_secret(secret)
            session.flush()
            self._log(session, actor.audit_name, "staff.added", row, {"role": role.value})
            return self._member(row)

    def _target(self, session: Session, actor: Actor, login: str) -> Staff:
        require_permission(actor.role, Permission.MANAGE_STAFF)
        row = session.scalar(select(Staff).where(Staff.login == login.strip().lower(), Staff.store_id == self.store_id))
        if row is None:
            raise InvalidInput(_("There is no staff member {login}.").format(login=login), code="no_such_staff")
        require_may_manage(actor.role, Role(row.role))
        return row

    def set_active(self, actor: Actor, login: str, active: bool) -> StaffMember:
        """Disable (or enable again) an account. Nobody disables their own account."""
        with self.store.write() as session:
            row = self._target(session, actor, login)
            if actor.staff_id == row.id and not active:
                raise InvalidInput(_("You cannot disable your own account."), code="self_disable")
            row.active = active
            self.audit.append(
                session,
                actor.audit_name,
                "staff.enabled" if active else "staff.disabled",
                object_type="staff",
                object_id=str(row.id),
            )
            return self._member(row)

    def unlock(self, actor: Actor, login: str) -> StaffMember:
        """Lift a lockout from failed sign-ins."""
        with self.store.write() as session:
            row = self._target(session, actor, login)
            row.locked_until = None
            row.failed_attempts = 0
            self._log(session, actor.audit_name, "staff.unlocked", row)
            return self._member(row)

    def reset_secret(self, actor: Actor, login: str, new_secret: str) -> StaffMember:
        """Set a new PIN or password (checked against the policy); also lifts a lockout."""
        check_secret_policy(new_secret)
        with self.store.write() as session:
            row = self._target(session, actor, login)
            row.secret_hash = hash_secret(new_secret)
            row.locked_until = None
            row.failed_attempts = 0
            self._log(session, actor.audit_name, "staff.secret_reset", row)
            return self._member(row)

    def _log(self, session: Session, actor_name: str, action: str, row: Staff, detail: dict | None = None) -> None:
        self.audit.append(session, actor_name, action, object_type="staff", object_id=str(row.id), detail=detail)

    # --- mapping ----------------------------------------------------------------------------------------------

    def _name(self, row: Staff) -> str:
        return self.records.display_name(row)

    def _actor(self, row: Staff) -> Actor:
        return Actor(login=row.login, role=Role(row.role), display_name=self._name(row), staff_id=row.id)

    def _member(self, row: Staff) -> StaffMember:
        phone = self.records.phone(row)
        return StaffMember(
            id=row.id,
            login=row.login,
            role=Role(row.role),
            display_name=self._name(row),
            active=row.active,
            locked_until=row.locked_until,
            has_secret=row.secret_hash is not None,
            phone_masked=f"{phone[:3]}****{phone[-4:]}" if phone else "",
        )
