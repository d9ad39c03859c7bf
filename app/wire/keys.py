"""The idempotency key of an application's submission: derived from its id and revision, so the same revision
always carries the same key (a resend is recognised) and a corrected resend, the next revision, a new one."""

from __future__ import annotations

import uuid


def idempotency_key(application_id: uuid.UUID | str, revision: int) -> str:
    """The key for sending revision `revision` of the application."""
    return str(uuid.uuid5(uuid.UUID(str(application_id)), f"revision:{revision}"))
