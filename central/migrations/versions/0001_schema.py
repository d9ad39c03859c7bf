"""The server's schema when Alembic came to central/: stores, devices, applications, idempotency records,
decisions, consent withdrawals, velocity marks, published files, device health, audit anchors, rosters,
accounts and their sessions, attachments, cancellations, and the report tables (central/migrations/schema_0001).

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

from central.migrations.schema_0001 import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
