"""The bank's check of an application's repayment card, kept by the lender: asked by the counter before signing
(`POST /v1/applications/{id}/card-check`) or by the lender itself when an application arrives without one. The
four elements are kept only as the lender's keyed digest, so an arrival names the same card, holder and phone
as a check exactly when the digests agree; the card's last four digits are the most the audit log holds."""

from __future__ import annotations

import datetime as dt
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.phone import normalize_mobile
from app.kernel.errors import InvalidInput
from app.wire.evidence import CardChecked, CardCheckRequest, CardResult
from central import audit, sealing
from central.auth import Refused
from central.bank import BankUnavailable, CardVerifier
from central.db import CardCheck, Device, SubmittedApplication
from central.rate_limits import Limit, allow, serialise

# A counter checks a card or two per application; these stop a device (or a script with its token) from using
# the lender as an oracle for whose card is whose.
DEVICE_LIMITS = (Limit(30, dt.timedelta(minutes=1)),)
APPLICATION_LIMITS = (Limit(10, dt.timedelta(hours=1)),)
OPEN = frozenset({"received", "referred"})  # an application decided otherwise needs no card check any more
NOT_FOUND = "No such application from this store."


def elements_text(card_number: str, name: str, id_number: str, phone: str) -> str:
    """The four elements in one normal form (name NFC with its spaces folded, ID number upper case, phone as
    app.domain.phone.normalize_mobile gives it), prefixed so their digest never equals another blind index's."""
    folded = " ".join(unicodedata.normalize("NFC", name).split())
    return "card:" + "\x1f".join((card_number.strip(), folded, id_number.strip().upper(), phone))


def _last4(card_number: str) -> str:
    return card_number[-4:]


def check_at_counter(
    factory: sessionmaker[Session],
    bank: CardVerifier,
    device: Device,
    application_id: str,
    request: CardCheckRequest,
    now: dt.datetime,
) -> CardChecked:
    """Ask the bank about the card of an application of the device's store and keep its answer. The application
    need not have arrived yet (the card is checked before signing); one of another store is answered as if it
    did not exist (Refused 404), one decided already 409 `already_decided`. Refused 429 `rate_limited` (with
    retry_after) past DEVICE_LIMITS or APPLICATION_LIMITS, 409 `bank_unavailable` when the bank cannot answer,
    422 `bad_phone` for a phone that is not a mainland mobile. Every outcome is in the audit log."""
    actor = audit.device_actor(device)
    try:
        phone = normalize_mobile(request.phone)
    except InvalidInput:
        phone = ""
    refusal: Refused | None = None
    device_bucket = f"card:device:{device.id}"
    application_bucket = f"card:application:{device.store_code}:{application_id}"
    with factory.begin() as session:
        serialise(session, device_bucket)  # then the application's: always in this order
        wait = allow(session, device_bucket, DEVICE_LIMITS, now)
        if wait:
            refusal = Refused(429, "rate_limited", "Too many card checks from this device.", retry_after=wait)
        elif not phone:
            refusal = Refused(422, "bad_phone", "The phone is not a valid mainland mobile number.")
        else:
            refusal = _refused_for(session, device, application_id)
        if refusal is None:
            serialise(session, application_bucket)
            wait = allow(session, application_bucket, APPLICATION_LIMITS, now)
            if wait:
                refusal = Refused(429, "rate_limited", "Too many card checks for this application.", retry_after=wait)
        if refusal is not None:
            detail = {"outcome": refusal.code, "card_last4": _last4(request.card_number)}
            audit.record(session, actor, "card_check.refused", application_id, detail, now)
    if refusal is not None:
        raise refusal
    # The bank is asked outside any transaction: a slow bank never holds the database's locks.
    try:
        result = bank.verify(request.card_number, request.name, request.id_number, phone)
    except BankUnavailable:
        with factory.begin() as session:
            detail = {"outcome": "bank_unavailable", "card_last4": _last4(request.card_number)}
            audit.record(session, actor, "card_check.refused", application_id, detail, now)
        raise Refused(409, "bank_unavailable", "The bank cannot check cards now; try again later.") from None
    with factory.begin() as session:
        text = elements_text(request.card_number, request.name, request.id_number, phone)
        _keep(session, application_id, device.store_code, text, result, "counter", now)
        audit.record(
            session,
            actor,
            "card_check.checked",
            application_id,
            {"result": result.value, "source": "counter", "card_last4": _last4(request.card_number)},
            now,
        )
    return CardChecked(result=result, checked_at=now)


def _refused_for(session: Session, device: Device, application_id: str) -> Refused | None:
    """Why the device may not check a card for this application now, if it may not."""
    arrived = session.get(SubmittedApplication, application_id)
    if arrived is None:
        return None
    if arrived.store_code != device.store_code:
        return Refused(404, "not_found", NOT_FOUND)
    if arrived.status not in OPEN:
        return Refused(409, "already_decided", f"The application is already {arrived.status}.")
    return None


def _keep(
    session: Session, application_id: str, store: str, text: str, result: CardResult, source: str, now: dt.datetime
) -> None:
    session.add(
        CardCheck(
            application_id=application_id,
            store_code=store,
            elements_digest=sealing.ring_of(session).lender_digest(text),
            result=result.value,
            source=source,
            checked_at=now,
        )
    )


def result_on_arrival(
    session: Session,
    bank: CardVerifier,
    application: SubmittedApplication,
    card_number: str,
    name: str,
    id_number: str,
    phone: str,
    now: dt.datetime,
) -> CardResult | None:
    """The bank's answer on the arrived application's card: the newest check of the same four elements for
    this application (by its store), else the bank asked now (kept, source "arrival"); None when the bank
    cannot answer. `phone` is normalised (normalize_mobile)."""
    text = elements_text(card_number, name, id_number, phone)
    digests = sealing.ring_of(session).lender_digests(text)  # checks made before a key rotation count too
    found = session.scalars(
        select(CardCheck.result)
        .where(
            CardCheck.application_id == application.application_id,
            CardCheck.store_code == application.store_code,
            CardCheck.elements_digest.in_(digests),
        )
        .order_by(CardCheck.checked_at.desc(), CardCheck.id.desc())
        .limit(1)
    ).first()
    if found is not None:
        return CardResult(found)
    detail: dict[str, str] = {"source": "arrival", "card_last4": _last4(card_number)}
    try:
        result = bank.verify(card_number, name, id_number, phone)
    except BankUnavailable:
        outcome = {**detail, "outcome": "bank_unavailable"}
        audit.record(session, "system", "card_check.refused", application.application_id, outcome, now)
        return None
    _keep(session, application.application_id, application.store_code, text, result, "arrival", now)
    checked = {**detail, "result": result.value}
    audit.record(session, "system", "card_check.checked", application.application_id, checked, now)
    return result
