"""The revocation state that token validation consults: a fold over the feed.

What an entry covers is the one rule of the suite, `common.revocation.Revocation.covers_session`:
a session of the entry's account signed in before `revoked_at_us` and reached
by its scope. This index answers the same question for the whole feed in three
dictionary look-ups instead of a scan, by keeping per scope only what decides it:

- SESSION: the entry itself, by (account, session id).
- DEVICE: a cutoff per (account, device): sessions of that device signed in
  before it are revoked.
- ALL and ALL_OTHERS: one cutoff per account: sessions signed in before it are
  revoked, except the surviving session of ALL_OTHERS.

A cutoff costs the same for an account with 1 session as with 1,000. It agrees
with the union of `covers_session` over every entry applied
(tests/unit/common/test_revocation_index.py checks both against each
other for every scope) given two facts auth_service guarantees:

- an ALL_OTHERS is only written for a surviving session that is itself valid
  (`service_layer.revocations` checks that under the feed's write lock), so the
  latest account cutoff is enough: every session an older one revoked, the
  newer one revokes too;
- entries are applied in feed order with the wall clock's times. If the clock
  steps back, a cutoff never moves earlier (`_later`): the index then errs on
  the revoking side, never the reverse.

`revoked_at_us` 0 means "whenever the session signed in", as in the contract.

Threads: entries are applied by the revoking worker thread (one at a time, under
`_writing`) before its transaction commits; validation on the event loop and
other worker threads read without a lock (each look-up is a dict get, atomic
under the GIL), so a revocation is enforced from the instant `apply` returns.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from common.revocation import Reason, Revocation, Scope

WHENEVER = 2**63  # a cutoff later than any session's sign-in: `revoked_at_us` 0 in the contract


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
        self._sessions: dict[tuple[str, str], _Cutoff] = {}
        self._devices: dict[tuple[str, str], _Cutoff] = {}
        self._accounts: dict[str, _Cutoff] = {}
        self._writing = threading.Lock()
        self.last_sequence = 0
        self.following = threading.Lock()
        """Held while entries read from the feed after `last_sequence` are applied, and by a revocation
        writer until its own entry is applied: with several replicas, each one's index catches up on the
        others' entries (service_layer.revocations.catch_up) once each, in feed order."""

    def apply(self, revocation: Revocation) -> None:
        scope = revocation.scope
        before_us = revocation.revoked_at_us or WHENEVER
        with self._writing:
            if scope is Scope.SESSION:
                key = (revocation.account_id, revocation.session_id)
                self._sessions[key] = _later(self._sessions.get(key), before_us, "", revocation.reason)
            elif scope is Scope.DEVICE:
                key = (revocation.account_id, revocation.device_id)
                self._devices[key] = _later(self._devices.get(key), before_us, "", revocation.reason)
            else:
                survivor = revocation.session_id if scope is Scope.ALL_OTHERS else ""
                self._accounts[revocation.account_id] = _later(
                    self._accounts.get(revocation.account_id), before_us, survivor, revocation.reason
                )
            self.last_sequence = max(self.last_sequence, revocation.sequence)

    def revoked_reason(
        self, account_id: str, session_id: str, device_id: str, session_created_at_us: int
    ) -> Reason | None:
        """Why this session is revoked, or None while it is valid."""
        cutoff = self._sessions.get((account_id, session_id))
        if cutoff is not None and session_created_at_us < cutoff.before_us:
            return cutoff.reason
        cutoff = self._accounts.get(account_id)
        if (
            cutoff is not None
            and session_created_at_us < cutoff.before_us
            and session_id != cutoff.surviving_session_id
        ):
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
        with self._writing:
            old = [key for key, cutoff in self._sessions.items() if cutoff.before_us < before_us]
            for key in old:
                del self._sessions[key]
        return len(old)
