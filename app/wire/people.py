"""What the lender's people exchange with its API: a reviewer's or regional manager's sign-in, the review
queue of their region, and a reviewer's decision."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from app.wire.applications import ApplicationStatus
from app.wire.limits import MAX_REASON
from app.wire.types import Answer, AwareMoment, Id, Printable, Request


class SignIn(Request):
    """A username and password (the password never leaves this request)."""

    username: Annotated[Printable, Field(min_length=1, max_length=64)]
    password: Annotated[Printable, Field(min_length=1, max_length=256)]


class SignedIn(Answer):
    """A short-lived session token and when it expires."""

    token: str
    expires_at: AwareMoment
    username: str
    role: Literal["reviewer", "regional_manager"]
    region: str


class QueuedApplication(Answer):
    """A referred application waiting for a reviewer of its region."""

    application_id: Id
    store: str
    received_at: AwareMoment


class ReviewQueue(Answer):
    """The region's referred applications, oldest first (at most 200)."""

    referred: list[QueuedApplication]


class Review(Request):
    """A reviewer's decision and the reason the store will read."""

    decision: Literal["approved", "declined"]
    reason: Annotated[Printable, Field(max_length=MAX_REASON)] = ""


class Reviewed(Answer):
    """The application's status after the review."""

    application_id: Id
    status: ApplicationStatus
