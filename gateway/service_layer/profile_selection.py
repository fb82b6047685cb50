"""The profile a session has entered, and the rule that kids profiles get no account settings.

auth_service scopes the session to the selected profile and puts it in the
access token, so every request knows which profile makes it (Caller.profile_id
and Caller.profile_kind). A session that has selected no profile yet acts as
the account holder.
"""

from __future__ import annotations

from common.errors import PermissionDenied
from gateway.domain.model import Caller
from gateway.domain.parental import Actor

KIDS_PROFILE_MESSAGE = (
    "A kids profile cannot change account settings, devices or sign-outs. Switch to an adult profile first."
)


def actor(caller: Caller) -> Actor:
    return Actor(caller.device_id, caller.profile_id)


def require_account_settings(caller: Caller) -> None:
    """PermissionDenied (kids_profile) when the caller's token is scoped to a kids profile."""
    if caller.profile_kind == "kids":
        raise PermissionDenied(KIDS_PROFILE_MESSAGE, reason="kids_profile")
