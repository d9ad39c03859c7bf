"""Staff accounts: sign-in, lockout and its expiry, role rules for managing accounts, and their audit trail."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from app.counter.session import CounterLocked, CounterSession, CounterState
from app.domain.roles import Permission, PermissionDenied, Role
from app.kernel.errors import InvalidInput
from app.office.diagnostics import export_diagnostics
from app.office.staff import AccountLocked, Actor, SignInRefused, StaffService
from app.security.passwords import WeakSecret
from app.storage.audit import AuditLog
from tests.support.fixtures import known_customers

NEW_ID = known_customers(1, tag=3)[0].id_number
BAD_CHECK_ID = NEW_ID[:-1] + ("1" if NEW_ID[-1] != "1" else "2")


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 29, 2, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def staff(services, clock) -> StaffService:
    return StaffService(services.store, services.store_id, lambda: services.settings, clock=clock)


def _chain_ok(services) -> bool:
    with services.store.read() as session:
        return AuditLog.for_store(services.store).verify(session).intact


def test_demo_accounts_sign_in_with_their_roles(staff) -> None:
    """The README's demo accounts work and carry their roles and names."""
    assert staff.sign_in("sales01", "135790").role is Role.SALES
    manager = staff.sign_in("MANAGER ", "482613")
    assert manager.role is Role.STORE_MANAGER and manager.display_name == "陈静"
    assert staff.sign_in("admin", "Fenqi2026admin").role is Role.ADMIN


def test_wrong_pin_and_unknown_login_get_the_same_answer(staff) -> None:
    """A wrong PIN and an unknown staff number are refused alike (no hint which one exists)."""
    with pytest.raises(SignInRefused) as wrong:
        staff.sign_in("sales01", "000001")
    with pytest.raises(SignInRefused) as unknown:
        staff.sign_in("nobody", "000001")
    assert wrong.value.message == unknown.value.message


def test_five_failures_lock_for_fifteen_minutes_then_expire(staff, clock, services) -> None:
    """5 wrong PINs lock the account (even the right PIN is refused); after 15 minutes it signs in again."""
    for _ in range(4):
        with pytest.raises(SignInRefused):
            staff.sign_in("sales02", "111112")
    with pytest.raises(AccountLocked) as locked:
        staff.sign_in("sales02", "111112")
    assert locked.value.until == clock.now + dt.timedelta(minutes=15)
    clock.now += dt.timedelta(minutes=14, seconds=59)
    with pytest.raises(AccountLocked):
        staff.sign_in("sales02", "246802")
    clock.now += dt.timedelta(seconds=2)
    assert staff.sign_in("sales02", "246802").login == "sales02"
    assert _chain_ok(services)


def test_successful_sign_in_resets_the_failure_count(staff) -> None:
    """Failures only lock when they come in a row: a good sign-in starts the count again."""
    for _ in range(4):
        with pytest.raises(SignInRefused):
            staff.sign_in("sales03", "111112")
    staff.sign_in("sales03", "975310")
    for _ in range(4):
        with pytest.raises(SignInRefused):
            staff.sign_in("sales03", "111112")
    assert staff.sign_in("sales03", "975310").login == "sales03"


def test_manager_unlocks_and_resets(staff) -> None:
    """A store manager can unlock a sales account and give it a new PIN; the old PIN stops working."""
    manager = staff.sign_in("manager", "482613")
    for _ in range(5):
        with pytest.raises((SignInRefused, AccountLocked)):
            staff.sign_in("sales01", "999990")
    staff.unlock(manager, "sales01")
    assert staff.sign_in("sales01", "135790").login == "sales01"
    staff.reset_secret(manager, "sales01", "864209")
    with pytest.raises(SignInRefused):
        staff.sign_in("sales01", "135790")
    assert staff.sign_in("sales01", "864209").login == "sales01"


def test_roles_gate_staff_management(staff) -> None:
    """Sales cannot manage staff; a manager manages sales only; an admin manages managers too."""
    sales = staff.sign_in("sales01", "135790")
    manager = staff.sign_in("manager", "482613")
    admin = staff.sign_in("admin", "Fenqi2026admin")
    with pytest.raises(PermissionDenied):
        staff.list_staff(sales)
    with pytest.raises(PermissionDenied):
        staff.add(sales, "sales09", "赵六", "sales", NEW_ID, "13700001111", "590317")
    with pytest.raises(PermissionDenied):
        staff.add(manager, "boss2", "钱七", "store_manager", NEW_ID, "13700001111", "590317")
    with pytest.raises(PermissionDenied):
        staff.set_active(manager, "admin", False)
    added = staff.add(admin, "boss2", "钱七", Role.STORE_MANAGER, NEW_ID, "13700001111", "590317")
    assert added.role is Role.STORE_MANAGER and added.phone_masked == "137****1111"
    assert [m.login for m in staff.list_staff(manager)] == [
        "admin",
        "boss2",
        "manager",
        "sales01",
        "sales02",
        "sales03",
    ]


def test_add_validates_everything_and_changes_nothing_on_error(staff) -> None:
    """Bad login, weak PIN, invalid ID number, a taken login or the same person twice are refused."""
    manager = staff.sign_in("manager", "482613")
    cases = [
        (("Bad Login", "孙八", "sales", NEW_ID, "13700002222", "590317"), "bad_login"),
        (("sales10", "孙八", "sales", NEW_ID, "13700002222", "123456"), "weak_secret"),
        (("sales10", "孙八", "sales", BAD_CHECK_ID, "13700002222", "590317"), "id_checksum"),
        (("sales01", "孙八", "sales", NEW_ID, "13700002222", "590317"), "login_taken"),
        (("sales10", " ", "sales", NEW_ID, "13700002222", "590317"), "name_required"),
    ]
    for args, code in cases:
        with pytest.raises(InvalidInput) as caught:
            staff.add(manager, *args)
        assert caught.value.code == code, args
    staff.add(manager, "sales10", "孙八", "sales", NEW_ID, "13700002222", "590317")
    with pytest.raises(InvalidInput) as caught:
        staff.add(manager, "sales11", "孙八", "sales", NEW_ID, "13700002222", "590317")
    assert caught.value.code == "duplicate_person"
    assert len(staff.list_staff(manager)) == 6


def test_disabled_account_cannot_sign_in_and_nobody_disables_themselves(staff) -> None:
    """A disabled account is refused at sign-in; a manager cannot disable their own account."""
    manager = staff.sign_in("manager", "482613")
    staff.set_active(manager, "sales02", False)
    with pytest.raises(SignInRefused):
        staff.sign_in("sales02", "246802")
    admin = staff.sign_in("admin", "Fenqi2026admin")
    with pytest.raises(InvalidInput) as caught:
        staff.set_active(admin, "admin", False)
    assert caught.value.code == "self_disable"
    staff.set_active(manager, "sales02", True)
    assert staff.sign_in("sales02", "246802").role is Role.SALES


def test_everything_is_in_the_audit_chain(staff, services) -> None:
    """Sign-ins, failures, lockouts and staff changes are appended, and the chain stays intact."""
    manager = staff.sign_in("manager", "482613")
    with pytest.raises(SignInRefused):
        staff.sign_in("sales01", "000009")
    staff.reset_secret(manager, "sales03", "864209")
    staff.record_lock(manager, "idle")
    from sqlalchemy import select

    from app.storage.models import AuditEntry

    with services.store.read() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions == ["staff.signed_in", "staff.sign_in_failed", "staff.secret_reset", "session.locked"]
    assert _chain_ok(services)


def test_pin_policy() -> None:
    """PINs are 6–12 digits and not a run; passwords are 10+ characters with letters and digits."""
    from app.security.passwords import check_secret_policy

    for weak in ("12345", "111111", "123456", "987654", "password", "abcdefghij", "1234567890123"):
        with pytest.raises(WeakSecret):
            check_secret_policy(weak)
    for fine in ("135790", "482613", "Fenqi2026admin"):
        check_secret_policy(fine)


def test_counter_session_locks_and_hands_over() -> None:
    """Locked means nobody acts; the same or another person signs in to continue."""
    session = CounterSession()
    alice = Actor("sales01", Role.SALES, "王晓明", staff_id=None)
    bob = Actor("manager", Role.STORE_MANAGER, "陈静", staff_id=None)
    with pytest.raises(CounterLocked):
        session.require(Permission.VIEW_DRAFTS)
    session.signed_in(alice)
    assert session.require(Permission.FILE_APPLICATION) is alice
    with pytest.raises(PermissionDenied):
        session.require(Permission.MANAGE_STAFF)
    assert session.lock() is alice
    assert session.state is CounterState.LOCKED and session.actor is None
    with pytest.raises(CounterLocked):
        session.require(Permission.FILE_APPLICATION)
    session.signed_in(bob)
    assert session.require(Permission.MANAGE_STAFF) is bob


def test_settings_changes_are_gated(services, staff) -> None:
    """Anyone may switch the language; only managers and admins change the store's settings."""
    sales = staff.sign_in("sales01", "135790")
    manager = staff.sign_in("manager", "482613")
    assert services.settings_service.change(sales, language="zh_CN").language == "zh_CN"
    with pytest.raises(PermissionDenied):
        services.settings_service.change(sales, idle_lock_minutes=10)
    with pytest.raises(InvalidInput):
        services.settings_service.change(manager, idle_lock_minutes=0)
    assert services.settings.idle_lock_minutes == 5
    services.settings_service.change(manager, idle_lock_minutes=10, store_time_zone="Asia/Urumqi")
    from app.kernel.settings import load_settings

    saved = load_settings(services.config.paths.settings_file)
    assert (saved.idle_lock_minutes, saved.store_time_zone, saved.language) == (10, "Asia/Urumqi", "zh_CN")


def test_diagnostics_have_no_personal_data(services, staff, tmp_path: Path) -> None:
    """The diagnostics zip has logs, versions and settings, needs a manager or admin, and no staff PII."""
    sales = staff.sign_in("sales01", "135790")
    admin = staff.sign_in("admin", "Fenqi2026admin")
    with pytest.raises(PermissionDenied):
        export_diagnostics(services, sales, tmp_path / "d.zip")
    path = export_diagnostics(services, admin, tmp_path / "d.zip", {"qt": "6.x"})
    with zipfile.ZipFile(path) as bundle:
        names = bundle.namelist()
        blob = b"".join(bundle.read(n) for n in names)
    assert {"versions.json", "settings.json", "store.json"} <= set(names)
    assert any(n.startswith("logs/") for n in names)
    for secret in ("王晓明", "陈静", "13816620101", "310104199403120319"):
        assert secret.encode() not in blob
