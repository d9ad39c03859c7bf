"""Checking who signs, with the lender, while the customer is at the counter: a one-time code sent to the
applicant's own phone confirms the signing, and the repayment card's four elements (card number, name, ID number,
phone) are checked with the bank. Each outcome is kept as a Verification of the application and audited (the
phone masked, the card by its last four digits at most).

Offline is an answer, not an error: with no server set up, this PC not activated or the server out of reach,
every call returns the status `offline` with plain words for the clerk, and the application goes on with the
confirmation pending (the lender calls the customer) or the card unchecked (the lender checks it on arrival).
Blocking; the window runs it off the GUI thread."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.actor import Actor
from app.domain.application import EDITABLE_STATES, parse_state, state_label
from app.domain.customer import CustomerDetails
from app.domain.customer_form import check_bank_card
from app.domain.masking import mask_phone
from app.domain.roles import Permission, require_permission
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput, Unavailable
from app.kernel.i18n import _
from app.kernel.settings import Settings
from app.security.secret_store import SecretStore
from app.storage.audit import AuditLog
from app.storage.local_store import LocalStore
from app.storage.models import Application, Verification
from app.storage.repositories import CustomerRepository
from app.sync.client import TOKEN, CentralClient, Reply
from app.wire.errors import ErrorBody, ErrorDetail
from app.wire.evidence import (
    CardChecked,
    CardCheckRequest,
    CardResult,
    CodeEntry,
    CodeRequest,
    CodeSent,
    Confirmed,
)

CONFIRMATION, CARD_CHECK = "confirmation", "card_check"
PENDING, CONFIRMED, SMS_UNAVAILABLE = "pending", "confirmed", "sms_unavailable"


class CodeStatus(StrEnum):
    """What came of asking the lender to text the customer a code."""

    SENT = "sent"
    SMS_UNAVAILABLE = "sms_unavailable"
    RATE_LIMITED = "rate_limited"
    OFFLINE = "offline"
    REFUSED = "refused"


class ConfirmStatus(StrEnum):
    """What came of the code the customer typed."""

    CONFIRMED = "confirmed"
    CODE_WRONG = "code_wrong"
    CODE_EXPIRED = "code_expired"
    TOO_MANY_TRIES = "too_many_tries"
    RATE_LIMITED = "rate_limited"
    OFFLINE = "offline"
    REFUSED = "refused"


class CardStatus(StrEnum):
    """The bank's answer on the card (app.wire.evidence.CardResult's values), or why there is none."""

    MATCH = "match"
    PHONE_MISMATCH = "phone_mismatch"
    NO_AUTO_DEBIT = "no_auto_debit"
    HOLDER_MISMATCH = "holder_mismatch"
    OFFLINE = "offline"
    UNAVAILABLE = "unavailable"
    RATE_LIMITED = "rate_limited"


@dataclass(frozen=True)
class CodeOutcome:
    """`status`; `expires_at` (aware, UTC) when sent; `retry_after` seconds when limited; `message` for the clerk."""

    status: CodeStatus
    message: str
    expires_at: dt.datetime | None = None
    retry_after: float | None = None


@dataclass(frozen=True)
class ConfirmOutcome:
    """`status`; `confirmed_at` (aware, UTC) when confirmed; `tries_left` after a wrong code; `retry_after`
    seconds when limited; `message` for the customer and the clerk."""

    status: ConfirmStatus
    message: str
    confirmed_at: dt.datetime | None = None
    tries_left: int | None = None
    retry_after: float | None = None


@dataclass(frozen=True)
class Confirmation:
    """The customer's confirmation of the signing, as the contract prints it."""

    confirmed_at: dt.datetime
    masked_phone: str


@dataclass(frozen=True)
class CardOutcome:
    """`status`; `message` in plain words for the clerk; whether the answer blocks signing until another card
    is given (a bank's "no" does; offline, unavailable or limited never does: the lender checks on arrival)."""

    status: CardStatus
    message: str
    blocks_signing: bool = False


M = TypeVar("M", bound=BaseModel)

MISMATCHES = frozenset({CardStatus.PHONE_MISMATCH, CardStatus.NO_AUTO_DEBIT, CardStatus.HOLDER_MISMATCH})
BANK_ANSWERS = frozenset(result.value for result in CardResult)  # the outcomes a card check is recorded with


def card_message(status: CardStatus) -> str:
    """What the clerk is told about a card check's outcome, in the configured language."""
    texts = {
        CardStatus.MATCH: _("The bank confirmed the card: it is the customer's and allows auto-debit."),
        CardStatus.PHONE_MISMATCH: _(
            "The bank holds another phone number for this card than the customer's. Ask for another card in the "
            "customer's name, or have the customer update the phone at their bank."
        ),
        CardStatus.NO_AUTO_DEBIT: _(
            "This card's account does not allow auto-debit, so repayments cannot be collected from it. Ask for "
            "another card in the customer's name."
        ),
        CardStatus.HOLDER_MISMATCH: _(
            "The bank says this card is not in the customer's name and ID number. Ask for a card of the customer's own."
        ),
        CardStatus.OFFLINE: _(
            "The card cannot be checked: this PC cannot reach the lender now. The lender will check the card "
            "when the application arrives."
        ),
        CardStatus.UNAVAILABLE: _(
            "The bank cannot check the card now. The lender will check the card when the application arrives."
        ),
        CardStatus.RATE_LIMITED: _(
            "The card was checked too often in a short time. The lender will check the card when the application "
            "arrives."
        ),
    }
    return texts[status]


def _wait(seconds: float | None) -> int:
    """Whole minutes to wait (at least one), for messages."""
    return max(1, math.ceil((seconds or 60.0) / 60.0))


def _error(reply: Reply) -> ErrorDetail | None:
    """The refusal in the reply, read as the wire contract's error body; None when it is not one."""
    try:
        return ErrorBody.model_validate(reply.body).error
    except ValidationError:
        return None


def _answer(model: type[M], reply: Reply) -> M | None:
    """The reply's body as `model`, or None when it does not read as one (then nothing is believed)."""
    try:
        return model.model_validate(reply.body)
    except ValidationError:
        return None


class VerificationService:
    """The one-time code and the card check of the counter's applications, through the lender's server."""

    def __init__(
        self,
        store: LocalStore,
        secrets: SecretStore,
        settings: Callable[[], Settings],
        clock: Callable[[], dt.datetime] = utc_now,
        connect: Callable[[Settings], CentralClient] | None = None,
    ) -> None:
        self.store = store
        self.secrets = secrets
        self._settings = settings
        self.clock = clock
        self._connect = connect  # how a client is made (tests: the server in process); default CentralClient
        self.audit = AuditLog.for_store(store)
        self.customers = CustomerRepository.for_store(store)

    def _client(self) -> CentralClient | None:
        """A client for the server as set up now, or None while there is no server, token or usable address."""
        settings = self._settings()
        if not settings.server_url or self.secrets.get(TOKEN) is None:
            return None
        try:
            if self._connect is not None:
                return self._connect(settings)
            return CentralClient(settings.server_url, settings, self.secrets)
        except Unavailable:  # an address the client refuses: nothing can be sent, as when offline
            return None

    def _call(self, request: Callable[[CentralClient], Reply]) -> Reply | None:
        """The server's reply, or None when the server cannot be asked (offline, not activated)."""
        client = self._client()
        if client is None:
            return None
        try:
            return request(client)
        except Unavailable:  # ServerUnreachable, NotActivated (the token went away meanwhile)
            return None

    def _customer(self, session: Session, application_id: uuid.UUID) -> tuple[Application, CustomerDetails]:
        application = session.get(Application, application_id)
        if application is None:
            raise InvalidInput(_("No such application."), code="not_found")
        details = self.customers.get(session, application.customer_id) if application.customer_id else None
        if details is None:
            raise InvalidInput(
                _("Application {reference} holds no customer details yet.").format(reference=application.reference),
                code="no_customer",
            )
        return application, details

    def _record(
        self,
        actor: Actor,
        application_id: uuid.UUID,
        kind: str,
        outcome: str | None,
        action: str,
        detail: Mapping[str, object],
        at: dt.datetime | None = None,
        subject_bi: bytes | None = None,
    ) -> None:
        """A Verification row (unless `outcome` is None) and the audit entry, in one transaction."""
        now = self.clock()
        with self.store.write() as session:
            if outcome is not None:
                session.add(
                    Verification(
                        id=uuid.uuid4(),
                        application_id=application_id,
                        kind=kind,
                        outcome=outcome,
                        subject_bi=subject_bi,
                        at=at or now,
                    )
                )
            self.audit.append(
                session,
                actor.audit_name,
                action,
                object_type="application",
                object_id=str(application_id),
                detail=dict(detail),
                at=now,
            )

    # The one-time code

    def send_code(self, actor: Actor, application_id: uuid.UUID) -> CodeOutcome:
        """Ask the lender to text a one-time code to the application's customer's mobile. Sent: a pending
        confirmation is recorded. Offline, the SMS provider down, too many codes or a refusal are outcomes with
        plain words, never errors. Raises PermissionDenied, or InvalidInput for an unknown application or one
        without a customer; audited with the masked phone."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        with self.store.read() as session:
            _application, customer = self._customer(session, application_id)
        masked = mask_phone(customer.phone)
        try:
            request = CodeRequest(phone=customer.phone)
        except ValidationError as exc:
            raise InvalidInput(
                _("The customer's phone number cannot be sent to the lender."), code="bad_phone"
            ) from exc
        reply = self._call(lambda client: client.send_code(str(application_id), request))
        outcome = self._code_outcome(reply, masked)
        recorded = {CodeStatus.SENT: PENDING, CodeStatus.SMS_UNAVAILABLE: SMS_UNAVAILABLE}.get(outcome.status)
        detail = {"outcome": outcome.status.value, "phone": masked}
        self._record(actor, application_id, CONFIRMATION, recorded, "confirmation.code_requested", detail)
        return outcome

    def _code_outcome(self, reply: Reply | None, masked: str) -> CodeOutcome:
        if reply is None:
            return CodeOutcome(
                CodeStatus.OFFLINE,
                _(
                    "No code can be sent: this PC cannot reach the lender now. Go on with the confirmation pending: "
                    "the lender will call the customer."
                ),
            )
        sent = _answer(CodeSent, reply) if reply.status_code == 202 else None
        if sent is not None:
            return CodeOutcome(
                CodeStatus.SENT,
                _("A six-digit code was sent to the customer's phone {phone}; it is valid for 5 minutes.").format(
                    phone=masked
                ),
                expires_at=sent.expires_at.astimezone(dt.UTC),
            )
        error = _error(reply)
        code = error.code if error is not None else ""
        if code == "sms_unavailable":
            return CodeOutcome(
                CodeStatus.SMS_UNAVAILABLE,
                _(
                    "The text message cannot be sent now. Go on with the confirmation pending: the lender will "
                    "call the customer."
                ),
            )
        if reply.status_code == 429:
            return CodeOutcome(
                CodeStatus.RATE_LIMITED,
                _(
                    "Too many codes were asked for this phone. Ask again in {minutes} min, or go on with the "
                    "confirmation pending."
                ).format(minutes=_wait(reply.retry_after)),
                retry_after=reply.retry_after,
            )
        return CodeOutcome(CodeStatus.REFUSED, _refusal(code, reply.status_code))

    def confirm_code(self, actor: Actor, application_id: uuid.UUID, code: str) -> ConfirmOutcome:
        """Send the code the customer typed. Confirmed: recorded with the lender's time of confirmation; wrong,
        expired, too many tries, limited, offline or refused are outcomes with plain words. Raises
        PermissionDenied, or InvalidInput (bad_code) when `code` is not six digits, and nothing is sent then.
        Audited (the outcome, tries left, the masked phone when confirmed)."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        try:
            entry = CodeEntry(code=code.strip())
        except ValidationError as exc:
            raise InvalidInput(_("The code has six digits."), code="bad_code") from exc
        with self.store.read() as session:
            _application, customer = self._customer(session, application_id)
        reply = self._call(lambda client: client.confirm_code(str(application_id), entry))
        outcome = self._confirm_outcome(reply)
        detail: dict[str, object] = {"outcome": outcome.status.value}
        if outcome.tries_left is not None:
            detail["tries_left"] = outcome.tries_left
        if outcome.status is ConfirmStatus.CONFIRMED:
            detail["phone"] = mask_phone(customer.phone)
        recorded = CONFIRMED if outcome.status is ConfirmStatus.CONFIRMED else None
        self._record(
            actor, application_id, CONFIRMATION, recorded, "confirmation.code_entered", detail, outcome.confirmed_at
        )
        return outcome

    def _confirm_outcome(self, reply: Reply | None) -> ConfirmOutcome:
        if reply is None:
            return ConfirmOutcome(
                ConfirmStatus.OFFLINE,
                _(
                    "The code cannot be checked: this PC cannot reach the lender now. Go on with the confirmation "
                    "pending: the lender will call the customer."
                ),
            )
        confirmed = _answer(Confirmed, reply) if reply.status_code == 200 else None
        if confirmed is not None:
            return ConfirmOutcome(
                ConfirmStatus.CONFIRMED,
                _("The customer confirmed the signing with the code."),
                confirmed_at=confirmed.confirmed_at.astimezone(dt.UTC),
            )
        error = _error(reply)
        code = error.code if error is not None else ""
        if code == "code_wrong":
            left = error.tries_left if error is not None else None
            return ConfirmOutcome(
                ConfirmStatus.CODE_WRONG,
                _("The code is not right.")
                if left is None
                else _("The code is not right. Tries left: {count}.").format(count=left),
                tries_left=left,
            )
        if code == "code_expired":
            return ConfirmOutcome(
                ConfirmStatus.CODE_EXPIRED,
                _("The code has expired. Send a new code, or go on with the confirmation pending."),
            )
        if code == "too_many_tries":
            minutes = _wait(reply.retry_after)
            return ConfirmOutcome(
                ConfirmStatus.TOO_MANY_TRIES,
                _(
                    "The code was typed wrong too many times. A new code can be sent in {minutes} min, or go on "
                    "with the confirmation pending."
                ).format(minutes=minutes),
                retry_after=reply.retry_after,
            )
        if reply.status_code == 429:
            minutes = _wait(reply.retry_after)
            return ConfirmOutcome(
                ConfirmStatus.RATE_LIMITED,
                _("Too many tries from this PC. Try again in {minutes} min.").format(minutes=minutes),
                retry_after=reply.retry_after,
            )
        if code == "not_found":
            return ConfirmOutcome(
                ConfirmStatus.REFUSED, _("The lender has sent no code for this application: send a new code.")
            )
        return ConfirmOutcome(ConfirmStatus.REFUSED, _refusal(code, reply.status_code))

    def confirmation(self, application_id: uuid.UUID) -> Confirmation | None:
        """The customer's confirmation of the signing by the code (the newest), with their phone masked, for the
        contract; None while it is pending."""
        with self.store.read() as session:
            confirmed_at = newest(session, application_id, CONFIRMATION, CONFIRMED)
            if confirmed_at is None:
                return None
            _application, customer = self._customer(session, application_id)
        return Confirmation(confirmed_at=confirmed_at, masked_phone=mask_phone(customer.phone))

    # The repayment card

    def check_card(self, actor: Actor, application_id: uuid.UUID, card_number: str | None = None) -> CardOutcome:
        """Check the customer's repayment card with the bank through the lender. With `card_number`, the card is
        first changed to that one (checked and sealed like any edit of the customer; the application stays where
        it is, as neither the pre-screen nor the plan depends on the card). The bank's answer is recorded for this
        card; offline, unavailable or limited is an outcome that never blocks signing. Raises PermissionDenied,
        or InvalidInput: not_found, no_customer, not_editable (a card given for a signed application), bad_card,
        bad_card_checksum, no_card (no card to check). Audited (the outcome and the card's last four digits)."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        if card_number is not None:
            self._change_card(actor, application_id, check_bank_card(card_number))
        with self.store.read() as session:
            _application, customer = self._customer(session, application_id)
        card = customer.bank_card
        if not card:
            raise InvalidInput(_("The customer has given no repayment card."), code="no_card")
        try:
            request = CardCheckRequest(
                card_number=card, name=customer.name, id_number=customer.id_number, phone=customer.phone
            )
        except ValidationError as exc:
            raise InvalidInput(_("The card's details cannot be sent to the lender."), code="not_sendable") from exc
        reply = self._call(lambda client: client.check_card(str(application_id), request))
        status, checked_at = _card_status(reply)
        recorded = status.value if status.value in BANK_ANSWERS else None
        index = self.customers.index_of(Verification.subject_bi, card)
        detail = {"outcome": status.value, "card_last4": card[-4:]}
        self._record(actor, application_id, CARD_CHECK, recorded, "card.checked", detail, checked_at, index)
        return CardOutcome(status, card_message(status), blocks_signing=status in MISMATCHES)

    def _change_card(self, actor: Actor, application_id: uuid.UUID, card: str) -> None:
        now = self.clock()
        with self.store.write() as session:
            application, customer = self._customer(session, application_id)
            state = parse_state(application.state)
            if state not in EDITABLE_STATES:
                raise InvalidInput(
                    _("This application is {state}: its customer can no longer be changed.").format(
                        state=state_label(state)
                    ),
                    code="not_editable",
                )
            if customer.bank_card == card:
                return
            self.customers.save(session, dataclasses.replace(customer, bank_card=card), now)
            application.updated_at = now
            self.audit.append(
                session,
                actor.audit_name,
                "customer.card_changed",
                object_type="application",
                object_id=str(application_id),
                detail={"card_last4": card[-4:]},
                at=now,
            )

    def signing_blocked_by_card(self, application_id: uuid.UUID) -> str | None:
        """Why signing must wait, in the configured language, when the bank's newest answer on the customer's
        current card is not a match; None when it matched, was never checked or could not be (offline)."""
        with self.store.read() as session:
            _application, customer = self._customer(session, application_id)
            if not customer.bank_card:
                return None
            index = self.customers.index_of(Verification.subject_bi, customer.bank_card)
            outcome = session.scalar(
                select(Verification.outcome)
                .where(
                    Verification.application_id == application_id,
                    Verification.kind == CARD_CHECK,
                    Verification.subject_bi == index,
                )
                .order_by(Verification.at.desc())
                .limit(1)
            )
        if outcome is None or outcome == CardResult.MATCH.value:
            return None
        return card_message(CardStatus(outcome))


def newest(session: Session, application_id: uuid.UUID, kind: str, outcome: str) -> dt.datetime | None:
    """When the application's newest verification of `kind` with `outcome` was made, or None."""
    return session.scalar(
        select(Verification.at)
        .where(
            Verification.application_id == application_id, Verification.kind == kind, Verification.outcome == outcome
        )
        .order_by(Verification.at.desc())
        .limit(1)
    )


def _card_status(reply: Reply | None) -> tuple[CardStatus, dt.datetime | None]:
    """The card check's status from the server's reply, and when the bank answered."""
    if reply is None:
        return CardStatus.OFFLINE, None
    checked = _answer(CardChecked, reply) if reply.status_code == 200 else None
    if checked is not None:
        return CardStatus(checked.result.value), checked.checked_at.astimezone(dt.UTC)
    if reply.status_code == 429:
        return CardStatus.RATE_LIMITED, None
    return CardStatus.UNAVAILABLE, None  # bank_unavailable, or a refusal: the lender checks again on arrival


def _refusal(code: str, status: int) -> str:
    """The lender's refusal of a code request or entry, in plain words (the server's messages are English)."""
    if code == "already_decided":
        return _("The lender has already decided this application.")
    if code == "bad_phone":
        return _("The lender does not take the customer's phone number as a mainland mobile number.")
    return _("The lender refused the request ({code}). Go on with the confirmation pending.").format(
        code=code or status
    )
