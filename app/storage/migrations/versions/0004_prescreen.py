"""The local copy of the lender's blacklist (HMAC digests only), and the log of pre-screens (figures and
codes only) that drift monitoring and the reports read.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blacklist_entries",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("digest", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "digest"),
    )
    op.create_table(
        "prescreen_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=True),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("pd", sa.Float(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("codes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("prescreen_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prescreen_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_prescreen_log_application_id"), ["application_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("prescreen_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prescreen_log_application_id"))
        batch_op.drop_index(batch_op.f("ix_prescreen_log_at"))
    op.drop_table("prescreen_log")
    op.drop_table("blacklist_entries")
