"""Attachments (contract PDF, signature strokes, ID images) addressed by their SHA-256: storing the same bytes
again is acknowledged, bytes that do not hash to their address are refused; and cancellation requests, kept
once by their idempotency key, which cancel an application still undecided or in review."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.wire.applications import CancellationRequest as Cancellation
from central import reporting
from central.db import CancellationRequest, Decision, Device, StoredAttachment, SubmittedApplication
from central.submissions import NOT_FOUND, Outcome, error

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
CANCELLABLE = frozenset({"received", "referred"})


def put_attachment(
    factory: sessionmaker[Session], device: Device, sha256: str, content: bytes, media_type: str
) -> Outcome:
    """Keep the bytes under their hash, once, with their size."""
    if len(content) > MAX_ATTACHMENT_BYTES:
        return error(413, "too_large", "An attachment may be at most 20 MB.")
    if hashlib.sha256(content).hexdigest() != sha256.lower():
        return error(422, "hash_mismatch", "The content does not have the SHA-256 in the address.")
    try:
        with factory.begin() as session:
            if session.get(StoredAttachment, sha256.lower()) is not None:
                return Outcome(200, {"sha256": sha256.lower(), "stored": True}, replayed=True)
            session.add(
                StoredAttachment(
                    sha256=sha256.lower(),
                    content=content,
                    media_type=media_type[:64] or "application/octet-stream",
                    store_code=device.store_code,
                    received_at=dt.datetime.now(dt.UTC),
                    size=len(content),
                )
            )
    except IntegrityError:  # the same bytes arrived concurrently
        return Outcome(200, {"sha256": sha256.lower(), "stored": True}, replayed=True)
    return Outcome(201, {"sha256": sha256.lower(), "stored": True})


def request_cancellation(
    factory: sessionmaker[Session], device: Device, application_id: str, key: str, body: Cancellation
) -> Outcome:
    """Cancel the application if it is still undecided or in review; the same key again replays the outcome.
    An application of another store, or a key another store's device used, is answered as if it did not exist."""
    reason = body.reason
    try:
        with factory.begin() as session:
            earlier = session.get(CancellationRequest, key)
            if earlier is not None:
                maker = session.get(Device, earlier.device_id)
                if maker is None or maker.store_code != device.store_code:
                    return error(404, "not_found", NOT_FOUND)
                if earlier.application_id != application_id:
                    return error(422, "idempotency_key_reused", "This key was used for another application.")
                return Outcome(200, {"application_id": application_id, "status": earlier.outcome}, replayed=True)
            # Locked until commit (PostgreSQL): a review at the same time waits, then finds it cancelled.
            application = session.get(SubmittedApplication, application_id, with_for_update=True)
            if application is None or application.store_code != device.store_code:
                return error(404, "not_found", NOT_FOUND)
            if application.status not in CANCELLABLE:
                return error(409, "already_decided", f"The application is already {application.status}.")
            now = dt.datetime.now(dt.UTC)
            before = reporting.facts_of(session, application)
            application.status = "cancelled"
            reporting.status_changed(session, application, before)
            session.add(
                CancellationRequest(
                    key=key,
                    application_id=application_id,
                    device_id=device.id,
                    reason=reason,
                    outcome="cancelled",
                    received_at=now,
                )
            )
            session.add(
                Decision(
                    application_id=application_id,
                    store_code=application.store_code,
                    decision="cancelled",
                    reasons=json.dumps([{"code": "store_cancelled", "text": reason}], ensure_ascii=False),
                    automatic=False,
                    decided_at=now,
                )
            )
    except IntegrityError:
        return error(409, "in_flight", "The same request is being processed; ask again shortly.")
    return Outcome(200, {"application_id": application_id, "status": "cancelled"})
