"""parental_service's schema as it was when migrations came: what `create_all` made until then, exactly.

Revision 0001, the first. A database made before migrations (these tables, no version table) is stamped
here instead of running it (common.migrations).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "active_playbacks",
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("profile_id", sa.String(length=64), nullable=False),
        sa.Column("title_id", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("device_id"),
    )
    op.create_index("ix_active_playbacks_account", "active_playbacks", ["account_id"], unique=False)
    op.create_table(
        "applied_revocations",
        sa.Column("sequence", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("applied_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sequence"),
    )
    op.create_table(
        "audit_events",
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("profile_id", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.BigInteger(), nullable=False),
        sa.Column("change", sa.String(length=64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("actor_device_id", sa.String(length=64), nullable=False),
        sa.Column("actor_profile_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("ix_audit_events_account", "audit_events", ["account_id", "event_id"], unique=False)
    op.create_table(
        "blocked_titles",
        sa.Column("profile_id", sa.String(length=64), nullable=False),
        sa.Column("title_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("profile_id", "title_id"),
    )
    op.create_table(
        "feed_cursor",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "pin_entries",
        sa.Column("profile_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("entered_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("profile_id", "device_id"),
    )
    op.create_index("ix_pin_entries_account", "pin_entries", ["account_id"], unique=False)
    op.create_table(
        "profiles",
        sa.Column("profile_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("maturity_level", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=True),
        sa.Column("failed_pin_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("profile_id"),
        sa.UniqueConstraint("account_id", "name_key", name="uq_profiles_account_name"),
    )
    op.create_index("ix_profiles_account_id", "profiles", ["account_id"], unique=False)
    op.create_table(
        "viewing_schedules",
        sa.Column("profile_id", sa.String(length=64), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("windows", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("profile_id"),
    )


def downgrade() -> None:
    op.drop_table("viewing_schedules")
    op.drop_index("ix_profiles_account_id", table_name="profiles")
    op.drop_table("profiles")
    op.drop_index("ix_pin_entries_account", table_name="pin_entries")
    op.drop_table("pin_entries")
    op.drop_table("feed_cursor")
    op.drop_table("blocked_titles")
    op.drop_index("ix_audit_events_account", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_table("applied_revocations")
    op.drop_index("ix_active_playbacks_account", table_name="active_playbacks")
    op.drop_table("active_playbacks")
