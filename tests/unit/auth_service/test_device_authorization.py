"""Signing a device in with a code (RFC 8628): the user code's alphabet and normalisation, the rules of a poll, and
the service layer on the in-memory fakes with a clock the test moves (slow_down, expiry, one-time exchange,
approval through sign-in's path, the guess throttle, the metrics)."""

from __future__ import annotations

import asyncio
import collections
import re

import pytest
from prometheus_client import REGISTRY

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.bootstrap import build
from auth_service.config import Config
from auth_service.domain.device_authorization import (
    CLAIM_SECONDS,
    POLL_TOLERANCE_US,
    DeviceAuthorization,
    PollOutcome,
    Status,
    decide_poll,
    locations_differ,
)
from auth_service.domain.device_codes import (
    USER_CODE_ALPHABET,
    CodeHashes,
    Timing,
    display_user_code,
    new_device_code,
    new_user_code,
    normalise_user_code,
)
from auth_service.domain.model import Account, DeviceInfo
from auth_service.service_layer import device_authorizations as flow
from auth_service.service_layer.dependencies import Dependencies
from auth_service.service_layer.revocations import revoke
from auth_service.service_layer.sessions import is_revoked
from common.clock import now_us
from common.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
)
from common.revocation import Reason, Scope
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDatabase, FakeDeviceRegistry

SECOND = 1_000_000
TV = DeviceInfo(client_id="tv-install-1", name="Living room TV", type="tv")


# --- the user code --------------------------------------------------------------------------------------------


def test_the_alphabet_is_rfc_8628s_twenty_consonants_without_look_alikes():
    assert USER_CODE_ALPHABET == "BCDFGHJKLMNPQRSTVWXZ"
    assert not set(USER_CODE_ALPHABET) & set("AEIOUY01")


def test_a_new_user_code_is_8_letters_of_the_alphabet_and_they_all_come_up():
    codes = [new_user_code() for _ in range(2000)]

    assert all(re.fullmatch(f"[{USER_CODE_ALPHABET}]{{8}}", code) for code in codes)
    letters = collections.Counter("".join(codes))
    assert set(letters) == set(USER_CODE_ALPHABET)
    assert len(set(codes)) == len(codes)  # 20**8 codes: a repeat in 2000 would be a broken generator


@pytest.mark.parametrize(
    "entered", ["BCDFGHJK", "bcdfghjk", "BCDF-GHJK", " bcdf ghjk ", "b-c-d-f-g-h-j-k", "Bcdf-Ghjk"]
)
def test_a_code_is_entered_in_any_case_with_dashes_and_spaces_ignored(entered):
    assert normalise_user_code(entered) == "BCDFGHJK"


@pytest.mark.parametrize(
    "entered",
    [
        "",
        "BCDFGHJ",
        "BCDFGHJKL",
        "BCDF-GHJA",
        "BCDFGHJ1",
        "BCDF_GHJK",
        "BCDF\tGHJK",
        "ÄCDFGHJK",
        "-" * 70 + "BCDFGHJK",
        "bcdfghß",  # "ß".upper() is "SS": 8 letters of the alphabet once capitalised, but not what was typed
        "bcdfghj\u017f",  # the long s (U+017F) upper-cases to "S"
        "BCDFGHJ\u212a",  # the Kelvin sign, whose lower() is "k"
    ],
)
def test_anything_else_is_invalid_user_code(entered):
    with pytest.raises(InvalidArgument) as error:
        normalise_user_code(entered)
    assert error.value.reason == "invalid_user_code"


def test_a_code_is_shown_as_two_groups_of_four():
    assert display_user_code("BCDFGHJK") == "BCDF-GHJK"


def test_codes_are_stored_as_keyed_hashes_that_differ_by_key_and_by_kind():
    hashes = CodeHashes.derived_from(TEST_REFRESH_TOKEN_KEY)
    other = CodeHashes.derived_from(b"another refresh-token key, 32+ bytes!")
    device_code = new_device_code()

    assert len(device_code) >= 43  # 32 random bytes
    assert hashes.user_code("BCDFGHJK") == hashes.user_code("BCDFGHJK")
    assert hashes.user_code("BCDFGHJK") != other.user_code("BCDFGHJK")
    assert hashes.device_code("BCDFGHJK") != hashes.user_code("BCDFGHJK")
    assert "BCDFGHJK" not in hashes.user_code("BCDFGHJK") and device_code not in hashes.device_code(device_code)


# --- the rules of a poll --------------------------------------------------------------------------------------


def pending(**changes: object) -> DeviceAuthorization:
    authorization = DeviceAuthorization(
        "device-hash", "user-hash", "tv-app", TV, "192.0.2.1", 0, 600 * SECOND, interval_seconds=5
    )
    for name, value in changes.items():
        setattr(authorization, name, value)
    return authorization


@pytest.mark.parametrize(
    ("authorization", "client_id", "now", "outcome"),
    [
        (None, "tv-app", 0, PollOutcome.INVALID_GRANT),
        (pending(), "other-app", 0, PollOutcome.INVALID_CLIENT),
        (pending(), "tv-app", 1, PollOutcome.AUTHORIZATION_PENDING),
        (pending(last_polled_at_us=0), "tv-app", 5 * SECOND, PollOutcome.AUTHORIZATION_PENDING),
        (pending(last_polled_at_us=0), "tv-app", 5 * SECOND - POLL_TOLERANCE_US, PollOutcome.AUTHORIZATION_PENDING),
        (pending(last_polled_at_us=0), "tv-app", 4 * SECOND, PollOutcome.SLOW_DOWN),
        (pending(last_polled_at_us=0, interval_seconds=10), "tv-app", 6 * SECOND, PollOutcome.SLOW_DOWN),
        (pending(), "tv-app", 600 * SECOND, PollOutcome.EXPIRED_TOKEN),
        (pending(status=Status.EXPIRED), "tv-app", 1, PollOutcome.EXPIRED_TOKEN),
        (pending(status=Status.DENIED), "tv-app", 1, PollOutcome.ACCESS_DENIED),
        (pending(status=Status.APPROVED, last_polled_at_us=0), "tv-app", 1, PollOutcome.ISSUE),
        (pending(status=Status.APPROVED), "tv-app", 600 * SECOND, PollOutcome.EXPIRED_TOKEN),
        (pending(status=Status.APPROVED, exchanged_at_us=2), "tv-app", 3, PollOutcome.INVALID_GRANT),
        (pending(status=Status.APPROVED, exchanged_at_us=2), "other-app", 3, PollOutcome.INVALID_GRANT),
        (pending(status=Status.CLAIMED, decided_at_us=0), "tv-app", 1, PollOutcome.AUTHORIZATION_PENDING),
        (
            pending(status=Status.CLAIMED, decided_at_us=590 * SECOND),
            "tv-app",
            610 * SECOND,
            PollOutcome.AUTHORIZATION_PENDING,
        ),
        (pending(status=Status.CLAIMED, decided_at_us=0), "tv-app", 600 * SECOND, PollOutcome.EXPIRED_TOKEN),  # stale
    ],
)
def test_a_poll_gets_what_rfc_8628_section_3_5_says(authorization, client_id, now, outcome):
    assert decide_poll(authorization, client_id, now) is outcome


@pytest.mark.parametrize(
    ("device", "approver", "differs"),
    [
        ("Portugal", "Portugal", False),
        ("Portugal", "Spain", True),
        ("local network", "Portugal", True),
        ("local network", "local network", False),
        ("unknown", "Portugal", False),
        ("Portugal", "unknown", False),
    ],
)
def test_the_approver_is_warned_only_when_both_places_are_known_and_differ(device, approver, differs):
    assert locations_differ(device, approver) is differs


def test_timing_refuses_an_interval_outside_1_to_60_seconds():
    with pytest.raises(ValueError):
        Timing(600, 0)
    with pytest.raises(ValueError):
        Timing(600, 61)


# --- the service layer on fakes -------------------------------------------------------------------------------


class Clock:
    """Starts now (tokens are verified against the real time) and moves only when told."""

    def __init__(self) -> None:
        self.now = now_us()

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += int(seconds * SECOND)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def registry() -> FakeDeviceRegistry:
    return FakeDeviceRegistry()


@pytest.fixture
def deps(database: FakeDatabase, registry: FakeDeviceRegistry, clock: Clock) -> Dependencies:
    config = Config(
        refresh_token_key=TEST_REFRESH_TOKEN_KEY, user_code_throttle_after=3, user_code_account_throttle_after=5
    )
    codec = AccessTokenCodec([SigningKey.generate()], ttl_seconds=900)
    places = {"192.0.2.1": ("Portugal", "Portugal"), "198.51.100.9": ("Spain", "Spain")}
    return build(config, database.unit_of_work, codec, registry, clock=clock, locator=lambda ip: places[ip])


async def start(deps: Dependencies, ip: str = "192.0.2.1") -> flow.Started:
    return await flow.start(deps.uow(), deps.rules, deps.throttle, deps.clock, "tv-app", TV, ip)


async def poll(deps: Dependencies, device_code: str, client_id: str = "tv-app"):  # type: ignore[no-untyped-def]
    d = deps
    return await flow.poll(d.uow(), d.codec, d.index, d.events, d.rules, d.clock, device_code, client_id)


async def approve(deps: Dependencies, code: str, account: str = "acc-1", session: str = "phone-session", **profile):  # type: ignore[no-untyped-def]
    d = deps
    return await flow.approve(
        d.uow(), d.devices, d.rules, d.throttle, d.clock, account, session, "198.51.100.9", code, **profile
    )


async def polled_error(deps: Dependencies, device_code: str, client_id: str = "tv-app") -> str:
    with pytest.raises((FailedPrecondition, ResourceExhausted, PermissionDenied, NotFound)) as error:
        await poll(deps, device_code, client_id)
    return error.value.reason


@pytest.fixture
def account(database: FakeDatabase) -> str:
    database.accounts["acc-1"] = Account("acc-1", "ann@example.com", "hash", 0)
    return "acc-1"


def counted(outcome: str) -> float:
    return REGISTRY.get_sample_value("remotesignout_device_authorizations_total", {"outcome": outcome}) or 0.0


async def test_a_poll_before_the_interval_is_slow_down_and_adds_5_seconds_for_that_code(deps, clock):
    started = await start(deps)
    assert (started.expires_in, started.interval) == (600, 5)

    assert await polled_error(deps, started.device_code) == "authorization_pending"
    clock.advance(1)
    assert await polled_error(deps, started.device_code) == "slow_down"
    clock.advance(5)  # 5 s after the slow_down: the interval is 10 s now
    assert await polled_error(deps, started.device_code) == "slow_down"
    clock.advance(15)
    assert await polled_error(deps, started.device_code) == "authorization_pending"


async def test_an_approved_code_gives_its_tokens_once_then_invalid_grant(deps, database, registry, account, clock):
    started = await start(deps)
    issued, approved = counted("issued"), counted("approved")

    device_id, device = await approve(deps, started.user_code.lower())
    pair = await poll(deps, started.device_code)

    assert (device_id, device) == (pair.session.device_id, TV)
    assert registry.devices == {("acc-1", "tv-install-1"): device_id}
    assert deps.codec.verify(pair.access_token).session_id == pair.session.session_id
    assert pair.session.password_confirmed_at_us is None  # no password was entered on the TV
    assert await polled_error(deps, started.device_code) == "invalid_grant"
    assert (counted("issued") - issued, counted("approved") - approved) == (0, 1)
    assert database.known_devices == {("acc-1", "tv-install-1"): clock.now}


async def test_approval_in_a_profile_scopes_the_tv_session_to_it(deps, account):
    started = await start(deps)

    await approve(deps, started.user_code, profile_id="kid-1", profile_kind="kids")
    pair = await poll(deps, started.device_code)

    claims = deps.codec.verify(pair.access_token)
    assert (claims.profile_id, claims.profile_kind) == ("kid-1", "kids")


async def test_another_client_is_invalid_client_and_an_unknown_code_invalid_grant(deps):
    started = await start(deps)

    assert await polled_error(deps, started.device_code, "other-app") == "invalid_client"
    assert await polled_error(deps, "no-such-device-code") == "invalid_grant"
    assert await polled_error(deps, "") == "invalid_grant"


async def test_a_denied_code_is_access_denied_and_cannot_be_approved_after(deps, account):
    started = await start(deps)

    await flow.deny(
        deps.uow(), deps.rules, deps.throttle, deps.clock, "acc-1", "phone-session", "198.51.100.9", started.user_code
    )

    assert await polled_error(deps, started.device_code) == "access_denied"
    with pytest.raises(FailedPrecondition) as used:
        await approve(deps, started.user_code)
    assert used.value.reason == "user_code_used"


async def test_an_expired_code_is_expired_token_for_the_device_and_expired_user_code_for_the_approver(
    deps, clock, account
):
    started = await start(deps)
    expired = counted("expired")
    clock.advance(600)

    assert await polled_error(deps, started.device_code) == "expired_token"
    with pytest.raises(FailedPrecondition) as gone:
        await approve(deps, started.user_code)
    assert gone.value.reason == "expired_user_code"
    assert counted("expired") - expired == 1  # counted once, by whoever found it first


async def test_a_code_approved_but_first_polled_after_it_expired_signs_its_session_out(deps, database, clock, account):
    started = await start(deps)
    device_id, _ = await approve(deps, started.user_code)
    (session,) = database.sessions.values()
    clock.advance(600)

    assert await polled_error(deps, started.device_code) == "expired_token"
    assert await polled_error(deps, started.device_code) == "expired_token"

    (revocation,) = database.revocations  # once: the second poll finds the code expired, not approved
    assert (revocation.scope, revocation.reason, revocation.session_id, revocation.device_id) == (
        Scope.SESSION,
        Reason.SIGN_OUT,
        session.session_id,
        device_id,
    )
    assert is_revoked(deps.index, session)
    assert database.sessions[session.session_id].revoked_at_us is not None


async def test_a_banned_device_is_refused_and_its_code_denied(deps, registry, account):
    registry.banned.add(("acc-1", "tv-install-1"))
    started = await start(deps)

    with pytest.raises(PermissionDenied) as refused:
        await approve(deps, started.user_code)

    assert refused.value.reason == "device_banned"
    assert await polled_error(deps, started.device_code) == "access_denied"


async def until_registering(registry: FakeDeviceRegistry, callers: int = 1) -> None:
    """Wait until `callers` approvals are inside device_service's RegisterDevice (held there)."""
    for _ in range(1000):
        if registry.waiting >= callers:
            return
        await asyncio.sleep(0.001)
    raise AssertionError(f"{registry.waiting} approvals reached RegisterDevice, not {callers}")


@pytest.fixture
def other_account(database: FakeDatabase) -> str:
    database.accounts["acc-2"] = Account("acc-2", "bob@example.com", "hash", 0)
    return "acc-2"


async def test_of_two_accounts_approving_at_once_the_loser_has_no_device(deps, registry, account, other_account):
    started = await start(deps)
    registry.hold = asyncio.Event()

    first = asyncio.create_task(approve(deps, started.user_code, account="acc-1"))
    await until_registering(registry)
    with pytest.raises(FailedPrecondition) as lost:  # refused before it registers anything
        await approve(deps, started.user_code, account="acc-2", session="bob-phone")
    registry.hold.set()
    device_id, _ = await first

    assert lost.value.reason == "user_code_used"
    assert registry.devices == {("acc-1", "tv-install-1"): device_id}
    assert (await poll(deps, started.device_code)).session.account_id == "acc-1"


async def test_a_denial_loses_to_an_approval_under_way_and_an_approval_to_a_denial(
    deps, registry, account, other_account
):
    approved, denied = await start(deps), await start(deps)
    registry.hold = asyncio.Event()

    approving = asyncio.create_task(approve(deps, approved.user_code))
    await until_registering(registry)
    with pytest.raises(FailedPrecondition) as late_denial:
        await flow.deny(
            deps.uow(), deps.rules, deps.throttle, deps.clock, "acc-2", "s", "198.51.100.9", approved.user_code
        )
    registry.hold.set()
    await approving
    registry.hold = None
    await flow.deny(deps.uow(), deps.rules, deps.throttle, deps.clock, "acc-2", "s", "198.51.100.9", denied.user_code)
    with pytest.raises(FailedPrecondition) as late_approval:
        await approve(deps, denied.user_code)

    assert (late_denial.value.reason, late_approval.value.reason) == ("user_code_used", "user_code_used")
    assert list(registry.devices) == [("acc-1", "tv-install-1")]  # once, for the approval that won
    assert await polled_error(deps, denied.device_code) == "access_denied"


async def test_an_approver_that_stops_half_way_leaves_a_claim_its_account_may_retake_and_others_after_a_while(
    deps, registry, account, other_account, clock
):
    started = await start(deps)
    registry.hold = asyncio.Event()
    crashed = asyncio.create_task(approve(deps, started.user_code))
    await until_registering(registry)
    crashed.cancel()  # as if the process died between the claim and the session
    with pytest.raises(asyncio.CancelledError):
        await crashed
    registry.hold = None

    assert await polled_error(deps, started.device_code) == "authorization_pending"
    with pytest.raises(FailedPrecondition) as held:
        await approve(deps, started.user_code, account="acc-2", session="bob-phone")
    assert held.value.reason == "user_code_used"
    clock.advance(CLAIM_SECONDS)
    device_id, _ = await approve(deps, started.user_code, account="acc-2", session="bob-phone")
    assert registry.devices == {("acc-2", "tv-install-1"): device_id}

    again = await start(deps)
    registry.hold = asyncio.Event()
    crashed = asyncio.create_task(approve(deps, again.user_code))
    await until_registering(registry)
    crashed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await crashed
    registry.hold = None
    await approve(deps, again.user_code)  # the same account at once: its retry takes the claim over
    assert (await poll(deps, again.device_code)).session.account_id == "acc-1"


async def test_an_approval_that_fails_after_its_claim_leaves_the_code_pending(deps, database, registry, account):
    started = await start(deps)
    registry.failure = Unavailable("device_service is down")
    with pytest.raises(Unavailable):
        await approve(deps, started.user_code)
    assert await polled_error(deps, started.device_code) == "authorization_pending"

    database.accounts["acc-1"].closed_at_us = 1
    with pytest.raises(Unauthenticated):
        await approve(deps, started.user_code)
    (stored,) = database.device_authorizations.values()
    assert (stored.status, stored.account_id, stored.session_id) == (Status.PENDING, "", "")


async def test_a_session_signed_out_between_approval_and_poll_is_access_denied(deps, account, clock):
    started = await start(deps)
    device_id, _ = await approve(deps, started.user_code)
    clock.advance(1)

    d = deps
    await revoke(d.uow(), d.index, d.events, d.clock, "acc-1", Scope.DEVICE, Reason.REMOTE_SIGN_OUT, "", device_id)

    assert await polled_error(deps, started.device_code) == "access_denied"


async def look_up(  # type: ignore[no-untyped-def]
    deps: Dependencies, code: str, session: str = "phone-session", ip: str = "198.51.100.9", account: str = "acc-1"
):
    return await flow.look_up(deps.uow(), deps.rules, deps.throttle, deps.clock, account, session, ip, code)


async def test_wrong_guesses_are_throttled_per_session_and_right_ones_do_not_count(deps, account):
    started = await start(deps)
    for _ in range(5):  # a code that exists gives its token back
        await look_up(deps, started.user_code)
    for _ in range(3):  # USER_CODE_THROTTLE_AFTER=3 here
        with pytest.raises(NotFound):
            await look_up(deps, "BCDFGHJK" if started.user_code != "BCDFGHJK" else "CDFGHJKL")

    with pytest.raises(ResourceExhausted) as throttled:
        await look_up(deps, started.user_code)  # even the right code: nothing is checked while throttled
    assert throttled.value.reason == "too_many_attempts" and throttled.value.retry_after_seconds > 0
    await look_up(deps, started.user_code, session="other-session", ip="203.0.113.5")  # not anyone else's


async def test_signing_in_again_does_not_refill_the_guesses_the_account_has_made(deps, account):
    started = await start(deps)
    wrong = "BCDFGHJK" if started.user_code != "BCDFGHJK" else "CDFGHJKL"
    for _ in range(3):  # USER_CODE_THROTTLE_AFTER=3 per session here
        with pytest.raises(NotFound):
            await look_up(deps, wrong, session="phone-session-1")
    for _ in range(2):  # a fresh session (sessions are free) has a full bucket, the account does not
        with pytest.raises(NotFound):
            await look_up(deps, wrong, session="phone-session-2")

    with pytest.raises(ResourceExhausted) as throttled:  # USER_CODE_ACCOUNT_THROTTLE_AFTER=5 here
        await look_up(deps, wrong, session="phone-session-3", ip="203.0.113.5")
    assert throttled.value.reason == "too_many_attempts" and throttled.value.retry_after_seconds > 0
    await look_up(deps, started.user_code, session="phone-session-4", account="acc-2")  # not another account's


async def test_throttled_codes_and_guesses_are_counted_in_their_own_family_not_as_password_attempts(deps, account):
    def sample(name: str, reason: str) -> float:
        return REGISTRY.get_sample_value(f"remotesignout_{name}_total", {"reason": reason}) or 0

    before = {
        reason: (sample("device_code_throttled", reason), sample("sign_in_throttled", reason))
        for reason in ("too_many_requests", "too_many_attempts")
    }
    started = await start(deps, ip="203.0.113.7")
    for _ in range(29):  # DEVICE_CODE_THROTTLE_AFTER=30 per source
        await start(deps, ip="203.0.113.7")
    with pytest.raises(ResourceExhausted):
        await start(deps, ip="203.0.113.7")
    wrong = "BCDFGHJK" if started.user_code != "BCDFGHJK" else "CDFGHJKL"
    for _ in range(3):  # USER_CODE_THROTTLE_AFTER=3 here
        with pytest.raises(NotFound):
            await look_up(deps, wrong)
    with pytest.raises(ResourceExhausted):
        await look_up(deps, wrong)

    after = {
        reason: (sample("device_code_throttled", reason), sample("sign_in_throttled", reason))
        for reason in ("too_many_requests", "too_many_attempts")
    }
    assert {
        reason: (after[reason][0] - before[reason][0], after[reason][1] - before[reason][1]) for reason in after
    } == {
        "too_many_requests": (1, 0),
        "too_many_attempts": (1, 0),
    }


async def test_the_approver_sees_the_device_where_it_asked_from_and_a_warning(deps, account):
    started = await start(deps, ip="192.0.2.1")

    seen = await flow.see(
        deps.uow(),
        deps.rules,
        deps.throttle,
        deps.locator,
        deps.clock,
        "acc-1",
        "phone-session",
        "198.51.100.9",
        started.user_code,
    )

    assert (seen.user_code, seen.authorization.device, seen.authorization.status) == (
        started.user_code,
        TV,
        Status.PENDING,
    )
    assert (seen.location, seen.approver_location, seen.location_differs) == (
        ("Portugal", "Portugal"),
        ("Spain", "Spain"),
        True,
    )
