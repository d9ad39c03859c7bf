"""What every route shares: the refusal it raises (answered as `{"error": {code, message}}` with its status),
the server's session factory, and reading a bearer token. Who may call what is central.access."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker


class Refused(Exception):
    """An API refusal with its HTTP status, error code and message; `retry_after` (seconds) becomes the
    Retry-After header, `tries_left` and `missing` go into the error as app.wire.errors.ErrorDetail has them."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        retry_after: int | None = None,
        tries_left: int | None = None,
        missing: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.retry_after, self.tries_left, self.missing = retry_after, tries_left, missing


def factory_of(request: Request) -> sessionmaker[Session]:
    """The server's session factory."""
    factory: sessionmaker[Session] = request.app.state.factory
    return factory


def bearer(authorization: str) -> str:
    """The token of an `Authorization: Bearer …` header, or ''."""
    return authorization.removeprefix("Bearer ").strip()
