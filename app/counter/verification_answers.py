"""What the lender's answers to the counter's one-time code and card check mean at the counter: the outcomes
app.counter.verification returns (a status, plain words for the clerk in the configured language, and what goes
with it: when a code expires, tries left, how long to wait), read from the lender's API replies through the wire
contract's models. Pure: no storage, no network."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from app.kernel.i18n import _
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


class LenderReply(Protocol):
    """An answer of the lender's API: its status, its JSON body (None when it had none) and Retry-After."""

    @property
    def status_code(self) -> int: ...

    @property
    def body(self) -> Any: ...

    @property
    def retry_after(self) -> float | None: ...


class Lender(Protocol):
    """The requests VerificationService makes of the lender's API (app.sync.client.CentralClient makes them). Each
    raises app.kernel.errors.Unavailable when the server cannot be asked (unreachable, PC not activated)."""

    def send_code(self, application_id: str, body: CodeRequest) -> LenderReply: ...

    def confirm_code(self, application_id: str, body: CodeEntry) -> LenderReply: ...

    def check_card(self, application_id: str, body: CardCheckRequest) -> LenderReply: ...


def _error(reply: LenderReply) -> ErrorDetail | None:
    """The refusal in the reply, read as the wire contract's error body; None when it is not one."""
    try:
        return ErrorBody.model_validate(reply.body).error
    except ValidationError:
        return None


def _answer(model: type[M], reply: LenderReply) -> M | None:
    """The reply's body as `model`, or None when it does not read as one (then nothing is believed)."""
    try:
        return model.model_validate(reply.body)
    except ValidationError:
        return None


def code_outcome(reply: LenderReply | None, masked: str) -> CodeOutcome:
    """What the lender's reply to a code request means (None: it could not be asked); `masked` is the phone as
    the clerk may see it."""
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


def confirm_outcome(reply: LenderReply | None) -> ConfirmOutcome:
    """What the lender's reply to the code the customer typed means (None: it could not be asked)."""
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


def card_status(reply: LenderReply | None) -> tuple[CardStatus, dt.datetime | None]:
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
