"""The password throttle as the handlers use it: take before argon2, refuse with the seconds to wait.

The buckets and their arithmetic are domain.throttle's; where they live is the
ThrottleStore port (adapters.throttle_store: in memory, or Redis). Every refusal is counted in
`remotesignout_sign_in_throttled_total{reason}`, reason being the refusal's (sign_in_throttled,
password_throttled).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from prometheus_client import Counter

from auth_service.domain.throttle import Bucket, BucketNames, retry_after_seconds
from auth_service.service_layer.ports import Clock, ThrottleStore
from common.errors import ResourceExhausted

SIGN_IN_THROTTLED = "Too many sign-in attempts. Wait a little, then try again."
PASSWORD_THROTTLED = "Too many wrong passwords. Wait a little, then try again."

THROTTLED = Counter(
    "remotesignout_sign_in_throttled",
    "auth_service: password attempts refused by the throttle before any password check, by reason "
    "(sign_in_throttled: signing in; password_throttled: confirming the password of a signed-in account).",
    ["reason"],
)


def _seconds(clock: Clock) -> float:
    return clock() / 1_000_000


@dataclass(frozen=True)
class Throttle:
    store: ThrottleStore
    names: BucketNames

    async def enter(self, buckets: Sequence[Bucket], clock: Clock, message: str, reason: str) -> None:
        """Take a token from each bucket, or raise ResourceExhausted carrying the whole seconds to wait."""
        wait = await self.store.take(buckets, _seconds(clock))
        if wait:
            THROTTLED.labels(reason).inc()
            raise ResourceExhausted(message, reason=reason, retry_after_seconds=retry_after_seconds(wait))

    async def passed(self, buckets: Sequence[Bucket], clock: Clock) -> None:
        """The password was right: the attempt's tokens go back."""
        await self.store.give_back(buckets, _seconds(clock))
