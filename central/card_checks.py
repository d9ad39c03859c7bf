"""The bank's check of an application's repayment card, kept by the lender: asked by the counter before signing
(`POST /v1/applications/{id}/card-check`) or by the lender itself when an application arrives without one (outside
the arrival's transaction: BankAnswers). The four elements are kept only as the lender's keyed digest, so an
arrival names the same card, holder and phone as a check exactly when the digests agree; the card's last four
digits are the most the audit log holds."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.phone import normalize_mobile
from app.kernel.errors import InvalidInput
from app.wire.evidence import CardChecked, CardCheckRequest, CardResult
from central import audit, sealing
from central.auth import Refused
from central.bank import BankUnavailable, CardVerifier
from central.db import CardCheck, Device, SubmittedApplication
from central.moments import as_utc
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
) -> CardCheck:
    row = CardCheck(
        application_id=application_id,
        store_code=store,
        elements_digest=sealing.ring_of(session).lender_digest(text),
        result=result.value,
        source=source,
        checked_at=now,
    )
    session.add(row)
    return row


@dataclass(frozen=True)
class KeptCheck:
    """A check kept for an application: the store it was asked for, the four elements' digest, the bank's
    answer, when, and its row's id (None for one kept in the current transaction: newer than any row of its
    moment)."""

    store_code: str
    elements_digest: bytes
    result: CardResult
    checked_at: dt.datetime
    id: int | None = None

    def order(self) -> tuple[dt.datetime, float]:
        """Its place among the application's checks, the newest last."""
        return self.checked_at, math.inf if self.id is None else self.id


def kept_checks(session: Session, application_ids: Collection[str]) -> dict[str, list[KeptCheck]]:
    """The checks kept for these applications, by application id (one without any is absent), in one query."""
    found: dict[str, list[KeptCheck]] = {}
    rows = session.execute(
        select(
            CardCheck.application_id,
            CardCheck.store_code,
            CardCheck.elements_digest,
            CardCheck.result,
            CardCheck.checked_at,
            CardCheck.id,
        ).where(CardCheck.application_id.in_(list(application_ids)))
    )
    for application_id, store, digest, result, moment, row_id in rows:
        check = KeptCheck(store, digest, CardResult(result), as_utc(moment), row_id)
        found.setdefault(application_id, []).append(check)
    return found


@dataclass(frozen=True)
class CardQuestion:
    """What the lender asks the bank about an arriving application's card (the phone normalised)."""

    application_id: str
    card_number: str
    name: str
    id_number: str
    phone: str


@dataclass(frozen=True)
class BankAnswer:
    """The bank's answer to a question (None: it could not answer) and when it gave it."""

    result: CardResult | None
    at: dt.datetime


class Unanswered(Exception):
    """The arrival's transaction needs answers of the bank it has not got: roll it back, ask them
    (BankAnswers.ask, outside any transaction), and run it again."""


class BankAnswers:
    """The bank's answers on arriving applications' cards, asked outside the arrival's transaction so that no
    database lock is held while the bank answers. Judging notes each question it has no answer to
    (ArrivalCards.result counts the card unverified meanwhile); `raise_unanswered` then ends the transaction
    without committing, `ask` asks the bank, and the transaction runs again with the answers, which outlive it."""

    def __init__(self, bank: CardVerifier) -> None:
        self._bank = bank
        self._answers: dict[CardQuestion, BankAnswer] = {}
        self._wanted: dict[CardQuestion, None] = {}  # an ordered set: the bank is asked in arrival order

    def get(self, question: CardQuestion) -> BankAnswer | None:
        """The bank's answer to `question`, when it was asked."""
        return self._answers.get(question)

    def want(self, question: CardQuestion) -> None:
        """Note `question` for the bank (asked by `ask`)."""
        self._wanted[question] = None

    def raise_unanswered(self) -> None:
        """Raise Unanswered when a question was noted and not asked yet."""
        if self._wanted:
            raise Unanswered(f"{len(self._wanted)} card(s) to ask the bank about")

    def ask(self) -> None:
        """Ask the bank every question noted (call it outside any transaction); BankUnavailable is kept as
        no answer."""
        for question in self._wanted:
            try:
                result: CardResult | None = self._bank.verify(
                    question.card_number, question.name, question.id_number, question.phone
                )
            except BankUnavailable:
                result = None
            self._answers[question] = BankAnswer(result, dt.datetime.now(dt.UTC))
        self._wanted.clear()


class ArrivalCards:
    """The card checks of the applications one arrival transaction judges, loaded for all of them at once when
    the first card is looked up (a batch would otherwise query per item), and the bank's answers asked before the
    transaction."""

    def __init__(self, application_ids: Collection[str], answers: BankAnswers) -> None:
        self._answers = answers
        self._kept: dict[str, list[KeptCheck]] | None = None
        self._loaded = set(application_ids)
        self._taken: set[CardQuestion] = set()  # answers kept in this transaction (a later revision finds them)

    def result(
        self,
        session: Session,
        application: SubmittedApplication,
        card_number: str,
        name: str,
        id_number: str,
        phone: str,
    ) -> CardResult | None:
        """The bank's answer on the arrived application's card: the newest check of the same four elements for
        this application (by its store), the bank's answer asked for this arrival among them (kept now, with
        source "arrival"). None when the bank could not answer, and None with the question noted for the bank
        (BankAnswers) when it has not been asked. `phone` is normalised (normalize_mobile)."""
        application_id = application.application_id
        if self._kept is None:
            self._kept = kept_checks(session, self._loaded)
        if application_id not in self._loaded:  # not loaded with the others: looked up alone
            self._kept.update(kept_checks(session, [application_id]))
            self._loaded.add(application_id)
        text = elements_text(card_number, name, id_number, phone)
        kept = self._kept.setdefault(application_id, [])
        question = CardQuestion(application_id, card_number, name, id_number, phone)
        answer = self._answers.get(question)
        if answer is not None and question not in self._taken:
            self._taken.add(question)
            self._keep(session, application, kept, question, answer)
        digests = sealing.ring_of(session).lender_digests(text)  # checks made before a key rotation count too
        same = [c for c in kept if c.store_code == application.store_code and c.elements_digest in digests]
        if same:
            return max(same, key=KeptCheck.order).result
        if answer is None:
            self._answers.want(question)
        return None

    @staticmethod
    def _keep(
        session: Session,
        application: SubmittedApplication,
        kept: list[KeptCheck],
        question: CardQuestion,
        answer: BankAnswer,
    ) -> None:
        """Keep the bank's answer asked for this arrival (source "arrival") and audit it."""
        application_id = application.application_id
        detail: dict[str, str] = {"source": "arrival", "card_last4": _last4(question.card_number)}
        if answer.result is None:
            outcome = {**detail, "outcome": "bank_unavailable"}
            audit.record(session, "system", "card_check.refused", application_id, outcome, answer.at)
            return
        text = elements_text(question.card_number, question.name, question.id_number, question.phone)
        row = _keep(session, application_id, application.store_code, text, answer.result, "arrival", answer.at)
        kept.append(KeptCheck(row.store_code, row.elements_digest, answer.result, answer.at))
        checked = {**detail, "result": answer.result.value}
        audit.record(session, "system", "card_check.checked", application_id, checked, answer.at)
