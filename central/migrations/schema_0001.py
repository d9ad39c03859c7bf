"""The server's schema at revision 0001 (as it was when Alembic came to central/), frozen: the revision creates
it, and a database made before Alembic gets its missing tables from it (central.migrate). Never changed: a
later schema change is a new revision."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()


def _figures() -> list[Column[int]]:
    return [
        Column(name, BigInteger, nullable=False)
        for name in ("n", "financed_fen", "financed_n", "ticket_fen", "ticket_n")
    ]


def _when(name: str, nullable: bool = False) -> Column[object]:
    return Column(name, DateTime(timezone=True), nullable=nullable)


_SEQ = BigInteger().with_variant(Integer, "sqlite")

Table(
    "stores",
    metadata,
    Column("code", String(10), primary_key=True),
    Column("region", String(16), nullable=False),
    Column("activation_hash", String(64)),
    Column("velocity_key", LargeBinary, nullable=False),
    _when("created_at"),
    Column("time_zone", String(64), nullable=False, server_default="Asia/Shanghai"),
    Column("name", String(100), nullable=False, server_default=""),
    Column("opening_hours", String(11), nullable=False, server_default="08:00-22:00"),
)
Table(
    "devices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("revoked_reason", Text),
    _when("activated_at"),
)
Table(
    "applications",
    metadata,
    Column("application_id", String(36), primary_key=True),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False, index=True),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("body_sha256", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    _when("received_at"),
    Column("day", Date),
    Column("financed_fen", BigInteger),
    Column("ticket_fen", BigInteger),
    Column("score", Float),
    Column("score_decile", Integer),
    Index("ix_applications_store_day", "store_code", "day"),
)
Table(
    "idempotency",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("application_id", String(36), nullable=False, index=True),
    Column("request_sha256", String(64), nullable=False),
    Column("status_code", Integer),
    Column("response", Text),
    _when("created_at"),
)
Table(
    "decisions",
    metadata,
    Column("seq", _SEQ, primary_key=True, autoincrement=True),
    Column("application_id", String(36), ForeignKey("applications.application_id"), nullable=False, index=True),
    Column("store_code", String(10), nullable=False, index=True),
    Column("decision", String(16), nullable=False),
    Column("reasons", Text, nullable=False),
    Column("automatic", Boolean, nullable=False),
    Column("decided_by", String(32)),
    _when("decided_at"),
)
Table(
    "consent_withdrawals",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("application_id", String(36), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("body", Text, nullable=False),
    _when("received_at"),
)
Table(
    "velocity_marks",
    metadata,
    Column("application_id", String(36), primary_key=True),
    Column("store_code", String(10), nullable=False, index=True),
    Column("device_id", String(36), nullable=False),
    Column("id_digest", LargeBinary, nullable=False),
    Column("phone_digest", LargeBinary, nullable=False),
    Column("lender_id_digest", LargeBinary, nullable=False, index=True),
    Column("financed_fen", BigInteger, nullable=False),
    Column("day", Date, nullable=False, index=True),
)
Table(
    "published_files",
    metadata,
    Column("kind", String(32), primary_key=True),
    Column("content", LargeBinary, nullable=False),
    Column("signature", LargeBinary),
    Column("sha256", String(64), nullable=False),
    _when("published_at"),
)
Table(
    "device_health",
    metadata,
    Column("device_id", String(36), ForeignKey("devices.id"), primary_key=True),
    Column("pending", Integer, nullable=False),
    Column("oldest_pending_age_s", Float),
    Column("dead_letters", Integer, nullable=False),
    Column("audit_seq", BigInteger),
    Column("audit_mac", String(64)),
    Column("audit_alarm", Text),
    Column("app_version", String(32)),
    _when("reported_at"),
)
Table(
    "audit_anchors",
    metadata,
    Column("device_id", String(36), ForeignKey("devices.id"), primary_key=True),
    Column("seq", _SEQ, primary_key=True, autoincrement=False),
    Column("mac", String(64), nullable=False),
    _when("anchored_at"),
)
Table(
    "roster",
    metadata,
    Column("staff_id", String(36), primary_key=True),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False, index=True),
    Column("login", String(32), nullable=False, unique=True),
    Column("display_name", String(64), nullable=False),
    Column("role", String(20), nullable=False),
    Column("secret_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
)
Table(
    "accounts",
    metadata,
    Column("username", String(32), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("region", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("failed_attempts", Integer, nullable=False),
    _when("locked_until", nullable=True),
    Column("active", Boolean, nullable=False),
)
Table(
    "account_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(32), ForeignKey("accounts.username"), nullable=False),
    _when("expires_at"),
)
Table(
    "attachments",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("content", LargeBinary, nullable=False),
    Column("media_type", String(64), nullable=False),
    Column("store_code", String(10), nullable=False),
    _when("received_at"),
)
Table(
    "cancellations",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("application_id", String(36), ForeignKey("applications.application_id"), nullable=False, index=True),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("outcome", String(16), nullable=False),
    _when("received_at"),
)
Table(
    "application_codes",
    metadata,
    Column("application_id", String(36), primary_key=True),
    Column("kind", String(8), primary_key=True),
    Column("code", String(64), primary_key=True),
)
Table(
    "report_daily",
    metadata,
    Column("store_code", String(10), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("dim", String(16), primary_key=True),
    Column("key", String(64), primary_key=True),
    *_figures(),
)
Table(
    "report_monthly",
    metadata,
    Column("store_code", String(10), primary_key=True),
    Column("month", Date, primary_key=True),
    Column("dim", String(16), primary_key=True),
    Column("key", String(64), primary_key=True),
    *_figures(),
)
Table(
    "report_versions",
    metadata,
    Column("store_code", String(10), primary_key=True),
    Column("version", BigInteger, nullable=False),
)
Table(
    "report_day_marks",
    metadata,
    Column("store_code", String(10), primary_key=True),
    Column("device_id", String(36), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("version", BigInteger, nullable=False),
)
