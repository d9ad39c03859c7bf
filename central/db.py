"""The central server's tables: stores and their devices, applications as submitted (one row per application,
forever), the idempotency record of every keyed request, and decisions in the order they were made (the cursor
devices pull from). SQLite by default; PostgreSQL through a URL."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from central.sealing import KeyRing, SealedBytes, SealedText


class Base(DeclarativeBase):
    if TYPE_CHECKING:
        # Every model here maps one Table (DeclarativeBase types __table__ as any FromClause, which has no
        # insert()), so central.reporting can write to the tables with Core statements.
        __table__: ClassVar[Table]


class CentralStore(Base):
    __tablename__ = "stores"
    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    region: Mapped[str] = mapped_column(String(16))
    activation_hash: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of the one-time code; None once used
    # HMAC key of the store's ID/phone blind indexes (sealed: with it, the digests give the numbers away)
    velocity_key: Mapped[bytes] = mapped_column(SealedBytes("stores", "velocity_key"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Reports count the store's local days (DESIGN.md §4); an IANA name.
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai", server_default="Asia/Shanghai")
    # The store's record its counters take at activation and at each sync (app/wire/activation.py StoreRecord):
    # the name shown at the counter (the code until one is given) and the opening hours, store time, HH:MM-HH:MM.
    name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    opening_hours: Mapped[str] = mapped_column(String(11), default="08:00-22:00", server_default="08:00-22:00")


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_code: Mapped[str] = mapped_column(ForeignKey("stores.code"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the bearer token
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    activated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SubmittedApplication(Base):
    """An application as a device submitted it: the id is unique forever; a corrected resend is a new revision."""

    __tablename__ = "applications"
    application_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_code: Mapped[str] = mapped_column(ForeignKey("stores.code"), index=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    revision: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(SealedText("applications", "body"))  # canonical JSON, exactly as received
    body_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # received | approved | declined | referred | cancelled
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # What the reports read, fixed when the revision arrives (central.reporting): the store-local day of
    # body["created_at"], body["financed"] and the purchase price in fen, and the lender's score and its decile.
    day: Mapped[dt.date | None] = mapped_column(Date)
    financed_fen: Mapped[int | None] = mapped_column(BigInteger)
    ticket_fen: Mapped[int | None] = mapped_column(BigInteger)
    score: Mapped[float | None] = mapped_column(Float)
    score_decile: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (Index("ix_applications_store_day", "store_code", "day"),)


class IdempotencyRecord(Base):
    """One keyed request: while `response` is null it is in flight; after, the response is replayed."""

    __tablename__ = "idempotency"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    application_id: Mapped[str] = mapped_column(String(36), index=True)
    request_sha256: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Decision(Base):
    """Decisions in the order made; `seq` is the cursor devices pull with `since`."""

    __tablename__ = "decisions"
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.application_id"), index=True)
    store_code: Mapped[str] = mapped_column(String(10), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    # Sealed: a store's words when it cancels, a reviewer's when they decide.
    reasons: Mapped[str] = mapped_column(SealedText("decisions", "reasons"), default="[]")
    automatic: Mapped[bool] = mapped_column(Boolean, default=True)
    decided_by: Mapped[str | None] = mapped_column(String(32))  # the reviewer's username
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ConsentWithdrawal(Base):
    """A customer's withdrawal of a consent, as a device reported it (idempotent by its key)."""

    __tablename__ = "consent_withdrawals"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    application_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(SealedText("consent_withdrawals", "body"))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class VelocityMark(Base):
    """One arrived application's ID number and phone as the store's blind indexes (for the counters' velocity
    checks) and as the lender's own digest (for open credit across stores)."""

    __tablename__ = "velocity_marks"
    application_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_code: Mapped[str] = mapped_column(String(10), index=True)
    device_id: Mapped[str] = mapped_column(String(36))
    id_digest: Mapped[bytes] = mapped_column(LargeBinary)
    phone_digest: Mapped[bytes] = mapped_column(LargeBinary)
    lender_id_digest: Mapped[bytes] = mapped_column(LargeBinary, index=True)
    financed_fen: Mapped[int] = mapped_column(BigInteger)
    day: Mapped[dt.date] = mapped_column(Date, index=True)


class PublishedFile(Base):
    """A file the lender signed for counters (catalog, blacklist, model card, model, update manifest): the
    newest version of each kind, with its detached Ed25519 signature document, served as published."""

    __tablename__ = "published_files"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)  # None only for the model (its card pins its hash)
    sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DeviceHealth(Base):
    """What a device reported at its latest sync: its outbox and its audit chain's head (the anchor)."""

    __tablename__ = "device_health"
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    pending: Mapped[int] = mapped_column(Integer)
    oldest_pending_age_s: Mapped[float | None] = mapped_column(Float)
    dead_letters: Mapped[int] = mapped_column(Integer)
    audit_seq: Mapped[int | None] = mapped_column(BigInteger)
    audit_mac: Mapped[str | None] = mapped_column(String(64))
    audit_alarm: Mapped[str | None] = mapped_column(Text)  # set when a head went backwards or changed
    app_version: Mapped[str | None] = mapped_column(String(32))
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditAnchor(Base):
    """Every audit head a device reported, so a deleted tail or a re-chained log shows against any of them."""

    __tablename__ = "audit_anchors"
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    mac: Mapped[str] = mapped_column(String(64))
    anchored_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RosterMember(Base):
    """A store's staff member as the lender keeps them; counters of the store sync the roster down."""

    __tablename__ = "roster"
    staff_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_code: Mapped[str] = mapped_column(ForeignKey("stores.code"), index=True)
    login: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    secret_hash: Mapped[str] = mapped_column(Text)  # Argon2id, as the counters check it
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer)  # the store's roster version when this row last changed


class Account(Base):
    """A person who is not at one counter: a lender's reviewer or a regional manager."""

    __tablename__ = "accounts"
    username: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))  # reviewer | regional_manager
    region: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)  # Argon2id
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AccountSession(Base):
    """A short-lived session token of an account (kept as a hash)."""

    __tablename__ = "account_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("accounts.username"))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class StoredAttachment(Base):
    """A document of an application (contract PDF, signature strokes, ID image), addressed by its SHA-256."""

    __tablename__ = "attachments"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(SealedBytes("attachments", "content"))
    media_type: Mapped[str] = mapped_column(String(64))
    store_code: Mapped[str] = mapped_column(String(10))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    size: Mapped[int | None] = mapped_column(Integer)  # bytes of the plain content (revision 0003)


class ConfirmationCode(Base):
    """A one-time code sent to an applicant's mobile to confirm the signing of one application (revision 0003).
    The code is kept only as a keyed hash; the phone as the lender's blind index (the rate limits count by it)
    and masked for the audit and the contract."""

    __tablename__ = "confirmation_codes"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(String(36), index=True)
    store_code: Mapped[str] = mapped_column(String(10))
    device_id: Mapped[str] = mapped_column(String(36))
    phone_digest: Mapped[bytes] = mapped_column(LargeBinary, index=True)
    phone_masked: Mapped[str] = mapped_column(String(24))
    code_hash: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    tries: Mapped[int] = mapped_column(Integer, default=0)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CardCheck(Base):
    """The bank's answer on one application's repayment card (revision 0003): asked by the counter before
    signing, or by the lender when the application arrives without one. The four elements are kept only as the
    lender's keyed digest, so a later arrival with another card is checked again."""

    __tablename__ = "card_checks"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(String(36), index=True)
    store_code: Mapped[str] = mapped_column(String(10))
    elements_digest: Mapped[bytes] = mapped_column(LargeBinary)
    result: Mapped[str] = mapped_column(String(20))  # app.wire.evidence.CardResult
    source: Mapped[str] = mapped_column(String(10))  # counter | arrival
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RateEvent(Base):
    """One counted use of a limited action (revision 0003): limits are counted here, so they hold across
    workers. `bucket` names what is limited and for whom (e.g. `sms:phone:<digest>`, `card:device:<id>`)."""

    __tablename__ = "rate_events"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    bucket: Mapped[str] = mapped_column(String(120))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_rate_events_bucket_at", "bucket", "at"),)


class AuditEvent(Base):
    """The lender's audit log (revision 0003): what was done, by whom, to what, and the outcome; never personal
    data (masked phones at most)."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))  # device:<id>, account:<username>, or system
    action: Mapped[str] = mapped_column(String(48))
    object_id: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON


class CancellationRequest(Base):
    """A store's request to cancel an application (the customer changed their mind), kept once by its key."""

    __tablename__ = "cancellations"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.application_id"), index=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    reason: Mapped[str] = mapped_column(SealedText("cancellations", "reason"))
    outcome: Mapped[str] = mapped_column(String(16))  # cancelled | refused
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApplicationCode(Base):
    """The codes of an application's current revision that reports count: the reasons of the decision that
    declined it (kind "reason"; "reviewer" for a reviewer's decline) and the fraud flags of the lender's verdict
    on arrival (kind "flag")."""

    __tablename__ = "application_codes"
    application_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # reason | flag
    code: Mapped[str] = mapped_column(String(64), primary_key=True)


class SealingKey(Base):
    """A key that sealed data in this database (its id, central.sealing): a server whose keys lack one of these
    refuses to start. `fenqi-central keys reseal` forgets the keys nothing is sealed with any more."""

    __tablename__ = "sealing_keys"
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    first_used_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class _Figures:
    """Counts and integer-fen sums of the applications counted under one key."""

    n: Mapped[int] = mapped_column(BigInteger, default=0)
    financed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    financed_n: Mapped[int] = mapped_column(BigInteger, default=0)
    ticket_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    ticket_n: Mapped[int] = mapped_column(BigInteger, default=0)


class ReportDaily(_Figures, Base):
    """Applications per store, store-local day (of body["created_at"]), dimension (state, reason, flag,
    score_decile) and key; written in the same transaction as every arrival, decision and cancellation."""

    __tablename__ = "report_daily"
    store_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    dim: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)


class ReportMonthly(_Figures, Base):
    """The same figures per calendar month of store-local days (`month` is its first day), kept in the same
    transaction, so a range of many months reads a few rows per store."""

    __tablename__ = "report_monthly"
    store_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    dim: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)


class ReportVersion(Base):
    """Each store's report version: bumped (and its row locked) by every transaction that changes the store's
    figures, so versions are in commit order within a store."""

    __tablename__ = "report_versions"
    store_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class ReportDayMark(Base):
    """The store version at which a device's applications of one store-local day last changed (the cursor of
    GET /v1/store/figures)."""

    __tablename__ = "report_day_marks"
    store_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


def central_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, full sync, write-locking transactions and a busy timeout, so
    concurrent requests queue instead of failing."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy's begin event below starts transactions
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _immediate(connection: Connection) -> None:
            # Take the write lock up front: a read that later writes would otherwise fail at once with
            # "database is locked" when another request writes, instead of waiting its turn.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


def open_database(url: str, keys: KeyRing | None = None) -> sessionmaker[Session]:
    """Open the server's database with its keys (`keys`, else FENQI_CENTRAL_KEY or the key file, central.sealing)
    and its schema brought to the newest revision (central.migrate: created when empty, a database made before
    Alembic recognised); return a session factory whose transactions write the report aggregates before they
    commit (central.reporting). Raises SealingError when the keys do not open what the database holds, and
    SchemaError for a newer server's database."""
    from central import migrate, reporting

    engine = central_engine(url)
    try:
        migrate.prepare(engine, keys)
    except BaseException:
        engine.dispose()
        raise
    factory = sessionmaker(engine, expire_on_commit=False)
    reporting.install(factory)
    return factory
