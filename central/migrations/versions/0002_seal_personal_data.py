"""Seal the personal data stored in the clear (central.sealing): application bodies, consent withdrawals,
attachments, the reasons of cancellations and decisions, the stores' velocity keys; the lender's blind index of
every velocity mark made again under the server's key (it was an HMAC under a constant in the code); and the
table of the keys that sealed the database's data, so a server with the wrong key refuses to start.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from central import sealing
from central.sealing import SealedColumn

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEALED = (
    SealedColumn("applications", "application_id", "body", binary=False),
    SealedColumn("consent_withdrawals", "key", "body", binary=False),
    SealedColumn("attachments", "sha256", "content", binary=True),
    SealedColumn("cancellations", "key", "reason", binary=False),
    SealedColumn("decisions", "seq", "reasons", binary=False),
    SealedColumn("stores", "code", "velocity_key", binary=True),
)


def upgrade() -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("sealing_keys"):  # (there when the tables were made from the models)
        op.create_table(
            "sealing_keys",
            sa.Column("key_id", sa.String(length=16), nullable=False),
            sa.Column("first_used_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("key_id"),
        )
    ring = sealing.ring_of(bind)
    for target in SEALED:
        sealing.seal_column(bind, ring, target, plaintext=True)
    sealing.redigest_lender_marks(bind, ring)
    sealing.record_key_id(bind, ring.current_id)


def downgrade() -> None:
    raise NotImplementedError("sealed data is not unsealed: the way back is the backup taken before the upgrade")
