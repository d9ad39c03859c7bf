"""Who is calling the central API: a counter PC with its device bearer token, or a person (a reviewer or a
regional manager) with a short-lived session token. Refusals are JSON `{"error": {code, message}}`.

No `from __future__ import annotations`: FastAPI reads these dependency annotations at run time."""

from typing import Annotated

from fastapi import Header, Request
from sqlalchemy.orm import Session, sessionmaker

from central import devices
from central.db import Device


class Refused(Exception):
    """An API refusal with its HTTP status, error code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def factory_of(request: Request) -> sessionmaker[Session]:
    """The server's session factory."""
    return request.app.state.factory


def bearer(authorization: str) -> str:
    """The token of an `Authorization: Bearer …` header, or ''."""
    return authorization.removeprefix("Bearer ").strip()


def device(request: Request, authorization: Annotated[str, Header()] = "") -> Device:
    """The calling device; 401 without a known token, 403 when the lender revoked it (with the reason)."""
    token = bearer(authorization)
    found = devices.device_for_token(factory_of(request), token) if token else None
    if found is None:
        raise Refused(401, "unauthenticated", "Activate this device, or sign in again.")
    if found.revoked_reason is not None:
        raise Refused(403, "device_revoked", f"This device was revoked: {found.revoked_reason}")
    return found
