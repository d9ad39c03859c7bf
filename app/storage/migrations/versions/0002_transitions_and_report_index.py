"""Application state history, and the (store, created) index the reports scan.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "application_transitions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("application_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_application_transitions_application_id"), ["application_id"], unique=False)
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index("ix_applications_store_created", ["store_id", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index("ix_applications_store_created")
    with op.batch_alter_table("application_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_transitions_application_id"))
    op.drop_table("application_transitions")
