"""The JSON the gateway answers with, built from the domain model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gateway.domain.model import (
    Account,
    Device,
    DevicePage,
    DeviceRemoval,
    Location,
    PasswordChange,
    Profile,
    Revocation,
    Session,
    SignOutResult,
    TokenPair,
)


def iso(moment: datetime | None) -> str | None:
    """ISO-8601 in UTC with a Z, or None for a time that never happened."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def account_json(account: Account) -> dict[str, Any]:
    return {"account_id": account.account_id, "email": account.email}


def token_pair_json(pair: TokenPair) -> dict[str, Any]:
    return {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "token_type": "Bearer",
        "expires_in": pair.expires_in,
        "session_id": pair.session_id,
        "device_id": pair.device_id,
    }


def session_json(session: Session) -> dict[str, Any]:
    return {
        "session_id": session.session_id,
        "account_id": session.account_id,
        "device_id": session.device_id,
        "created_at": iso(session.created_at),
        "last_used_at": iso(session.last_used_at),
        "expires_at": iso(session.expires_at),
        "revoked": session.revoked,
    }


def location_json(location: Location) -> dict[str, str]:
    return {
        "country": location.country,
        "region": location.region,
        "city": location.city,
        "description": location.description,
    }


def device_json(device: Device) -> dict[str, Any]:
    return {
        "device_id": device.device_id,
        "name": device.name,
        "type": device.type,
        "platform": device.platform,
        "app_version": device.app_version,
        "status": device.status,
        "first_seen_at": iso(device.first_seen_at),
        "last_seen_at": iso(device.last_seen_at),
        "last_ip_address": device.last_ip_address,
        "location": location_json(device.location),
        "last_profile_name": device.last_profile_name,
        "last_title": device.last_title,
        "last_watched_at": iso(device.last_watched_at),
        "current": device.current,
    }


def device_page_json(page: DevicePage) -> dict[str, Any]:
    return {"devices": [device_json(d) for d in page.devices], "next_page_token": page.next_page_token}


def revocation_json(revocation: Revocation) -> dict[str, Any]:
    return {
        "sequence": revocation.sequence,
        "scope": revocation.scope,
        "reason": revocation.reason,
        "session_id": revocation.session_id or None,
        "device_id": revocation.device_id or None,
        "revoked_at": iso(revocation.revoked_at),
    }


def sign_out_json(result: SignOutResult) -> dict[str, Any]:
    return {"revocation": revocation_json(result.revocation), "propagation": dict(result.propagation)}


def password_change_json(change: PasswordChange) -> dict[str, Any]:
    revocation = revocation_json(change.revocation) if change.revocation else None
    return {"revocation": revocation, "propagation": dict(change.propagation)}


def device_removal_json(removal: DeviceRemoval) -> dict[str, Any]:
    return {
        "revocation": revocation_json(removal.revocation),
        "propagation": dict(removal.propagation),
        "device": device_json(removal.device),
    }


def profile_json(profile: Profile) -> dict[str, Any]:
    return {
        "profile_id": profile.profile_id,
        "name": profile.name,
        "kind": profile.kind,
        "maturity_level": profile.maturity_level,
        "has_pin": profile.has_pin,
        "locked_until": iso(profile.locked_until),
    }


def profiles_json(profiles: list[Profile]) -> dict[str, Any]:
    return {"profiles": [profile_json(p) for p in profiles]}


def error_json(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}
