"""The local store's tables as typed ORM models. Columns ending in `_enc` hold AES-GCM sealed values,
columns ending in `_bi` their blind indexes; nothing personal is stored in plain form. Each such column says
so once, in its `info` (`sealed(...)`, `blind_indexed(...)`), and app.storage.sealing works from that."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.storage.types import Money, UtcDateTime

SEALED, BLIND_INDEXED = "sealed", "blind_indexed"  # the keys of a column's `info` that declare it personal


@dataclass(frozen=True)
class Sealed:
    """Declares that a column holds the field `field` sealed with AES-GCM, bound to the table, `field` and the
    value of the row's attribute `row_key` (app.storage.sealing reads this; nothing else seals)."""

    field: str
    row_key: str = "id"


@dataclass(frozen=True)
class BlindIndexed:
    """Declares that a column holds the HMAC blind index of a normalised `kind` value, for equality lookups;
    columns of the same kind (in any table) hold comparable indexes."""

    kind: str


def sealed(field: str, row_key: str = "id") -> dict[str, Sealed]:
    """The `info` of a column holding `field` sealed to its row (see `Sealed`)."""
    return {SEALED: Sealed(field, row_key)}


def blind_indexed(kind: str) -> dict[str, BlindIndexed]:
    """The `info` of a column holding the blind index of `kind` values (see `BlindIndexed`)."""
    return {BLIND_INDEXED: BlindIndexed(kind)}


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Facts about the store itself: install id, key check, created time."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Store(Base):
    __tablename__ = "stores"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    time_zone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    login: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    display_name_enc: Mapped[bytes] = mapped_column(LargeBinary, info=sealed("display_name"))
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary, info=sealed("id_number"))
    id_number_bi: Mapped[bytes | None] = mapped_column(LargeBinary, index=True, info=blind_indexed("id_number"))
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary, info=sealed("phone"))
    phone_bi: Mapped[bytes | None] = mapped_column(LargeBinary, index=True, info=blind_indexed("phone"))
    secret_hash: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id_number_bi: Mapped[bytes] = mapped_column(LargeBinary, unique=True, info=blind_indexed("id_number"))
    phone_bi: Mapped[bytes | None] = mapped_column(LargeBinary, index=True, info=blind_indexed("phone"))
    name_enc: Mapped[bytes] = mapped_column(LargeBinary, info=sealed("name"))
    id_number_enc: Mapped[bytes] = mapped_column(LargeBinary, info=sealed("id_number"))
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary, info=sealed("phone"))
    address_enc: Mapped[bytes | None] = mapped_column(LargeBinary, info=sealed("address"))
    employer_enc: Mapped[bytes | None] = mapped_column(LargeBinary, info=sealed("employer"))
    bank_card_enc: Mapped[bytes | None] = mapped_column(LargeBinary, info=sealed("bank_card"))
    monthly_income: Mapped[Decimal | None] = mapped_column(Money)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # Added in revision 0003: the rest of the customer details form.
    job_type: Mapped[str | None] = mapped_column(String(20))
    years_at_job: Mapped[int | None] = mapped_column(Integer)
    monthly_expenses: Mapped[Decimal | None] = mapped_column(Money)
    assets: Mapped[Decimal | None] = mapped_column(Money)
    monthly_debt_payments: Mapped[Decimal | None] = mapped_column(Money)
    overdue_records: Mapped[int | None] = mapped_column(Integer)
    housing: Mapped[str | None] = mapped_column(String(20))
    emergency_name_enc: Mapped[bytes | None] = mapped_column(LargeBinary, info=sealed("emergency_name"))
    emergency_phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary, info=sealed("emergency_phone"))
    emergency_relation: Mapped[str | None] = mapped_column(String(20))
    id_valid_until: Mapped[dt.date | None] = mapped_column(Date)
    id_long_term: Mapped[bool] = mapped_column(Boolean, default=False)


class Application(Base):
    __tablename__ = "applications"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customers.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    product_code: Mapped[str | None] = mapped_column(String(32))
    requested_term: Mapped[int | None] = mapped_column(Integer)
    principal: Mapped[Decimal | None] = mapped_column(Money)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    state_changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The store-local day it was started on (revision 0008): reports count days in the store's time zone.
    created_day: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (
        Index("ix_applications_state", "state"),
        Index("ix_applications_store_created", "store_id", "created_at"),
        Index("ix_applications_store_day", "store_id", "created_day"),
    )


class ApplicationTransition(Base):
    """Every state change of an application, in order (added in revision 0002)."""

    __tablename__ = "application_transitions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ReferenceCounter(Base):
    """The last daily sequence number used per store and local day."""

    __tablename__ = "reference_counters"
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    day: Mapped[str] = mapped_column(String(6), primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer)


class Purchase(Base):
    __tablename__ = "purchases"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), unique=True)
    category: Mapped[str] = mapped_column(String(32))
    sku: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(String(200))
    serial: Mapped[str | None] = mapped_column(String(64))
    price: Mapped[Decimal] = mapped_column(Money)
    down_payment: Mapped[Decimal] = mapped_column(Money)


class Consent(Base):
    """A consent the customer gave, with the exact text version it was given for."""

    __tablename__ = "consents"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    text_version: Mapped[str] = mapped_column(String(32))
    text_sha256: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("application_id", "kind"),)


class Attachment(Base):
    """ID-card images, signature strokes, contract PDFs: always sealed."""

    __tablename__ = "attachments"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    mime_type: Mapped[str] = mapped_column(String(64))
    content_enc: Mapped[bytes] = mapped_column(LargeBinary, info=sealed("content"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the plain content (revision 0005)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # when the lender had it (revision 0006)
    # Bytes of the plain content (revision 0009); None on rows kept before it (read from the content then).
    size: Mapped[int | None] = mapped_column(Integer)


class Verification(Base):
    """An outcome of checking who signs (revision 0009): the live photo's offline check (`live_photo`: passed |
    unchecked), the one-time code on the applicant's phone (`confirmation`: confirmed | pending |
    sms_unavailable), the bank's answer on the repayment card (`card_check`: app.wire.evidence.CardResult). The
    newest row of a kind counts; a card check holds only for the card whose blind index it keeps."""

    __tablename__ = "verifications"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(24))
    bank_card_bi: Mapped[bytes | None] = mapped_column(LargeBinary, info=blind_indexed("bank_card"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class OutboxItem(Base):
    """Something to send to the central API; its idempotency key is fixed before the first send."""

    __tablename__ = "outbox"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    application_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("applications.id"), index=True)
    idempotency_key: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload_enc: Mapped[bytes] = mapped_column(LargeBinary, info=sealed("payload"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)


class AuditEntry(Base):
    """One link of the append-only audit chain: mac = HMAC(key, entry ‖ previous mac)."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_mac: Mapped[bytes] = mapped_column(LargeBinary)
    mac: Mapped[bytes] = mapped_column(LargeBinary)


class StoreVelocity(Base):
    """Applications at this store's other counter PCs per blind index and day, as the lender sent them down
    (revision 0006); the digests are under the store's velocity key, not this PC's index key."""

    __tablename__ = "store_velocity"
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)  # "id_number" | "phone"
    digest: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class BlacklistEntry(Base):
    """One blacklisted ID number or phone as HMAC-SHA256 under the lender's key (added in revision 0004)."""

    __tablename__ = "blacklist_entries"
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # "id" | "phone"
    digest: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)


class PrescreenLog(Base):
    """Every pre-screen this counter ran: figures only, for drift monitoring and reports (revision 0004)."""

    __tablename__ = "prescreen_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    application_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("applications.id"), index=True)
    model_version: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    pd: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(10))
    codes: Mapped[str] = mapped_column(Text, default="")  # reason and flag codes, space-separated


class DraftSnapshot(Base):
    """What the clerk has typed on the flow's current step, valid or not, sealed as one JSON object: written by
    the autosave every ≤ 2 s so a crash loses at most the last seconds (revision 0007)."""

    __tablename__ = "draft_snapshots"
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), primary_key=True)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))  # who saved it last
    step: Mapped[str] = mapped_column(String(32))
    values_enc: Mapped[bytes] = mapped_column(LargeBinary, info=sealed("values", row_key="application_id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_draft_snapshots_staff_updated", "staff_id", "updated_at"),)


class ApplicationCode(Base):
    """The decline reasons and fraud flags of an application's latest pre-screen, one row each; reasons only
    when that pre-screen declined (revision 0008). Not personal: kept when personal data is purged."""

    __tablename__ = "application_codes"
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # "reason" | "flag"


_WITHOUT_ROWID: Any = {"sqlite_with_rowid": False}  # stored in primary-key order: a day range is one run


class _DailyFigures:
    """Counts and fen sums of the applications started on one store-local day, per staff member, dimension
    (state, product, term, reason, flag) and key."""

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    dim: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the staff UUID's hex, "" for none
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    financed_fen: Mapped[int] = mapped_column(Integer, default=0)
    financed_n: Mapped[int] = mapped_column(Integer, default=0)
    ticket_fen: Mapped[int] = mapped_column(Integer, default=0)
    ticket_n: Mapped[int] = mapped_column(Integer, default=0)


class ReportDaily(_DailyFigures, Base):
    """This PC's applications by day, kept by triggers in the same transaction as every write to
    applications, purchases and application_codes, so it can never disagree with them (revision 0008)."""

    __tablename__ = "report_daily"
    __table_args__ = _WITHOUT_ROWID


class PeerReportDaily(_DailyFigures, Base):
    """The same figures for the store's other counter PCs, as the lender last sent them (revision 0008):
    replaced a whole day at a time at each sync."""

    __tablename__ = "peer_report_daily"
    __table_args__ = _WITHOUT_ROWID


class RegionReportCache(Base):
    """The last regional report fetched for an account and date range, so it opens offline (revision 0008).
    Figures of stores only; nothing personal."""

    __tablename__ = "region_report_cache"
    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    from_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    to_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    as_of: Mapped[dt.datetime] = mapped_column(UtcDateTime)
