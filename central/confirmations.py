"""The one-time code that confirms a signing on the applicant's own phone, at the lender: sending it (through the
SMS provider, central.sms), checking what the customer typed, and telling the judge whether an application was
confirmed. The code is kept only as a keyed digest bound to its application, the phone as the lender's blind
index (and masked for the audit log); the limits and the tries are counted in the database, so they hold across
the server's workers."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.masking import mask_phone
from app.domain.phone import normalize_mobile
from app.kernel.errors import InvalidInput
from app.wire.errors import FieldProblem, error_body
from app.wire.evidence import CODE_LENGTH, CodeEntry, CodeRequest, CodeSent, Confirmed
from central import audit, sealing
from central.db import ConfirmationCode, Device, RateEvent, SubmittedApplication
from central.moments import as_utc
from central.rate_limits import Limit, allow, retry_after, serialise
from central.sms import SmsProvider, SmsUnavailable, code_text

log = logging.getLogger(__name__)

CODE_VALID = dt.timedelta(minutes=5)
MAX_TRIES = 5  # wrong codes typed before the code is spent; then only a new code confirms
# Per phone: no SMS flood on a customer's mobile, and at most 5 codes x 5 tries = 25 guesses an hour of a million.
PHONE_LIMITS = (Limit(1, dt.timedelta(minutes=1)), Limit(5, dt.timedelta(hours=1)))
# Per device: a counter files a few applications an hour; these stop a stolen token from flooding many phones
# or guessing across many applications (120 guesses an hour of a million per code).
DEVICE_SEND_LIMITS = (Limit(60, dt.timedelta(hours=1)),)
DEVICE_ENTRY_LIMITS = (Limit(120, dt.timedelta(hours=1)),)
OPEN = frozenset({"received", "referred"})  # a code may be sent while the application is still undecided
NOT_FOUND = "No such application from this store."
NO_CODE = "No code was sent for this application from this store."


@dataclass(frozen=True)
class Reply:
    """An answer of the code routes: its status, its JSON body, and the seconds of a Retry-After header."""

    status_code: int
    body: dict[str, Any]
    retry_after: int | None = None


def _refused(status: int, code: str, message: str, retry: int | None = None, **extra: Any) -> Reply:
    return Reply(status, error_body(code, message, **extra), retry)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def phone_text(phone: str) -> str:
    """What the lender's blind index of a normalised mobile number is taken of: prefixed, so that a phone's
    digest never equals an ID number's."""
    return f"phone:{phone}"


def code_digest_text(application_id: str, code: str) -> str:
    """What a code's keyed digest is taken of: bound to its application (a digest moved to another
    application's row matches nothing there)."""
    return f"code:{application_id}:{code}"


def phone_digests(session: Session, phone: str) -> list[bytes]:
    """The lender's blind index of a normalised mobile number (of phone_text) under every key (the current one
    first)."""
    return sealing.ring_of(session).lender_digests(phone_text(phone))


@dataclass(frozen=True)
class ConfirmedCode:
    """A code the customer confirmed: the store whose device had it sent, the phone's digest, and when."""

    store_code: str
    phone_digest: bytes
    confirmed_at: dt.datetime


def confirmed_codes(session: Session, application_ids: Collection[str]) -> dict[str, list[ConfirmedCode]]:
    """The confirmed codes of these applications, by application id (an application without one is absent):
    what confirmed_among looks through, loaded for a batch's applications in one query."""
    found: dict[str, list[ConfirmedCode]] = {}
    rows = session.execute(
        select(
            ConfirmationCode.application_id,
            ConfirmationCode.store_code,
            ConfirmationCode.phone_digest,
            ConfirmationCode.confirmed_at,
        ).where(ConfirmationCode.application_id.in_(list(application_ids)), ConfirmationCode.confirmed_at.is_not(None))
    )
    for application_id, store, digest, moment in rows:
        if moment is not None:
            found.setdefault(application_id, []).append(ConfirmedCode(store, digest, as_utc(moment)))
    return found


def confirmed_among(
    session: Session, codes: Iterable[ConfirmedCode], store_code: str, phone: str
) -> dt.datetime | None:
    """The newest of an application's confirmed `codes` (confirmed_codes) sent by a device of `store_code` (the
    store the application is stored under) to `phone` (normalised: normalize_mobile); None when there is none."""
    digests = set(phone_digests(session, phone))
    moments = [c.confirmed_at for c in codes if c.store_code == store_code and c.phone_digest in digests]
    return max(moments, default=None)


def confirmed_for(session: Session, application_id: str, phone: str) -> dt.datetime | None:
    """When the customer confirmed the signing of this application with a code sent to `phone` (the phone of
    the submission as it arrived, in any form a mainland mobile is written) — the newest such confirmation made
    by a device of the store the application is stored under; None when there is none, the application has not
    arrived (as this session sees it: flushed) or `phone` is not a mainland mobile. A batch looks its
    applications up at once instead: confirmed_codes, then confirmed_among."""
    try:
        number = normalize_mobile(phone)
    except InvalidInput:
        return None
    store = session.scalar(
        select(SubmittedApplication.store_code).where(SubmittedApplication.application_id == application_id)
    )
    if store is None:
        return None
    return confirmed_among(session, confirmed_codes(session, [application_id]).get(application_id, []), store, number)


def _code_hash(session: Session, application_id: str, code: str) -> str:
    """The code as kept: an HMAC under the lender's digest key, bound to its application (code_digest_text)."""
    return sealing.ring_of(session).lender_digest(code_digest_text(application_id, code)).hex()


def _code_matches(session: Session, application_id: str, code: str, kept: str) -> bool:
    """Whether `code` is the one kept, compared in constant time under every key of the ring (a key rotation
    in the five minutes a code lives does not spoil it)."""
    candidates = [d.hex() for d in sealing.ring_of(session).lender_digests(code_digest_text(application_id, code))]
    results = [hmac.compare_digest(candidate, kept) for candidate in candidates]
    return any(results)


def _phone_bucket(digest: bytes) -> str:
    return f"sms:phone:{digest.hex()}"


def _application_refusal(session: Session, device: Device, application_id: str, decided: bool) -> Reply | None:
    """404 for an application stored under another store; with `decided`, 409 for one already decided. An
    application that has not arrived yet passes: the code is sent before the signed application is."""
    application = session.get(SubmittedApplication, application_id)
    if application is None:
        return None
    if application.store_code != device.store_code:
        return _refused(404, "not_found", NOT_FOUND)
    if decided and application.status not in OPEN:
        return _refused(409, "already_decided", f"The application is already {application.status}.")
    return None


def send_code(
    factory: sessionmaker[Session],
    sms: SmsProvider,
    device: Device,
    application_id: str,
    request: CodeRequest,
    now: dt.datetime | None = None,
) -> Reply:
    """Send a new one-time code for the application to `request.phone`: 202 with when it expires, replacing the
    application's earlier unconfirmed code of this store. Refused: 422 bad_phone (not a mainland mobile), 404
    not_found (another store's application), 409 already_decided, 429 rate_limited with Retry-After (the
    phone's limits, PHONE_LIMITS, or the device's, DEVICE_SEND_LIMITS), 409 sms_unavailable (the provider
    failed: the code is not kept and the phone's limits do not count it). Every outcome but 404/409 decided is
    audited with the masked phone."""
    now = now or _now()
    try:
        phone = normalize_mobile(request.phone)
    except InvalidInput:
        problem = FieldProblem(field="body.phone", problem="not a mainland mobile number")
        return _refused(422, "bad_phone", "The phone is not a mainland mobile number.", fields=[problem])
    masked, actor = mask_phone(phone), audit.device_actor(device)
    code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
    with factory.begin() as session:
        refused = _application_refusal(session, device, application_id, decided=True)
        if refused is not None:
            return refused
        digest = phone_digests(session, phone)[0]
        bucket = _phone_bucket(digest)
        serialise(session, bucket)
        wait = allow(session, f"sms:device:{device.id}", DEVICE_SEND_LIMITS, now) or retry_after(
            session, bucket, PHONE_LIMITS, now
        )
        if wait:
            audit.record(session, actor, "confirmation_code.rate_limited", application_id, {"phone": masked}, now)
            return _refused(429, "rate_limited", f"Too many codes; ask again in {wait} s.", wait)
        allow(session, bucket, PHONE_LIMITS, now)
        counted = session.scalars(
            select(RateEvent.id).where(RateEvent.bucket == bucket).order_by(RateEvent.id.desc()).limit(1)
        ).one()
        row = ConfirmationCode(
            application_id=application_id,
            store_code=device.store_code,
            device_id=device.id,
            phone_digest=digest,
            phone_masked=masked,
            code_hash=_code_hash(session, application_id, code),
            sent_at=now,
            expires_at=now + CODE_VALID,
            tries=0,
        )
        session.add(row)
        session.flush()
        row_id = row.id
    # Sent outside the transaction: no lock is held while the provider answers.
    minutes = int(CODE_VALID.total_seconds() // 60)
    try:
        sms.send(phone, code_text(code, minutes), code=code, application_id=application_id, sent_at=now)
    except Exception as exc:  # any provider failure: the clerk goes on with the confirmation pending
        if not isinstance(exc, SmsUnavailable):
            log.exception("The SMS provider failed unexpectedly")
        with factory.begin() as session:
            session.execute(delete(ConfirmationCode).where(ConfirmationCode.id == row_id))
            session.execute(delete(RateEvent).where(RateEvent.id == counted))
            detail = {"phone": masked, "reason": str(exc)[:200]}
            audit.record(session, actor, "confirmation_code.sms_unavailable", application_id, detail, now)
        return _refused(409, "sms_unavailable", "No SMS can be sent now; go on with the confirmation pending.")
    with factory.begin() as session:
        session.execute(
            delete(ConfirmationCode).where(
                ConfirmationCode.application_id == application_id,
                ConfirmationCode.store_code == device.store_code,
                ConfirmationCode.confirmed_at.is_(None),
                ConfirmationCode.id < row_id,
            )
        )
        detail = {"phone": masked, "expires_at": (now + CODE_VALID).isoformat()}
        audit.record(session, actor, "confirmation_code.sent", application_id, detail, now)
    return Reply(202, CodeSent(expires_at=now + CODE_VALID).model_dump(mode="json"))


def confirm(
    factory: sessionmaker[Session],
    device: Device,
    application_id: str,
    entry: CodeEntry,
    now: dt.datetime | None = None,
) -> Reply:
    """Check the code the customer typed against the newest code this store sent for the application: 200 with
    when it was confirmed (the same moment again for the right code once confirmed). Refused: 404 not_found (no
    code from this store, or another store's application), 422 code_wrong with `tries_left`, 410 code_expired,
    429 too_many_tries (the MAX_TRIES-th wrong code, and every code after it; Retry-After: until a new code may
    be sent to the phone), 429 rate_limited (the device's DEVICE_ENTRY_LIMITS). The tries are counted under a
    lock of the code's row, so workers answering at the same time never take more than MAX_TRIES. Every
    outcome but 404 is audited with the masked phone."""
    now = now or _now()
    actor = audit.device_actor(device)
    with factory.begin() as session:
        refused = _application_refusal(session, device, application_id, decided=False)
        if refused is not None:
            return refused
        row = session.scalars(
            select(ConfirmationCode)
            .where(ConfirmationCode.application_id == application_id, ConfirmationCode.store_code == device.store_code)
            .order_by(ConfirmationCode.id.desc())
            .limit(1)
            .with_for_update()
        ).first()
        if row is None:
            return _refused(404, "not_found", NO_CODE)

        def outcome(action: str) -> None:
            detail = {"phone": row.phone_masked, "tries": row.tries}
            audit.record(session, actor, f"confirmation.{action}", application_id, detail, now)

        wait = allow(session, f"code:device:{device.id}", DEVICE_ENTRY_LIMITS, now)
        if wait:
            outcome("rate_limited")
            return _refused(429, "rate_limited", f"Too many codes typed; try again in {wait} s.", wait)
        right = _code_matches(session, application_id, entry.code, row.code_hash)
        if row.confirmed_at is not None:  # confirmed already: the right code answers the same; nothing counts
            if right:
                return Reply(200, Confirmed(confirmed_at=as_utc(row.confirmed_at)).model_dump(mode="json"))
            outcome("code_wrong")
            return _wrong(MAX_TRIES - row.tries)
        if row.tries >= MAX_TRIES:
            outcome("too_many_tries")
            return _too_many(session, row, now)
        if now >= as_utc(row.expires_at):
            outcome("code_expired")
            return _refused(410, "code_expired", "The code has expired; send a new one.")
        row.tries += 1
        if right:
            row.confirmed_at = now
            outcome("confirmed")
            return Reply(200, Confirmed(confirmed_at=now).model_dump(mode="json"))
        if row.tries >= MAX_TRIES:
            outcome("too_many_tries")
            return _too_many(session, row, now)
        outcome("code_wrong")
        return _wrong(MAX_TRIES - row.tries)


def _wrong(tries_left: int) -> Reply:
    return _refused(422, "code_wrong", f"The code is wrong; {tries_left} more tries.", tries_left=tries_left)


def _too_many(session: Session, row: ConfirmationCode, now: dt.datetime) -> Reply:
    wait = max(1, retry_after(session, _phone_bucket(row.phone_digest), PHONE_LIMITS, now))
    return _refused(429, "too_many_tries", f"Too many wrong codes; send a new code (in {wait} s).", wait)
