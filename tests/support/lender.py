"""A store at the lender, for tests that activate a counter PC: registered with its record and a staff roster
(activation is refused while the lender has no roster for the store, issue 19), written straight into the
reference server's database (SQLite or PostgreSQL) while the server runs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from app.storage.stores import DEMO_STAFF

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

Member = tuple[str, str, str, str]  # login, role, display name, PIN or password

# The demo accounts' logins, names and PINs (README), for a store whose counter tests sign in as sales01 or manager
# after activation. Logins are unique across the lender: give them to one store per server only.
DEMO_ROSTER: tuple[Member, ...] = tuple((login, role, name, secret) for login, role, name, _i, _p, secret in DEMO_STAFF)


def manager_of(store: str) -> Member:
    """The one member a store gets by default: its store manager `mgr-<store>` with PIN 482613."""
    return (f"mgr-{store.lower()}", "store_manager", "店长", "482613")


def store_with_roster(
    db: str,
    store: str,
    region: str = "BJ",
    members: Iterable[Member] | None = None,
    name: str | None = None,
    opening_hours: str | None = None,
    time_zone: str | None = None,
) -> str:
    """Register `store` at the lender whose database is `db` (`fenqi-central store add`: a new one-time
    activation code each time) with its record and a roster — `members`, or its manager (manager_of) — and return
    the activation code."""
    from central.db import open_database
    from central.devices import add_store
    from central.reporting import set_time_zone

    factory = open_database(db)
    try:
        code = add_store(factory, store, region, name, opening_hours)
        if time_zone is not None:
            set_time_zone(factory, store, time_zone)
        give_roster(factory, store, members)
        return code
    finally:
        factory.kw["bind"].dispose()


def give_roster(factory: sessionmaker[Session], store: str, members: Iterable[Member] | None = None) -> None:
    """Put `members` (or the store's manager, manager_of) on the roster of an existing `store` through the
    server's own session factory (for tests that run the API in process); one already there is left as it is."""
    from sqlalchemy import select

    from central.db import RosterMember
    from central.roster import put_member

    with factory() as session:
        there = set(session.scalars(select(RosterMember.login).where(RosterMember.store_code == store)))
    for login, role, display_name, secret in members if members is not None else (manager_of(store),):
        if login not in there:
            put_member(factory, store, login, display_name, role, secret)
