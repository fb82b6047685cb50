"""Throttling of password guesses: token buckets that refill, kept per source, account and device.

Every attempt takes one token from each of its buckets before any argon2 work;
a bucket with no token left refuses the attempt, and says how many seconds until
it has one again. A wrong password keeps its tokens; a right one gives them back.
A refused attempt takes nothing, so hammering a throttled bucket does not make
the wait any longer: it always ends, after at most `burst * refill_seconds`.

The buckets (OWASP's device-cookie idea, with the device's client_id as the
cookie):

- `source`: per client address (an IPv6 address by its /64 network), over
  every email, known or not: one address cannot try many accounts.
- `account`: per account (by email, so an unknown email is throttled exactly
  like a known one) for sign-ins from devices that never signed in to it.
- `device`: per (account, device that has signed in to it before). Such a
  device takes only from its own bucket: failures from anywhere else never
  throttle the owner's own TV, and it signs in with the right password while
  an attacker is refused.
- `password_check`: per account, the password typed behind a session (account
  settings, profile controls): its own bucket, never the sign-in ones.
- `user_code`, `user_code_account` and `user_code_source`: guesses of a device's
  user code (RFC 8628 section 5.1), per approving session, per approving account
  (sessions are free: signing in again must not refill the guesses) and per
  source; a code that exists gives its token back, so only wrong guesses count.
- `device_code`: per source, devices asking for a sign-in code: one address
  cannot fill the table with codes.

A bucket is stored as one number, the time at which it is full again (the
"theoretical arrival time" of GCRA, a token bucket in one value): taking a
token moves it `refill_seconds` later; a bucket whose time has passed is full
and need not be stored. This module is the arithmetic; the stores (in memory,
Redis) keep the numbers.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """`burst` attempts at once; after that, one more every `refill_seconds`."""

    burst: int
    refill_seconds: float

    def __post_init__(self) -> None:
        if self.burst < 1 or self.refill_seconds <= 0:
            raise ValueError("a throttle limit needs burst >= 1 and refill_seconds > 0")

    @property
    def window_seconds(self) -> float:
        """How long a bucket emptied by `burst` attempts takes to fill again."""
        return self.burst * self.refill_seconds


@dataclass(frozen=True)
class Bucket:
    """One bucket of one attempt: its stored name (no email, address or client_id in clear) and its limit."""

    name: str
    limit: Limit


@dataclass(frozen=True)
class ThrottlePolicy:
    source: Limit = Limit(20, 60.0)
    account: Limit = Limit(5, 300.0)
    device: Limit = Limit(10, 60.0)
    password_check: Limit = Limit(5, 60.0)
    user_code: Limit = Limit(10, 60.0)
    user_code_account: Limit = Limit(20, 60.0)
    user_code_source: Limit = Limit(30, 60.0)
    device_code: Limit = Limit(30, 10.0)


def take(full_at: Mapping[str, float], buckets: Sequence[Bucket], now: float) -> tuple[float, dict[str, float]]:
    """One token from every bucket, or from none: (seconds to wait, 0.0 if taken; the new full-at times).

    `full_at` holds the stored time of each bucket (absent: full). When any bucket
    is empty the wait is the longest of theirs and nothing changes.
    """
    wait, updated = 0.0, {}
    for bucket in buckets:
        after = max(full_at.get(bucket.name, now), now) + bucket.limit.refill_seconds
        over = after - now - bucket.limit.window_seconds
        if over > 1e-9:
            wait = max(wait, over)
        updated[bucket.name] = after
    return (wait, {}) if wait else (0.0, updated)


def give_back(full_at: Mapping[str, float], buckets: Sequence[Bucket], now: float) -> dict[str, float]:
    """The full-at times once one token is back in each bucket (a time at or before `now`: full)."""
    return {bucket.name: max(full_at.get(bucket.name, now) - bucket.limit.refill_seconds, now) for bucket in buckets}


def retry_after_seconds(wait: float) -> int:
    """A wait as the whole seconds of HTTP's Retry-After (at least 1)."""
    return max(1, math.ceil(wait - 1e-9))


def source_network(ip_address: str) -> str:
    """The address a source bucket counts: an IPv4 address itself, an IPv6 address its /64 network (one
    customer's allocation: its 2**64 addresses are one source), anything else as given."""
    try:
        address = ipaddress.ip_address(ip_address.strip())
    except ValueError:
        return ip_address
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@dataclass(frozen=True)
class BucketNames:
    """Names the buckets by a keyed hash, so that a store (a shared Redis) holds no email, address or
    client_id; every auth_service instance with the same key names them alike."""

    key: bytes
    policy: ThrottlePolicy

    def _name(self, kind: str, *parts: str) -> str:
        digest = hmac.new(self.key, "\x00".join((kind, *parts)).encode(), hashlib.sha256).hexdigest()
        return f"{kind}:{digest[:32]}"

    def sign_in(self, email: str, ip_address: str, account_id: str, client_id: str, known: bool) -> list[Bucket]:
        """The buckets of one sign-in attempt: a device known to the account only its own; any other
        device the source's and the account's (by email: the same whether or not the account exists)."""
        if known:
            return [Bucket(self._name("device", account_id, client_id), self.policy.device)]
        return [
            Bucket(self._name("source", source_network(ip_address)), self.policy.source),
            Bucket(self._name("account", email), self.policy.account),
        ]

    def device(self, account_id: str, client_id: str) -> Bucket:
        return Bucket(self._name("device", account_id, client_id), self.policy.device)

    def password_check(self, account_id: str) -> Bucket:
        return Bucket(self._name("password-check", account_id), self.policy.password_check)

    def device_code(self, ip_address: str) -> Bucket:
        return Bucket(self._name("device-code", source_network(ip_address)), self.policy.device_code)

    def user_code(self, session_id: str, account_id: str, ip_address: str) -> list[Bucket]:
        """The buckets of one guess of a user code: the approving session's, its account's and its source's."""
        return [
            Bucket(self._name("user-code", session_id), self.policy.user_code),
            Bucket(self._name("user-code-account", account_id), self.policy.user_code_account),
            Bucket(self._name("user-code-source", source_network(ip_address)), self.policy.user_code_source),
        ]
