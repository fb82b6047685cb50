"""Drop what nothing reads any more: the sign-in throttle's columns of `accounts` (the throttle left the
database for auth_service.domain.throttle and its store) and `signing_keys`, the HMAC token keys that
databases made before Ed25519 keys (kept in files, outside the database) still hold.

Revision 0002, after 0001. SQLite drops a column by rebuilding the table (batch mode); `signing_keys`
is dropped only where it exists. Downgrading puts the two columns back, NOT NULL with a server default
of 0 (so existing rows fit), and not the secrets of `signing_keys`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as accounts:
        accounts.drop_column("failed_sign_ins")
        accounts.drop_column("throttled_until_us")
    op.drop_table("signing_keys", if_exists=True)


def downgrade() -> None:
    with op.batch_alter_table("accounts") as accounts:
        accounts.add_column(sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0"))
        accounts.add_column(sa.Column("throttled_until_us", sa.BigInteger(), nullable=False, server_default="0"))
