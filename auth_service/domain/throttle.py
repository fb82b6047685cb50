"""Growing back-off after failed sign-ins on one account.

The first THRESHOLD failures in a row cost nothing; each one after that
doubles the wait, up to CAP. A success resets the count. Unknown emails have
no account and so no count: they lock nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottlePolicy:
    threshold: int = 5
    base_seconds: float = 1.0
    cap_seconds: float = 15 * 60

    def delay_seconds(self, consecutive_failures: int) -> float:
        """How long sign-in stays refused after this many failures in a row."""
        if consecutive_failures < self.threshold:
            return 0.0
        return min(self.cap_seconds, self.base_seconds * 2.0 ** (consecutive_failures - self.threshold))
