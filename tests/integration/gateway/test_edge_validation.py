"""Validation at the edge: the gateway checks tokens itself (keys from ListSigningKeys, its own revocation replica
kept by SyncRevocations), answers GET /v1/session with no backend call, and refuses every token (503) while its
replica cannot be trusted."""

from __future__ import annotations

import asyncio
import time

import jwt
from remotesignout.auth.v1 import auth_pb2

from auth_service.adapters.access_tokens import ALGORITHM, ISSUER, SigningKey
from common.access_tokens import EXPIRED, INVALID
from common.clock import now_us, to_timestamp
from gateway.api import BACKENDS
from tests.integration.gateway.conftest import bearer


def backends(stack):  # type: ignore[no-untyped-def]
    return stack.client.app[BACKENDS]


async def session_status(stack, tokens) -> int:  # type: ignore[no-untyped-def]
    return (await stack.client.get("/v1/session", headers=bearer(tokens))).status


async def test_get_session_makes_no_backend_call(stack):
    tokens = await stack.sign_in()
    stack.world.calls.clear()
    stack.world.requests.clear()
    syncs = len(stack.world.sync_requests)
    for _ in range(5):
        response = await stack.client.get("/v1/session", headers=bearer(tokens))
        assert response.status == 200
    assert stack.world.calls == []
    assert set(stack.world.requests) <= {"auth.ListSigningKeys"}  # the periodic refresh may fall in between
    assert all(request.applied_sequence == 0 for request in stack.world.sync_requests[syncs:])  # renewals only


async def test_a_token_with_a_bad_signature_is_401(stack):
    tokens = await stack.sign_in()
    header, payload, _signature = tokens["access_token"].split(".")
    forged = f"{header}.{payload}.{'A' * 86}"
    response = await stack.client.get("/v1/session", headers={"Authorization": f"Bearer {forged}"})
    assert response.status == 401
    assert (await response.json())["error"] == {"code": "unauthenticated", "message": INVALID}


def hand_made(stack, session_id: str, *, key: SigningKey | None = None, exp_in: int = 900) -> str:  # type: ignore[no-untyped-def]
    session = stack.world.sessions[session_id]
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": session.account_id,
        "sid": session.session_id,
        "did": session.device_id,
        "sat": session.signed_in_at_us,
        "iat": now + exp_in - 900,
        "exp": now + exp_in,
    }
    key = key or stack.world.signing_key
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.key_id})


async def test_an_expired_token_is_401_expired(stack):
    tokens = await stack.sign_in()
    expired = hand_made(stack, tokens["session_id"], exp_in=-1)
    response = await stack.client.get("/v1/session", headers={"Authorization": f"Bearer {expired}"})
    assert response.status == 401
    assert (await response.json())["error"] == {"code": "unauthenticated", "message": EXPIRED}


async def test_a_token_of_a_new_key_is_accepted_once_the_keys_are_fetched_again(stack):
    tokens = await stack.sign_in()
    fetched = len(stack.world.requests.get("auth.ListSigningKeys", []))
    stack.world.signing_key = SigningKey.generate()  # auth_service rotated: the gateway has not seen this kid
    token = hand_made(stack, tokens["session_id"])
    response = await stack.client.get("/v1/session", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 200
    assert len(stack.world.requests["auth.ListSigningKeys"]) == fetched + 1
    # a kid nobody has is refused, and fetching again for it is rate-limited
    stranger = hand_made(stack, tokens["session_id"], key=SigningKey.generate())
    for _ in range(3):
        response = await stack.client.get("/v1/session", headers={"Authorization": f"Bearer {stranger}"})
        assert response.status == 401
    assert len(stack.world.requests["auth.ListSigningKeys"]) <= fetched + 2


async def test_a_revocation_from_the_feed_is_enforced_before_auth_service_answers(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    assert await session_status(stack, tv) == 200
    response = await stack.client.post(f"/v1/devices/{tv['device_id']}/sign-out", headers=bearer(phone))
    assert response.status == 200
    body = await response.json()
    # the fake answers only once the gateway reported the entry applied: no waiting here
    after = await stack.client.get("/v1/session", headers=bearer(tv))
    assert after.status == 401
    assert (await after.json())["error"] == {
        "code": "session_revoked",
        "message": "You were signed out of this device. Sign in again.",
    }
    assert body["receipt"]["sequence"] == body["revocation"]["sequence"]
    assert body["receipt"]["validators_acknowledged"] == 1
    assert body["receipt"]["validators_expired"] == 0
    assert body["receipt"]["waited_ms"] >= 0
    assert await session_status(stack, phone) == 200


async def test_every_revocation_answer_carries_a_receipt(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    answers = [
        await stack.client.post("/v1/sign-out-all", json={"include_current": False}, headers=bearer(phone)),
        await stack.client.delete(f"/v1/devices/{tv['device_id']}", headers=bearer(phone)),
        await stack.client.post("/v1/sign-out", headers=bearer(phone)),
    ]
    for answer in answers:
        assert answer.status == 200, await answer.text()
        body = await answer.json()
        assert body["receipt"]["sequence"] == body["revocation"]["sequence"]
        assert body["receipt"]["validators_acknowledged"] == 1


async def test_a_gateway_without_a_live_lease_refuses_every_token_with_503_then_recovers(stack):
    tokens = await stack.sign_in()
    stack.world.grant_leases = False
    backends(stack).edge.validator.lease_lost()
    response = await stack.client.get("/v1/session", headers=bearer(tokens))
    assert response.status == 503
    assert response.headers["Retry-After"] == "1"
    assert (await response.json())["error"]["code"] == "revocations_not_current"
    health = await stack.client.get("/healthz")
    assert health.status == 503
    stack.world.grant_leases = True
    deadline = time.monotonic() + 3
    while await session_status(stack, tokens) != 200:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)


async def test_a_gateway_behind_the_feed_refuses_until_it_has_applied_what_it_knows_of(stack):
    tokens = await stack.sign_in()
    backends(stack).edge.validator.note_head(backends(stack).edge.validator.applied_sequence + 1)
    response = await stack.client.get("/v1/session", headers=bearer(tokens))
    assert response.status == 503
    assert (await response.json())["error"]["code"] == "revocations_not_current"


async def test_the_link_hands_every_applied_entry_to_subscribers(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    received = backends(stack).link.subscribe()
    first = asyncio.ensure_future(anext(received))
    await asyncio.sleep(0)
    await stack.client.post(f"/v1/devices/{tv['device_id']}/sign-out", headers=bearer(phone))
    entry = await asyncio.wait_for(first, 2)
    assert entry.device_id == tv["device_id"] and entry.sequence == 1
    await received.aclose()


async def test_a_clean_shutdown_says_leaving(stack):
    await stack.client.close()
    assert stack.world.sync_requests[-1].leaving


async def test_a_gap_in_the_stream_is_filled_from_the_feed(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    session = stack.world.sessions[tv["session_id"]]
    skipped = auth_pb2.Revocation(
        sequence=next(stack.world.sequence),
        account_id=session.account_id,
        scope=auth_pb2.REVOCATION_SCOPE_SESSION,
        reason=auth_pb2.REVOCATION_REASON_SIGN_OUT,
        session_id=session.session_id,
        device_id=session.device_id,
        revoked_at=to_timestamp(now_us()),
    )
    stack.world.feed.append(skipped)  # committed, but the stream never carries it
    reads = len(stack.world.requests.get("auth.ListRevocations", []))
    response = await stack.client.post("/v1/sign-out", headers=bearer(phone))  # the next entry: a gap
    assert response.status == 200
    deadline = time.monotonic() + 3
    while await session_status(stack, tv) != 401:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)
    assert len(stack.world.requests["auth.ListRevocations"]) > reads
    assert backends(stack).edge.validator.applied_sequence == skipped.sequence + 1
