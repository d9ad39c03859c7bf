"""Verifications: the outcomes of checking who signs (the live photo's check, the one-time code on the
applicant's phone, the bank's answer on the repayment card), one row per outcome; and each attachment's size in
bytes, which the evidence list shows. The size of a document kept before this revision is left empty: its
content is sealed under the data key, which a migration does not hold, so it is read from the content when
asked (app.counter.evidence).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verifications",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("application_id", sa.Uuid(), sa.ForeignKey("applications.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("bank_card_bi", sa.LargeBinary(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("size", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_column("size")
    op.drop_table("verifications")
