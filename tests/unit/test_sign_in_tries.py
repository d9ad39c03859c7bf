"""A wrong PIN says how many tries are left before the lockout (the count is a setting); an unknown staff number
is answered exactly the same way, lockout included, so the answers never tell which numbers exist."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.office.staff import AccountLocked, SignInRefused, StaffService


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 29, 2, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def _staff(services, clock: Clock, **settings: object) -> StaffService:
    changed = dataclasses.replace(services.settings, **settings)
    return StaffService(services.store, services.store_id, lambda: changed, clock=clock)


def _refusals(staff: StaffService, login: str, count: int) -> list[SignInRefused]:
    out = []
    for _ in range(count):
        with pytest.raises(SignInRefused) as refused:
            staff.sign_in(login, "000001")
        out.append(refused.value)
    return out


def test_each_wrong_pin_says_the_tries_left(services) -> None:
    """With the default 5 and 15 minutes: 4, 3, 2, 1 tries left, each said in the message, then the lockout."""
    clock = Clock()
    staff = _staff(services, clock)
    refusals = _refusals(staff, "sales01", 4)
    assert [r.tries_left for r in refusals] == [4, 3, 2, 1]
    assert all(r.code == "sign_in_refused" for r in refusals)
    assert "Tries left before the account is locked for 15 minutes: 4." in refusals[0].message
    assert refusals[3].message.endswith(": 1.")
    with pytest.raises(AccountLocked):
        staff.sign_in("sales01", "000001")


def test_the_count_follows_the_settings(services) -> None:
    """max_failed_sign_ins 3 and lockout_minutes 30: 2 and 1 tries left, then locked for 30 minutes."""
    clock = Clock()
    staff = _staff(services, clock, max_failed_sign_ins=3, lockout_minutes=30)
    refusals = _refusals(staff, "sales02", 2)
    assert [r.tries_left for r in refusals] == [2, 1]
    assert "locked for 30 minutes: 2." in refusals[0].message
    with pytest.raises(AccountLocked) as locked:
        staff.sign_in("sales02", "000001")
    assert locked.value.until == clock.now + dt.timedelta(minutes=30)


def test_a_good_sign_in_starts_the_count_again(services) -> None:
    clock = Clock()
    staff = _staff(services, clock)
    _refusals(staff, "sales03", 3)
    staff.sign_in("sales03", "975310")
    assert _refusals(staff, "sales03", 1)[0].tries_left == 4


def test_an_unknown_staff_number_is_answered_alike(services) -> None:
    """The same messages, the same count and the same lockout (with its expiry) as a real account."""
    clock = Clock()
    staff = _staff(services, clock)
    real = [r.message for r in _refusals(staff, "sales01", 4)]
    unknown = [r.message for r in _refusals(staff, "nobody", 4)]
    assert unknown == real
    with pytest.raises(AccountLocked) as real_lock:
        staff.sign_in("sales01", "000001")
    with pytest.raises(AccountLocked) as unknown_lock:
        staff.sign_in("nobody", "000001")
    assert unknown_lock.value.message == real_lock.value.message
    with pytest.raises(AccountLocked):
        staff.sign_in("nobody", "000001")  # still locked, like the real one
    clock.now += dt.timedelta(minutes=15, seconds=1)
    assert _refusals(staff, "nobody", 1)[0].tries_left == 4
