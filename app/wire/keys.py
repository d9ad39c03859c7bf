"""The idempotency keys of what a counter sends the lender, in one scheme: uuid5(subject, "purpose:occasion").
The same subject, purpose and occasion always give the same key (a resend is recognised); anything else
another. A submission's occasion is its revision, so a corrected resend, the next revision, gets a new key and
the server can tell which revision a key belongs to; a cancellation's or withdrawal's is the moment it was
asked for."""

from __future__ import annotations

import uuid

SUBMISSION = "revision"  # occasion: the revision number
CANCELLATION = "cancel"  # occasion: the request's time, ISO 8601
WITHDRAWAL = "withdraw"  # occasion: "<consent kind>:<the withdrawal's time, ISO 8601>"


def outbox_key(subject_id: uuid.UUID | str, purpose: str, occasion: int | str) -> uuid.UUID:
    """The key of the `occasion` of `purpose` about `subject_id` (an application's UUID)."""
    return uuid.uuid5(uuid.UUID(str(subject_id)), f"{purpose}:{occasion}")


def idempotency_key(application_id: uuid.UUID | str, revision: int) -> str:
    """The key for sending revision `revision` of the application."""
    return str(outbox_key(application_id, SUBMISSION, revision))
