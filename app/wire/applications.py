"""What a counter files with the lender and hears back about its applications: the submission of one revision
(alone or in a batch), where an application stands, the decisions pulled with a cursor, cancellations and
consent withdrawals. The same models build the counter's bodies and declare the server's routes."""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import Annotated

from pydantic import Field, Strict, WithJsonSchema

from app.domain.consent import ConsentKind
from app.domain.customer_form import HOUSING, JOB_TYPES
from app.kernel.canonical import canonical_json
from app.wire.errors import ErrorBody
from app.wire.evidence import MAX_EVIDENCE, EvidenceItem, PhotoCheck
from app.wire.limits import MAX_REASON
from app.wire.types import (
    MAX_SEQ,
    NAME_PATTERN,
    Answer,
    AwareMoment,
    Day,
    Flag,
    Id,
    Money,
    Printable,
    Request,
    Seq,
    Sha256,
    StoreCode,
    Whole,
    member_of,
)

MAX_BATCH = 200  # applications in one batch request (the counter sends up to 200 a pass)
MAX_REVISION = 1000


class Decision(StrEnum):
    """What the lender decides on an application: the one set of values the API, the CLI and the counter use."""

    APPROVED = "approved"
    DECLINED = "declined"
    REFERRED = "referred"


class ApplicationStatus(StrEnum):
    """Where an application stands at the lender."""

    RECEIVED = "received"
    REFERRED = "referred"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"


JobType = Annotated[str, Strict(), member_of(JOB_TYPES), WithJsonSchema({"type": "string", "enum": list(JOB_TYPES)})]
Housing = Annotated[str, Strict(), member_of(HOUSING), WithJsonSchema({"type": "string", "enum": list(HOUSING)})]


class Purchase(Request):
    """The goods the loan pays for."""

    category: Annotated[Printable, Field(max_length=32)]
    description: Annotated[Printable, Field(max_length=200)] | None = None
    price: Money
    down_payment: Money


class Customer(Request):
    """The applicant as filed: personal data, sealed at rest on both sides."""

    name: Annotated[Printable, Field(min_length=1, max_length=64, pattern=NAME_PATTERN)]
    id_number: Annotated[Printable, Field(max_length=18, pattern=r"^[0-9]{17}[0-9X]$")]
    phone: Annotated[Printable, Field(max_length=24, pattern=r"^\+?[0-9][0-9 -]{4,22}$")]
    address: Annotated[Printable, Field(max_length=200)] | None = None
    employer: Annotated[Printable, Field(max_length=100)] | None = None
    job_type: JobType | None = None
    years_at_job: Annotated[Whole, Field(ge=0, le=99)] | None = None
    monthly_income: Money | None = None
    monthly_expenses: Money | None = None
    assets: Money | None = None
    monthly_debt_payments: Money | None = None
    overdue_records: Annotated[Whole, Field(ge=0, le=99)] | None = None
    housing: Housing | None = None
    bank_card: Annotated[Printable, Field(max_length=19, pattern=r"^[0-9]{12,19}$")] | None = None
    id_valid_until: Day | None = None
    id_long_term: Flag | None = None


class ConsentRecord(Request):
    """A consent the customer gave, with the hash of the text they saw, and its withdrawal if any."""

    kind: ConsentKind
    version: Annotated[Printable, Field(max_length=32)]
    text_sha256: Sha256
    granted_at: AwareMoment
    withdrawn_at: AwareMoment | None = None


class Submission(Request):
    """One revision of an application, as the lender receives it (documents go separately, by SHA-256)."""

    application_id: Id
    revision: Annotated[Whole, Field(ge=1, le=MAX_REVISION)]
    store: StoreCode
    reference: Annotated[Printable, Field(max_length=32)]
    staff_id: Id | None = None
    created_at: AwareMoment
    product: Annotated[Printable, Field(max_length=32)] | None = None
    term: Annotated[Whole, Field(ge=1, le=120)] | None = None
    financed: Money | None = None
    purchase: Purchase
    customer: Customer
    consents: list[ConsentRecord] = Field(default_factory=list, max_length=16)
    terms_sha256: Sha256 | None = None
    contract_sha256: Sha256 | None = None
    signature_strokes_sha256: Sha256 | None = None
    # Evidence (after the lender-trust issue): every document the application names, which the lender must hold
    # before it takes the application (409 attachments_missing otherwise); the counter's check of the live
    # photo; and when the customer confirmed the signing with the code sent to their phone, by the counter's
    # record (the lender believes its own record of the code, not this).
    evidence: list[EvidenceItem] = Field(default_factory=list, max_length=MAX_EVIDENCE)
    live_photo_check: PhotoCheck | None = None
    confirmed_at: AwareMoment | None = None

    def canonical(self) -> bytes:
        """The one byte form of this submission: what both sides hash, and what the lender keeps."""
        return canonical_json(self.model_dump(mode="json"))

    def sha256(self) -> str:
        """The SHA-256 of the canonical form (hex): the counter reconciles an unacknowledged send with it."""
        return hashlib.sha256(self.canonical()).hexdigest()


class BatchItem(Request):
    """One submission of a batch with its idempotency key."""

    application_id: Id
    idempotency_key: Id
    body: Submission


class Batch(Request):
    """Several submissions in one request; each is judged on its own."""

    items: list[BatchItem] = Field(max_length=MAX_BATCH)


class Accepted(Answer):
    """A submission the lender has: its revision, status and the SHA-256 of the canonical body it keeps."""

    application_id: Id
    revision: Annotated[Whole, Field(ge=1, le=MAX_REVISION)]
    status: ApplicationStatus
    body_sha256: Sha256


class BatchResult(Answer):
    """The answer to one item of a batch, with the status code a single request would have had."""

    application_id: Id
    status_code: Annotated[Whole, Field(ge=100, le=599)]
    body: Accepted | ErrorBody
    replayed: bool = False


class BatchAnswer(Answer):
    """The answers to a batch, in the order of its items."""

    results: list[BatchResult]


class Reason(Answer):
    """Why a decision went as it did: a code and its English text (the counter translates by code)."""

    code: str
    text: str


class DecisionNotice(Answer):
    """A decision (or cancellation) on one of the store's applications, in the order the lender made them."""

    seq: Seq
    application_id: Id
    decision: ApplicationStatus
    reasons: list[Reason]
    automatic: bool
    decided_at: AwareMoment


class DecisionPage(Answer):
    """Decisions after a cursor, at most 500; `next` continues after the last."""

    decisions: list[DecisionNotice]
    next: Annotated[int, Field(ge=0, le=MAX_SEQ)]


class CancellationRequest(Request):
    """A store asks the lender to cancel an application still undecided or in review."""

    reason: Annotated[Printable, Field(max_length=MAX_REASON)] = ""


class Cancelled(Answer):
    """The application's status after a cancellation request or a review."""

    application_id: Id
    status: ApplicationStatus


class ConsentWithdrawal(Request):
    """The customer withdrew a consent at the counter at `at`."""

    application_id: Id
    kind: ConsentKind
    at: AwareMoment


class Recorded(Answer):
    """A withdrawal the lender keeps."""

    recorded: bool
