"""What a verified access token says about its bearer: shared by auth_service and the gateway, which both verify."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """What a valid access token says about its bearer."""

    account_id: str
    session_id: str
    device_id: str
    session_created_at_us: int
    expires_at: int  # seconds since the epoch
    issued_at: int = 0  # seconds since the epoch
    profile_id: str = ""
    profile_kind: str = ""
    session_expires_at_us: int = 0  # the `sxp` claim: when the session itself ends; 0 in tokens minted before it
