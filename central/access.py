"""Who may call what, decided in one place. Every route names one of these callers as a dependency:

- `device`: a counter PC with its bearer token; it acts only on its own store's applications.
- `reviewer`: a lender's reviewer with a session; sees and decides only the applications of their region.
- `regional_manager`: reads only their region's figures.

An application of another store or region is answered as if it did not exist (404 `not_found`), so an
outsider learns nothing from guessing ids. tests/integration/test_central_access.py walks every route with
every kind of caller and fails when a route has no row there.

No `from __future__ import annotations`: FastAPI reads these dependency annotations at run time."""

from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import ScalarSelect, select
from sqlalchemy.orm import Session

from central import accounts, devices
from central.auth import Refused, bearer, factory_of
from central.db import Account, CentralStore, Device


def device(request: Request, authorization: Annotated[str, Header()] = "") -> Device:
    """The calling device; 401 without a known token, 403 when the lender revoked it (with the reason)."""
    token = bearer(authorization)
    found = devices.device_for_token(factory_of(request), token) if token else None
    if found is None:
        raise Refused(401, "unauthenticated", "Activate this device, or sign in again.")
    if found.revoked_reason is not None:
        raise Refused(403, "device_revoked", f"This device was revoked: {found.revoked_reason}")
    return found


def person(request: Request, authorization: Annotated[str, Header()] = "") -> Account:
    """The signed-in person; 401 without a valid, unexpired session token of an active account."""
    token = bearer(authorization)
    found = accounts.account_for_token(factory_of(request), token) if token else None
    if found is None:
        raise Refused(401, "unauthenticated", "Sign in again (fenqi login).")
    return found


def reviewer(who: Annotated[Account, Depends(person)]) -> Account:
    """The signed-in person, who must be a reviewer."""
    if who.role != "reviewer":
        raise Refused(403, "not_a_reviewer", "Only the lender's reviewers decide applications.")
    return who


def regional_manager(who: Annotated[Account, Depends(person)]) -> Account:
    """The signed-in person, who must be a regional manager."""
    if who.role != "regional_manager":
        raise Refused(403, "forbidden", "Only regional managers see the regional report.")
    return who


def region_of_store(session: Session, store_code: str) -> str | None:
    """The region a store belongs to (None for an unknown store)."""
    return session.scalar(select(CentralStore.region).where(CentralStore.code == store_code))


def region_stores(caller: Account) -> ScalarSelect[str]:
    """A subquery of the store codes in the person's region (for filtering lists)."""
    return select(CentralStore.code).where(CentralStore.region == caller.region).scalar_subquery()
