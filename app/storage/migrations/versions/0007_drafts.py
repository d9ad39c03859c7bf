"""Drafts: the in-progress field values of the step a clerk is on, sealed, one row per application, so the
counter reopens where the clerk was after a crash and the drafts list can show and search open applications.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft_snapshots",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("values_enc", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("application_id"),
    )
    with op.batch_alter_table("draft_snapshots", schema=None) as batch_op:
        batch_op.create_index("ix_draft_snapshots_staff_updated", ["staff_id", "updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("draft_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_draft_snapshots_staff_updated")
    op.drop_table("draft_snapshots")
