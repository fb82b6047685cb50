"""SQLAlchemy repositories: rows in, domain objects out."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from device_service.adapters.keyset import newest_first
from device_service.adapters.orm import AppliedRevocationRow, DeviceRow
from device_service.domain.model import Device, DeviceStatus, DeviceType, Location
from device_service.domain.revocation import Revocation, RevocationScope
from device_service.service_layer.ports import AppliedRevocations, Cursor, DeviceRepository

_COPIED = (
    "device_id", "account_id", "client_id", "name", "platform", "app_version", "first_seen_at",
    "last_seen_at", "signed_in_at", "last_ip_address", "last_profile_name", "last_title", "last_watched_at",
)


def to_device(row: DeviceRow) -> Device:
    return Device(
        **{name: getattr(row, name) for name in _COPIED},
        type=DeviceType(row.type),
        status=DeviceStatus(row.status),
        location=Location(row.location_description, row.country, row.region, row.city),
    )


def copy_into(row: DeviceRow, device: Device) -> None:
    for name in _COPIED:
        setattr(row, name, getattr(device, name))
    row.type = int(device.type)
    row.status = int(device.status)
    row.location_description = device.location.description
    row.country = device.location.country
    row.region = device.location.region
    row.city = device.location.city


def reach(revocation: Revocation) -> list[ColumnElement[bool]]:
    """Revocation.devices_to_sign_out as SQL: the devices rows a revocation reaches."""
    conditions = [DeviceRow.account_id == revocation.account_id]
    if revocation.scope in (RevocationScope.SESSION, RevocationScope.DEVICE):
        conditions.append(DeviceRow.device_id == revocation.device_id)
    elif revocation.scope is RevocationScope.ALL_OTHERS:
        conditions.append(DeviceRow.device_id != revocation.device_id)
    if revocation.revoked_at is not None:  # a device that signed in again since is not reached
        conditions.append(DeviceRow.signed_in_at <= revocation.revoked_at)
    return conditions


class SqlAlchemyDeviceRepository(DeviceRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, device: Device) -> None:
        row = self.session.get(DeviceRow, device.device_id)
        if row is None:
            row = DeviceRow()
            self.session.add(row)
        copy_into(row, device)

    def get(self, account_id: str, device_id: str) -> Device | None:
        row = self.session.get(DeviceRow, device_id)
        return to_device(row) if row is not None and row.account_id == account_id else None

    def sign_out_covered(self, revocation: Revocation) -> list[str]:
        signed_out = self.session.scalars(
            update(DeviceRow)
            .where(*reach(revocation), DeviceRow.status == int(DeviceStatus.ACTIVE))
            .values(status=int(DeviceStatus.SIGNED_OUT))
            .returning(DeviceRow.device_id)
            .execution_options(synchronize_session=False)
        )
        return list(signed_out)

    def get_by_client_id(self, account_id: str, client_id: str) -> Device | None:
        query = select(DeviceRow).where(DeviceRow.account_id == account_id, DeviceRow.client_id == client_id)
        row = self.session.scalars(query).first()
        return to_device(row) if row is not None else None

    def for_account(self, account_id: str) -> list[Device]:
        query = select(DeviceRow).where(DeviceRow.account_id == account_id)
        return [to_device(row) for row in self.session.scalars(query)]

    def page(self, account_id: str, limit: int, after: Cursor | None, seen_since: int | None) -> list[Device]:
        query = select(DeviceRow).where(DeviceRow.account_id == account_id)
        if seen_since is not None:
            query = query.where(DeviceRow.last_seen_at >= seen_since)
        query = newest_first(query, DeviceRow.last_seen_at, DeviceRow.device_id, limit, after)
        return [to_device(row) for row in self.session.scalars(query)]


class SqlAlchemyAppliedRevocations(AppliedRevocations):
    def __init__(self, session: Session) -> None:
        self.session = session

    def contains(self, sequence: int) -> bool:
        return self.session.get(AppliedRevocationRow, sequence) is not None

    def add(self, sequence: int, account_id: str, applied_at: int) -> None:
        self.session.add(AppliedRevocationRow(sequence=sequence, account_id=account_id, applied_at=applied_at))


__all__ = ["SqlAlchemyDeviceRepository", "SqlAlchemyAppliedRevocations"]
