"""The JSON of activity, downloads and token introspection."""

from __future__ import annotations

from typing import Any

from gateway.domain.activity import (
    Download,
    DownloadLicense,
    DownloadPage,
    StreamingActivityPage,
    ViewingActivityPage,
)
from gateway.domain.json_shapes import iso, location_json
from gateway.domain.oauth import Introspection

ISSUER = "remote-signout"


def streaming_activity_json(page: StreamingActivityPage) -> dict[str, Any]:
    return {
        "activities": [
            {"kind": a.kind, "ip_address": a.ip_address, "location": location_json(a.location),
             "occurred_at": iso(a.occurred_at)}
            for a in page.activities
        ],
        "next_page_token": page.next_page_token,
    }


def viewing_activity_json(page: ViewingActivityPage) -> dict[str, Any]:
    return {
        "activities": [
            {"title": a.title, "profile_name": a.profile_name, "device_id": a.device_id,
             "device_name": a.device_name, "device_type": a.device_type, "watched_at": iso(a.watched_at),
             "location": location_json(a.location)}
            for a in page.activities
        ],
        "next_page_token": page.next_page_token,
    }


def download_json(download: Download) -> dict[str, Any]:
    return {
        "download_id": download.download_id,
        "device_id": download.device_id,
        "profile_name": download.profile_name,
        "title": download.title,
        "status": download.status,
        "downloaded_at": iso(download.downloaded_at),
        "cancelled_at": iso(download.cancelled_at),
        "cancel_reason": download.cancel_reason or None,
    }


def download_page_json(page: DownloadPage) -> dict[str, Any]:
    return {"downloads": [download_json(d) for d in page.downloads], "next_page_token": page.next_page_token}


def license_json(license_: DownloadLicense) -> dict[str, Any]:
    return {"valid": license_.valid, "reason": license_.reason or None, "download": download_json(license_.download)}


def introspection_json(introspection: Introspection, client_id: str) -> dict[str, Any]:
    """RFC 7662: exactly {"active": false} for any token that is not active."""
    if not introspection.active:
        return {"active": False}
    return {
        "active": True,
        "token_type": introspection.token_type,
        "sub": introspection.account_id,
        "sid": introspection.session_id,
        "device_id": introspection.device_id,
        "iat": int(introspection.issued_at.timestamp()) if introspection.issued_at else None,
        "exp": int(introspection.expires_at.timestamp()) if introspection.expires_at else None,
        "iss": ISSUER,
        "client_id": client_id,
    }
