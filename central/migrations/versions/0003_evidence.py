"""Evidence: the size of every attachment (filled in for those already held), the one-time codes that confirm
a signing, the bank's answers on repayment cards, the counted uses of rate-limited actions, and the lender's
audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from central import sealing

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _seq() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("size", sa.Integer(), nullable=True))
    ring = sealing.ring_of(bind)
    rows = bind.execute(sa.text("SELECT sha256, content FROM attachments")).all()
    for sha, content in rows:
        plain = ring.open("attachments", "content", bytes(content))
        bind.execute(sa.text("UPDATE attachments SET size = :n WHERE sha256 = :s"), {"n": len(plain), "s": sha})
    op.create_table(
        "confirmation_codes",
        sa.Column("id", _seq(), primary_key=True, autoincrement=True),
        sa.Column("application_id", sa.String(36), nullable=False, index=True),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("phone_digest", sa.LargeBinary(), nullable=False, index=True),
        sa.Column("phone_masked", sa.String(24), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "card_checks",
        sa.Column("id", _seq(), primary_key=True, autoincrement=True),
        sa.Column("application_id", sa.String(36), nullable=False, index=True),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("elements_digest", sa.LargeBinary(), nullable=False),
        sa.Column("result", sa.String(20), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "rate_events",
        sa.Column("id", _seq(), primary_key=True, autoincrement=True),
        sa.Column("bucket", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_rate_events_bucket_at", "rate_events", ["bucket", "at"])
    op.create_table(
        "audit_events",
        sa.Column("seq", _seq(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("object_id", sa.String(36), nullable=True, index=True),
        sa.Column("detail", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in ("audit_events", "rate_events", "card_checks", "confirmation_codes"):
        op.drop_table(table)
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("size")
