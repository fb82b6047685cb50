"""The password throttle as the handlers use it: take before argon2, refuse with the seconds to wait.

The buckets and their arithmetic are domain.throttle's; where they live is the
ThrottleStore port (adapters.throttle_store: in memory, or Redis). Every refusal is counted, by the
refusal's reason, in the counter the caller names: `remotesignout_sign_in_throttled_total{reason}` here
for password attempts (sign_in_throttled, password_throttled), the TV sign-in's own family for its codes
(service_layer.device_authorizations).
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

    async def enter(
        self, buckets: Sequence[Bucket], clock: Clock, message: str, reason: str, counted: Counter = THROTTLED
    ) -> None:
        """Take a token from each bucket, or raise ResourceExhausted carrying the whole seconds to wait (counted
        in `counted` by `reason`: password attempts unless the caller names its own family)."""
        wait = await self.store.take(buckets, _seconds(clock))
        if wait:
            counted.labels(reason).inc()
            raise ResourceExhausted(message, reason=reason, retry_after_seconds=retry_after_seconds(wait))

    async def passed(self, buckets: Sequence[Bucket], clock: Clock) -> None:
        """The password was right: the attempt's tokens go back."""
        await self.store.give_back(buckets, _seconds(clock))
