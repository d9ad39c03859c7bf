"""Applications arriving at the central server, exactly once in effect: every request carries an idempotency
key derived from the application id and revision. The key is claimed in its own transaction before any work,
so a concurrent duplicate sees it in flight (409); a finished one is replayed byte for byte; the same key with
a different body is refused (422) and the device parks it for a person. An application naming a document the
lender does not hold yet is refused (409 `attachments_missing`, with the hashes) without using up its key: the
same key is taken once the documents are there."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.kernel.canonical import canonical_json
from app.wire.applications import BatchItem, ConsentWithdrawal, Submission
from app.wire.errors import error_body
from app.wire.keys import idempotency_key
from central import audit, card_checks, evidence, reporting
from central.access import region_of_store
from central.bank import CardVerifier, DevelopmentBank
from central.db import Decision, Device, IdempotencyRecord, SubmittedApplication
from central.judge import Evidence, judge

RESUBMITTABLE = frozenset({"received", "referred"})  # a corrected resend (next revision) is accepted then
# Decided for good: a revision is never judged again (a declined customer does not get a second try by editing the
# figures; a new application is a new application).
FINAL = frozenset({"approved", "declined", "cancelled"})


@dataclass(frozen=True)
class Outcome:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False
    kept: bool = True  # the key's answer for good; False: not stored, the same key is taken again later


def error(status: int, code: str, message: str) -> Outcome:
    """A refusal as the API answers it: `{"error": {code, message}}`."""
    return Outcome(status, error_body(code, message))


NOT_FOUND = "No such application from this store."
T = TypeVar("T")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def submit(
    factory: sessionmaker[Session],
    device: Device,
    application_id: str,
    key: str,
    body: Submission,
    bank: CardVerifier | None = None,
) -> Outcome:
    """Take one application submission; see the module's promise. A key another store's device made, or an
    application of another store, is answered as if it did not exist (404). `bank` checks a card the counter
    did not have checked (central.judge), asked outside the arrival's transaction; the development bank without
    one."""
    request_sha = body.sha256()
    claimed = _claim(factory, device, application_id, key, request_sha)
    if claimed is not None:
        return claimed
    try:
        answers = card_checks.BankAnswers(bank or DevelopmentBank())
        outcome = _with_answers(answers, lambda: _apply(factory, device, application_id, key, body, answers))
    except Exception:
        with factory.begin() as session:  # let a retry do the work again
            record = session.get(IdempotencyRecord, key)
            if record is not None and record.response is None:
                session.delete(record)
        raise
    return outcome


def _claim_record(device: Device, application_id: str, key: str, request_sha: str) -> IdempotencyRecord:
    """The record that claims `key`: in flight until its response is stored."""
    return IdempotencyRecord(
        key=key, device_id=device.id, application_id=application_id, request_sha256=request_sha, created_at=_now()
    )


def _claim(
    factory: sessionmaker[Session], device: Device, application_id: str, key: str, request_sha: str
) -> Outcome | None:
    try:
        with factory.begin() as session:
            record = session.get(IdempotencyRecord, key)
            if record is None:
                session.add(_claim_record(device, application_id, key, request_sha))
                return None
            return _existing(record, _store_of(session, record), device, application_id, request_sha)
    except IntegrityError:  # another request claimed the key between our read and insert
        with factory() as session:
            record = session.get(IdempotencyRecord, key)
            assert record is not None
            return _existing(record, _store_of(session, record), device, application_id, request_sha)


def _store_of(session: Session, record: IdempotencyRecord) -> str | None:
    maker = session.get(Device, record.device_id)
    return None if maker is None else maker.store_code


def _existing(
    record: IdempotencyRecord, store: str | None, device: Device, application_id: str, request_sha: str
) -> Outcome:
    if store != device.store_code:  # idempotency records are bound to the store that made them
        return error(404, "not_found", NOT_FOUND)
    if record.application_id != application_id or record.request_sha256 != request_sha:
        return error(422, "idempotency_key_reused", "This idempotency key was used with a different request body.")
    if record.response is None:
        return error(409, "in_flight", "The same request is being processed; ask again shortly.")
    return Outcome(record.status_code or 200, json.loads(record.response), replayed=True)


def _with_answers(answers: card_checks.BankAnswers, run: Callable[[], T]) -> T:
    """`run` (an arrival's transaction) again until it needed no answer of the bank it had not got: the bank is
    asked between the runs, outside any transaction, so no database lock is held while it answers. Arrivals
    the bank need not be asked about (checked at the counter, or declined) run once."""
    while True:
        try:
            return run()
        except card_checks.Unanswered:
            answers.ask()


def _apply(
    factory: sessionmaker[Session],
    device: Device,
    application_id: str,
    key: str,
    body: Submission,
    answers: card_checks.BankAnswers,
) -> Outcome:
    with factory.begin() as session:
        outcome = _decide(session, device, application_id, key, body, Evidence([application_id], answers))
        answers.raise_unanswered()  # rolled back: asked, then judged again
        record = session.get(IdempotencyRecord, key)
        assert record is not None
        _answer(session, record, outcome)
        return outcome


def _answer(session: Session, record: IdempotencyRecord, outcome: Outcome) -> None:
    """Store the outcome as the key's answer, or release the key when the outcome is not for good."""
    if outcome.kept:
        record.status_code, record.response = outcome.status_code, json.dumps(outcome.body, sort_keys=True)
    else:
        session.delete(record)


def _decide(
    session: Session,
    device: Device,
    application_id: str,
    key: str,
    submission: Submission,
    found: Evidence,
    loaded: dict[str, SubmittedApplication] | None = None,
    absent: set[str] | None = None,
) -> Outcome:
    revision = submission.revision
    if str(submission.application_id) != application_id:
        return error(422, "id_mismatch", "The body's application_id is not the one in the address.")
    if key != idempotency_key(application_id, revision):
        return error(422, "bad_idempotency_key", "The idempotency key is not the one for this revision.")
    if submission.store != device.store_code:
        return error(422, "wrong_store", "The application names another store than this device's.")
    kinds = [item.kind.value for item in submission.evidence]
    if len(set(kinds)) != len(kinds):
        detail = {"revision": revision, "kinds": kinds}
        audit.record(session, audit.device_actor(device), "evidence.duplicate", application_id, detail, _now())
        return error(422, "duplicate_evidence", "The application names two documents of the same kind.")
    canonical = submission.canonical()
    sha = hashlib.sha256(canonical).hexdigest()
    body: dict[str, Any] = json.loads(canonical)
    # A batch has loaded what exists (a miss through session.get would cost a query and a flush per item).
    # Locked (on PostgreSQL) until commit: a review or cancellation at the same time waits and sees this revision,
    # so the report figures subtract what the row really counted.
    existing = (
        session.get(SubmittedApplication, application_id, with_for_update=True)
        if loaded is None
        else loaded.get(application_id)
    )
    if existing is not None and existing.store_code != device.store_code:
        return error(404, "not_found", NOT_FOUND)
    if existing is not None and existing.status in FINAL:
        return error(
            409,
            "decision_final",
            f"Application {application_id} is {existing.status}: its decision is final and it is not judged again.",
        )
    if existing is not None and (revision <= existing.revision or existing.status not in RESUBMITTABLE):
        return error(
            409,
            "stale_revision",
            f"Revision {revision} cannot replace revision {existing.revision} ({existing.status}).",
        )
    hashes = [item.sha256 for item in submission.evidence]
    # A batch asked for the documents of all its items at once (`absent`: those the lender lacks).
    lacking = evidence.missing(session, hashes) if absent is None else [h for h in dict.fromkeys(hashes) if h in absent]
    if lacking:
        detail = {"revision": revision, "missing": lacking}
        audit.record(session, audit.device_actor(device), "evidence.missing", application_id, detail, _now())
        message = "The lender does not hold every document the application names: send them, then this again."
        return Outcome(409, error_body("attachments_missing", message, missing=lacking), kept=False)
    if existing is None:
        arrived = SubmittedApplication(
            application_id=application_id,
            store_code=device.store_code,
            device_id=device.id,
            revision=revision,
            body=canonical.decode(),
            body_sha256=sha,
            status="received",
            received_at=_now(),
        )
        session.add(arrived)
        if loaded is not None:
            loaded[application_id] = arrived  # a later item of the batch with the same id finds it
        else:
            session.flush()  # the unit of work orders the decision row after it in a batch too; here be plain
        _decide_on_arrival(session, arrived, body, None, found)
        return Outcome(
            201,
            {"application_id": application_id, "revision": revision, "status": arrived.status, "body_sha256": sha},
        )
    before = reporting.facts_of(session, existing)  # what the replaced revision counted in the reports
    existing.revision, existing.body, existing.body_sha256 = revision, canonical.decode(), sha
    existing.status, existing.received_at = "received", _now()
    _decide_on_arrival(session, existing, body, before, found)
    return Outcome(
        200, {"application_id": application_id, "revision": revision, "status": existing.status, "body_sha256": sha}
    )


def _decide_on_arrival(
    session: Session,
    application: SubmittedApplication,
    body: dict[str, Any],
    before: reporting.Facts | None,
    found: Evidence,
) -> None:
    verdict = judge(session, application, body, found)
    application.status = verdict.decision
    reporting.arrived(session, application, body, verdict, before)
    # In a batch the decisions are added after one flush of the applications they refer to.
    session.info.get("fenqi_deferred", session.add_all)(
        [
            Decision(
                application_id=application.application_id,
                store_code=application.store_code,
                decision=verdict.decision,
                reasons=json.dumps(verdict.reasons, ensure_ascii=False),
                automatic=True,
                decided_at=_now(),
            )
        ]
    )


def review(
    factory: sessionmaker[Session],
    application_id: str,
    decision: str,
    reason: str,
    reviewer: str = "",
    region: str | None = None,
) -> Outcome:
    """A reviewer's decision on a referred application; devices pull it with their decision cursor. With a
    `region` (a reviewer's), an application of a store elsewhere is answered as if it did not exist."""
    if decision not in ("approved", "declined"):
        return error(422, "bad_decision", "A review approves or declines.")
    with factory.begin() as session:
        application = session.get(SubmittedApplication, application_id, with_for_update=True)
        if application is None or (region is not None and region_of_store(session, application.store_code) != region):
            return error(404, "not_found", "No such application.")
        if application.status not in ("referred", "received"):
            return error(409, "already_decided", f"The application is already {application.status}.")
        before = reporting.facts_of(session, application)
        application.status = decision
        reporting.status_changed(session, application, before, ["reviewer"])
        session.add(
            Decision(
                application_id=application_id,
                store_code=application.store_code,
                decision=decision,
                reasons=json.dumps([{"code": "reviewer", "text": reason}] if reason else [], ensure_ascii=False),
                automatic=False,
                decided_by=reviewer or None,
                decided_at=_now(),
            )
        )
    return Outcome(200, {"application_id": application_id, "status": decision})


def status_of(factory: sessionmaker[Session], device: Device, application_id: str) -> Outcome:
    """Where the application stands (reconciliation of a send that was never acknowledged)."""
    with factory() as session:
        row = session.get(SubmittedApplication, application_id)
        if row is None or row.store_code != device.store_code:
            return error(404, "not_found", NOT_FOUND)
        return Outcome(
            200,
            {
                "application_id": row.application_id,
                "revision": row.revision,
                "status": row.status,
                "body_sha256": row.body_sha256,
            },
        )


def submit_many(
    factory: sessionmaker[Session], device: Device, items: list[BatchItem], bank: CardVerifier | None = None
) -> list[Outcome]:
    """A batch, judged item by item but in two transactions in all (claim, then apply) instead of two per item;
    on any conflict between the two phases it falls back to one item at a time, with the same results. Each
    item is refused or taken as `submit` would (an item naming a document the lender lacks included)."""
    bank = bank or DevelopmentBank()
    prepared = [(str(i.application_id), str(i.idempotency_key), i.body, i.body.sha256()) for i in items]
    outcomes: list[Outcome | None] = [None] * len(prepared)
    try:
        with factory.begin() as session:
            seen: set[str] = set()
            keys = [p[1] for p in prepared if p[1]]
            known = {
                r.key: (r, store)
                for r, store in session.execute(
                    select(IdempotencyRecord, Device.store_code)
                    .outerjoin(Device, Device.id == IdempotencyRecord.device_id)
                    .where(IdempotencyRecord.key.in_(keys))
                )
            }
            for n, (application_id, key, _body, sha) in enumerate(prepared):
                if key in seen:
                    outcomes[n] = error(409, "in_flight", "The same request is being processed; ask again shortly.")
                    continue
                seen.add(key)
                found = known.get(key)
                if found is not None:
                    outcomes[n] = _existing(found[0], found[1], device, application_id, sha)
                    continue
                session.add(_claim_record(device, application_id, key, sha))
    except IntegrityError:
        return [submit(factory, device, a, k, b, bank) for a, k, b, _sha in prepared]
    claimed = [n for n, outcome in enumerate(outcomes) if outcome is None]
    answers = card_checks.BankAnswers(bank)

    def apply() -> None:
        with factory.begin() as session:
            # Load what the items touch in a few queries; the loop then finds them in the identity map.
            ids = [prepared[n][0] for n in claimed]
            loaded = {
                a.application_id: a
                for a in session.scalars(
                    select(SubmittedApplication)
                    .where(SubmittedApplication.application_id.in_(ids))
                    .order_by(SubmittedApplication.application_id)  # locked in one order: no deadlock
                    .with_for_update()
                )
            }
            claims = {
                r.key: r
                for r in session.scalars(
                    select(IdempotencyRecord).where(IdempotencyRecord.key.in_([prepared[n][1] for n in claimed]))
                )
            }
            found = Evidence(ids, answers)
            absent = set(evidence.missing(session, [e.sha256 for n in claimed for e in prepared[n][2].evidence]))
            deferred: list[Decision] = []
            session.info["fenqi_deferred"] = deferred.extend
            for n in claimed:
                application_id, key, body, _sha = prepared[n]
                with session.no_autoflush:
                    outcome = _decide(session, device, application_id, key, body, found, loaded, absent)
                record = claims.get(key)
                assert record is not None
                _answer(session, record, outcome)
                outcomes[n] = outcome
            answers.raise_unanswered()  # rolled back: asked, then judged again
            session.flush()
            session.add_all(deferred)

    try:
        _with_answers(answers, apply)
    except Exception:
        with factory.begin() as session:  # release the claims: a retry does the work again
            for n in claimed:
                record = session.get(IdempotencyRecord, prepared[n][1])
                if record is not None and record.response is None:
                    session.delete(record)
        raise
    return [o for o in outcomes if o is not None]


def record_withdrawal(factory: sessionmaker[Session], device: Device, key: str, body: ConsentWithdrawal) -> Outcome:
    """Keep a consent withdrawal once: the same key and body again is acknowledged, another body refused. An
    application of another store, or a key another store's device used, is answered as if it did not exist.
    A withdrawal may arrive before its application does; it is kept, bound to the calling device."""
    from central.db import ConsentWithdrawal as Withdrawal

    canonical = canonical_json(body.model_dump(mode="json")).decode()
    application_id = str(body.application_id)
    try:
        with factory.begin() as session:
            existing = session.get(Withdrawal, key)
            if existing is not None:
                maker = session.get(Device, existing.device_id)
                if maker is None or maker.store_code != device.store_code:
                    return error(404, "not_found", NOT_FOUND)
                if existing.body != canonical:
                    return error(422, "idempotency_key_reused", "This key was used for another withdrawal.")
                return Outcome(200, {"recorded": True}, replayed=True)
            application = session.get(SubmittedApplication, application_id)
            if application is not None and application.store_code != device.store_code:
                return error(404, "not_found", NOT_FOUND)
            session.add(
                Withdrawal(
                    key=key,
                    device_id=device.id,
                    application_id=application_id,
                    kind=body.kind.value,
                    body=canonical,
                    received_at=_now(),
                )
            )
    except IntegrityError:
        return Outcome(200, {"recorded": True}, replayed=True)
    return Outcome(201, {"recorded": True})
