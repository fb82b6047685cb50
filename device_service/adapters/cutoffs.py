"""device_service.domain.cutoffs in SQL: the account_cutoffs table, and the cutoff rule on the devices table.

tests/integration/device_service/test_revocation_rule_in_sql.py checks these conditions against the domain's
rule on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists
from sqlalchemy.orm import Session

from common.db import insert_missing
from device_service.adapters.orm import AccountCutoffRow, DeviceRow
from device_service.domain.cutoffs import LeftBehind, SignOutCutoff


def as_cutoff(row: AccountCutoffRow | None) -> SignOutCutoff | None:
    """The cutoff a row holds; None for no row, or the row a first cutoff locks (sequence 0)."""
    if row is None or row.sequence == 0:
        return None
    return SignOutCutoff(row.sequence, row.before_us, row.kept_device_id)


def read(session: Session, account_id: str) -> SignOutCutoff | None:
    return as_cutoff(session.get(AccountCutoffRow, account_id))


def locked(session: Session, account_id: str) -> AccountCutoffRow:
    """The account's cutoff row, locked until the transaction ends, made (covering nothing) if missing.

    PostgreSQL: SELECT ... FOR UPDATE, after an INSERT that does nothing if the row exists (or waits for
    the transaction inserting it), so that two cutoffs of one account are applied one after the other and
    neither is lost. SQLite: the transaction holds the database's one write lock already.
    """
    row = session.get(AccountCutoffRow, account_id, with_for_update=True, populate_existing=True)
    if row is None:
        placeholder = {"account_id": account_id, "sequence": 0, "before_us": 0, "kept_device_id": ""}
        insert_missing(session, AccountCutoffRow, placeholder)
        row = session.get(AccountCutoffRow, account_id, with_for_update=True, populate_existing=True)
        assert row is not None  # inserted above, or by the transaction that did first
    return row


def covered_by_stored_cutoff() -> ColumnElement[bool]:
    """`SignOutCutoff.covers` for a devices row, against its account's stored cutoff."""
    return exists().where(
        AccountCutoffRow.account_id == DeviceRow.account_id,
        DeviceRow.cutoff_sequence != AccountCutoffRow.sequence,
        DeviceRow.signed_in_at < AccountCutoffRow.before_us,
        DeviceRow.device_id != AccountCutoffRow.kept_device_id,
    )


def covered_by(cutoff: SignOutCutoff) -> list[ColumnElement[bool]]:
    """`cutoff.covers`, as conditions on a devices row of the cutoff's account."""
    return [
        DeviceRow.cutoff_sequence != cutoff.sequence,
        DeviceRow.signed_in_at < cutoff.before_us,
        DeviceRow.device_id != cutoff.kept_device_id,
    ]


def left_behind(gap: LeftBehind) -> list[ColumnElement[bool]]:
    """`gap.includes`, one condition per part, each for its own UPDATE: the kept device is one row by its key;
    the range (revocations out of order, rare) reads the account's devices."""
    conditions = []
    if gap.kept_device_id:
        conditions.append(DeviceRow.device_id == gap.kept_device_id)
    if gap.signed_in is not None:
        conditions.append(and_(DeviceRow.signed_in_at >= gap.signed_in[0], DeviceRow.signed_in_at < gap.signed_in[1]))
    return conditions
