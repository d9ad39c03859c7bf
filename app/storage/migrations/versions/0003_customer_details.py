"""The rest of the customer details form: employment, outgoings, assets, housing, emergency contact, and the
ID card's validity from its back. Names and phones stay sealed (`_enc`); the rest are figures and codes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("job_type", sa.String(length=20)),
    ("years_at_job", sa.Integer()),
    ("monthly_expenses", sa.Integer()),
    ("assets", sa.Integer()),
    ("monthly_debt_payments", sa.Integer()),
    ("overdue_records", sa.Integer()),
    ("housing", sa.String(length=20)),
    ("emergency_name_enc", sa.LargeBinary()),
    ("emergency_phone_enc", sa.LargeBinary()),
    ("emergency_relation", sa.String(length=20)),
    ("id_valid_until", sa.Date()),
)


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        for name, type_ in _COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.add_column(sa.Column("id_long_term", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("id_long_term")
        for name, _type in reversed(_COLUMNS):
            batch_op.drop_column(name)
