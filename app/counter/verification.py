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
import uuid
from collections.abc import Callable, Mapping

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.counter.verification_answers import (
    BANK_ANSWERS,
    MISMATCHES,
    CardOutcome,
    CardStatus,
    CodeOutcome,
    CodeStatus,
    Confirmation,
    ConfirmOutcome,
    ConfirmStatus,
    Lender,
    LenderReply,
    card_message,
    card_status,
    code_outcome,
    confirm_outcome,
)
from app.domain.actor import Actor
from app.domain.application import EDITABLE_STATES, parse_state, state_label
from app.domain.customer import CustomerDetails
from app.domain.customer_form import check_bank_card
from app.domain.masking import mask_phone
from app.domain.roles import Permission, require_permission
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput, Unavailable
from app.kernel.i18n import _
from app.storage.audit import AuditLog
from app.storage.local_store import LocalStore
from app.storage.models import Application, Verification
from app.storage.repositories import CustomerRepository
from app.wire.evidence import CardCheckRequest, CardResult, CodeEntry, CodeRequest

__all__ = [  # the outcomes are the service's answers: callers import them from here
    "CardOutcome",
    "CardStatus",
    "CodeOutcome",
    "CodeStatus",
    "ConfirmOutcome",
    "ConfirmStatus",
    "Confirmation",
    "VerificationService",
    "card_message",
    "newest",
]

CONFIRMATION, CARD_CHECK = "confirmation", "card_check"
PENDING, CONFIRMED, SMS_UNAVAILABLE = "pending", "confirmed", "sms_unavailable"


class VerificationService:
    """The one-time code and the card check of the counter's applications, through the lender's server."""

    def __init__(
        self,
        store: LocalStore,
        lender: Callable[[], Lender | None],
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        """`lender` gives a client for the lender's server as set up now, or None while this PC has no server
        or is not activated (the composition root makes it from the settings in effect and the device token)."""
        self.store = store
        self._lender = lender
        self.clock = clock
        self.audit = AuditLog.for_store(store)
        self.customers = CustomerRepository.for_store(store)

    def _call(self, request: Callable[[Lender], LenderReply]) -> LenderReply | None:
        """The server's reply, or None when the server cannot be asked (no server, not activated, offline)."""
        try:
            lender = self._lender()
            return None if lender is None else request(lender)
        except Unavailable:  # unreachable, not activated, an address the client refuses: as when offline
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
        bank_card_bi: bytes | None = None,
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
                        bank_card_bi=bank_card_bi,
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
        outcome = code_outcome(reply, masked)
        recorded = {CodeStatus.SENT: PENDING, CodeStatus.SMS_UNAVAILABLE: SMS_UNAVAILABLE}.get(outcome.status)
        detail = {"outcome": outcome.status.value, "phone": masked}
        self._record(actor, application_id, CONFIRMATION, recorded, "confirmation.code_requested", detail)
        return outcome

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
        outcome = confirm_outcome(reply)
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
        status, checked_at = card_status(reply)
        recorded = status.value if status.value in BANK_ANSWERS else None
        index = self.customers.index_of(Verification.bank_card_bi, card)
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
            index = self.customers.index_of(Verification.bank_card_bi, customer.bank_card)
            outcome = session.scalar(
                select(Verification.outcome)
                .where(
                    Verification.application_id == application_id,
                    Verification.kind == CARD_CHECK,
                    Verification.bank_card_bi == index,
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
