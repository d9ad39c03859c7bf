"""The lender's audit log: one row per outcome worth answering for later (a code sent, a code typed, a card
checked, evidence refused), in the caller's transaction. Details never hold personal data."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy.orm import Session

from central.db import AuditEvent, Device


def device_actor(device: Device) -> str:
    """How a device is named in the audit log."""
    return f"device:{device.id}"


def record(
    session: Session, actor: str, action: str, object_id: str | None, detail: dict[str, Any], at: dt.datetime
) -> None:
    """Append an entry to the audit log (committed with the caller's transaction)."""
    session.add(
        AuditEvent(
            at=at,
            actor=actor[:64],
            action=action[:48],
            object_id=object_id,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
        )
    )
