"""Add `device_authorizations`: devices signing in with a code (RFC 8628), their codes only as keyed hashes.

Revision 0003, after 0002. A new table, so upgrading keeps every row; downgrading drops it (and the codes
waiting in it: their devices ask for new ones).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_authorizations",
        sa.Column("device_code_hash", sa.String(length=64), nullable=False),
        sa.Column("user_code_hash", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("device_client_id", sa.String(length=128), nullable=False),
        sa.Column("device_name", sa.String(length=100), nullable=False),
        sa.Column("device_type", sa.String(length=32), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("requested_at_us", sa.BigInteger(), nullable=False),
        sa.Column("expires_at_us", sa.BigInteger(), nullable=False),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("last_polled_at_us", sa.BigInteger(), nullable=True),
        sa.Column("decided_at_us", sa.BigInteger(), nullable=True),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("exchanged_at_us", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("device_code_hash"),
        sa.UniqueConstraint("user_code_hash"),
    )
    op.create_index("ix_device_authorizations_expires_at_us", "device_authorizations", ["expires_at_us"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_device_authorizations_expires_at_us", table_name="device_authorizations")
    op.drop_table("device_authorizations")
