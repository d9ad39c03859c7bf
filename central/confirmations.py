"""The one-time code that confirms a signing on the applicant's own phone, at the lender: sending it (through the
SMS provider, central.sms), checking what the customer typed, and telling the judge whether an application was
confirmed. The code is kept only as a keyed digest bound to its application, the phone as the lender's blind
index (and masked for the audit log); the limits and the tries are counted in the database, so they hold across
the server's workers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.phone import normalize_mobile
from app.kernel.errors import InvalidInput
from central import sealing
from central.db import ConfirmationCode, SubmittedApplication
from central.moments import as_utc


def phone_digests(session: Session, phone: str) -> list[bytes]:
    """The lender's blind index of a normalised mobile number under every key (the current one first). Prefixed
    so that a phone's digest never equals an ID number's."""
    return sealing.ring_of(session).lender_digests(f"phone:{phone}")


def confirmed_for(session: Session, application_id: str, phone: str) -> dt.datetime | None:
    """When the customer confirmed the signing of this application with a code sent to `phone` (the phone of
    the submission as it arrived, in any form a mainland mobile is written) — the newest such confirmation made
    by a device of the store the application is stored under; None when there is none or `phone` is not a
    mainland mobile. The application must be in the session (added is enough: the query flushes it)."""
    try:
        number = normalize_mobile(phone)
    except InvalidInput:
        return None
    moment = session.scalar(
        select(ConfirmationCode.confirmed_at)
        .join(SubmittedApplication, SubmittedApplication.application_id == ConfirmationCode.application_id)
        .where(
            ConfirmationCode.application_id == application_id,
            ConfirmationCode.store_code == SubmittedApplication.store_code,
            ConfirmationCode.confirmed_at.is_not(None),
            ConfirmationCode.phone_digest.in_(phone_digests(session, number)),
        )
        .order_by(ConfirmationCode.confirmed_at.desc())
        .limit(1)
    )
    return None if moment is None else as_utc(moment)
