"""The revocation state that token validation consults: a fold over the feed.

Every form of revocation lands here the same way, through `apply`:

- SESSION revokes one session id.
- DEVICE sets a cutoff for (account, device): sessions of that device created
  before it are revoked.
- ALL and ALL_OTHERS set one cutoff for the account: sessions created before it
  are revoked, except the surviving session of ALL_OTHERS.

A cutoff costs the same for an account with 1 session as with 1,000, and a check
is three dictionary look-ups. The latest account cutoff is enough: an
ALL_OTHERS is only applied for a surviving session that is itself valid (the
revocation service checks that), so every session an older cutoff revoked is
revoked by the newer one too.
"""

from __future__ import annotations

from dataclasses import dataclass

from auth_service.domain.model import Reason, Revocation, Scope


@dataclass(frozen=True)
class _Cutoff:
    before_us: int
    surviving_session_id: str
    reason: Reason


def _later(current: _Cutoff | None, before_us: int, survivor: str, reason: Reason) -> _Cutoff:
    """The new cutoff, never earlier than the one it replaces: if the wall clock
    stepped back, sessions the old cutoff revoked stay revoked."""
    if current is not None and current.before_us > before_us:
        before_us = current.before_us
    return _Cutoff(before_us, survivor, reason)


class RevocationIndex:
    def __init__(self) -> None:
        self._sessions: dict[str, tuple[int, Reason]] = {}
        self._devices: dict[tuple[str, str], _Cutoff] = {}
        self._accounts: dict[str, _Cutoff] = {}
        self.last_sequence = 0

    def apply(self, revocation: Revocation) -> None:
        scope = revocation.scope
        if scope is Scope.SESSION:
            self._sessions[revocation.session_id] = (revocation.revoked_at_us, revocation.reason)
        elif scope is Scope.DEVICE:
            key = (revocation.account_id, revocation.device_id)
            self._devices[key] = _later(self._devices.get(key), revocation.revoked_at_us, "", revocation.reason)
        else:
            survivor = revocation.session_id if scope is Scope.ALL_OTHERS else ""
            self._accounts[revocation.account_id] = _later(
                self._accounts.get(revocation.account_id), revocation.revoked_at_us, survivor, revocation.reason
            )
        self.last_sequence = max(self.last_sequence, revocation.sequence)

    def revoked_reason(
        self, account_id: str, session_id: str, device_id: str, session_created_at_us: int
    ) -> Reason | None:
        """Why this session is revoked, or None while it is valid."""
        revoked = self._sessions.get(session_id)
        if revoked is not None:
            return revoked[1]
        cutoff = self._accounts.get(account_id)
        if cutoff is not None and session_created_at_us < cutoff.before_us and session_id != cutoff.surviving_session_id:
            return cutoff.reason
        cutoff = self._devices.get((account_id, device_id))
        if cutoff is not None and session_created_at_us < cutoff.before_us:
            return cutoff.reason
        return None

    def forget_sessions_revoked_before(self, before_us: int) -> int:
        """Drop single-session entries old enough that no access token of theirs lives.

        Refresh reads the session row, so only validation needs them, and only
        for as long as an access token lasts.
        """
        old = [sid for sid, (at, _) in self._sessions.items() if at < before_us]
        for sid in old:
            del self._sessions[sid]
        return len(old)
