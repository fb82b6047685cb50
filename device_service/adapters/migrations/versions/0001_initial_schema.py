"""device_service's schema as it was when migrations came: what `create_all` made until then, exactly.

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
        "applied_revocations",
        sa.Column("sequence", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("applied_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sequence"),
    )
    op.create_table(
        "devices",
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("type", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=200), nullable=False),
        sa.Column("app_version", sa.String(length=200), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.BigInteger(), nullable=False),
        sa.Column("last_seen_at", sa.BigInteger(), nullable=False),
        sa.Column("signed_in_at", sa.BigInteger(), nullable=False),
        sa.Column("last_ip_address", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("location_description", sa.String(length=200), nullable=False),
        sa.Column("last_profile_name", sa.String(length=100), nullable=False),
        sa.Column("last_title", sa.String(length=200), nullable=False),
        sa.Column("last_watched_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("device_id"),
        sa.UniqueConstraint("account_id", "client_id", name="uq_devices_account_client"),
    )
    op.create_index("ix_devices_account_seen", "devices", ["account_id", "last_seen_at", "device_id"], unique=False)
    op.create_table(
        "downloads",
        sa.Column("download_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("profile_name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("downloaded_at", sa.BigInteger(), nullable=False),
        sa.Column("cancelled_at", sa.BigInteger(), nullable=True),
        sa.Column("cancel_reason", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("download_id"),
    )
    op.create_index(
        "ix_downloads_device", "downloads", ["account_id", "device_id", "downloaded_at", "download_id"], unique=False
    )
    op.create_table(
        "feed_cursor",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "streaming_activity",
        sa.Column("activity_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.Integer(), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=False),
        sa.Column("location_description", sa.String(length=200), nullable=False),
        sa.Column("occurred_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("activity_id"),
    )
    op.create_index(
        "ix_streaming_device",
        "streaming_activity",
        ["account_id", "device_id", "occurred_at", "activity_id"],
        unique=False,
    )
    op.create_table(
        "viewing_activity",
        sa.Column("activity_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("profile_name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("device_name", sa.String(length=100), nullable=False),
        sa.Column("device_type", sa.Integer(), nullable=False),
        sa.Column("watched_at", sa.BigInteger(), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=False),
        sa.Column("location_description", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("activity_id"),
    )
    op.create_index("ix_viewing_activity_device_id", "viewing_activity", ["device_id"], unique=False)
    op.create_index(
        "ix_viewing_profile",
        "viewing_activity",
        ["account_id", "profile_name", "watched_at", "activity_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_viewing_profile", table_name="viewing_activity")
    op.drop_index("ix_viewing_activity_device_id", table_name="viewing_activity")
    op.drop_table("viewing_activity")
    op.drop_index("ix_streaming_device", table_name="streaming_activity")
    op.drop_table("streaming_activity")
    op.drop_table("feed_cursor")
    op.drop_index("ix_downloads_device", table_name="downloads")
    op.drop_table("downloads")
    op.drop_index("ix_devices_account_seen", table_name="devices")
    op.drop_table("devices")
    op.drop_table("applied_revocations")
