"""The audit trail of changes to an account's parental controls."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who made a change: the device and profile the request came from."""

    device_id: str = ""
    profile_id: str = ""


NOBODY = Actor()
"""The actor of a change no request made (seeding, tests)."""


@dataclass(frozen=True)
class AuditEvent:
    account_id: str
    profile_id: str
    occurred_at: int
    change: str
    old_value: str
    new_value: str
    actor: Actor
    event_id: int = 0
