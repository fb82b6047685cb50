"""Account-wide sign-outs kept as one cutoff per account (device_service.domain.cutoffs).

Revision 0002, after 0001.

- `account_cutoffs`, new: an account's latest all / all_others revocation.
- `devices.cutoff_sequence`, new, 0 in every existing row: with no cutoff yet, every row's `status` is the
  device's status, as before; nothing to convert.
- `ix_downloads_active` on downloads (account_id, status): what a revocation cancels.

Downgrading writes into each row the status its account's cutoff derives (SIGNED_OUT where the cutoff
covers an ACTIVE row) before dropping the cutoffs, so no signed-out device comes back signed in.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ACTIVE, SIGNED_OUT = 1, 2  # device_service.domain.model.DeviceStatus, as stored


def upgrade() -> None:
    op.create_table(
        "account_cutoffs",
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("before_us", sa.BigInteger(), nullable=False),
        sa.Column("kept_device_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("account_id"),
    )
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("cutoff_sequence", sa.BigInteger(), server_default="0", nullable=False))
    op.create_index("ix_downloads_active", "downloads", ["account_id", "status"], unique=False)


def downgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE devices SET status = :signed_out WHERE status = :active AND EXISTS ("
            "SELECT 1 FROM account_cutoffs c WHERE c.account_id = devices.account_id"
            " AND devices.cutoff_sequence <> c.sequence AND devices.signed_in_at < c.before_us"
            " AND devices.device_id <> c.kept_device_id)"
        ).bindparams(signed_out=SIGNED_OUT, active=ACTIVE)
    )
    op.drop_index("ix_downloads_active", table_name="downloads")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("cutoff_sequence")
    op.drop_table("account_cutoffs")
