"""Sign-ins, refreshes and every kind of sign-out in random order against the running suite, over HTTP.

A Hypothesis state machine drives one throw-away account per example through the
gateway of the real processes: sign in (a new device, or one signed in before),
refresh (and present a spent refresh token again), sign this session out, sign
out all devices (with and without the caller's), sign a device out, remove a
device, and validate any access token ever issued (GET /v1/session, or RFC 7662
introspection). It keeps every revocation that has answered and asks the rule
every process shares (common.revocation.Revocation.covers_session) which
sessions each covers. The invariant, checked on every request made with a token:
a token whose session an answered revocation covers is refused (401, or
`active: false`); any other token is accepted.

Bounded by MAX_EXAMPLES x STEPS, no deadline (argon2 on a loaded machine),
derandomized under CI=true.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule, run_state_machine_as_test

from common.revocation import Reason, Revocation, Scope
from tests.fuzz.harness import DEMO_CLIENT, Account, Gateway, running_suite
from tests.support import IN_CI
from tools.json_http import Reply

MAX_EXAMPLES = int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", "40"))
STEPS = 30
BASIC = {"Authorization": "Basic " + base64.b64encode(":".join(DEMO_CLIENT).encode()).decode()}


def claims(access_token: str) -> dict[str, Any]:
    """The payload of a JWT, unverified: the test only reads what the server put there."""
    payload = access_token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def micros(iso: str) -> int:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond


@dataclass
class Session:
    """One sign-in, as the client sees it."""

    session_id: str
    device_id: str
    client_id: str
    signed_in_at_us: int  # the `sat` claim: when auth_service created the session
    refresh_token: str
    spent_refresh_tokens: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Token:
    access_token: str
    session: Session


class SignOuts(RuleBasedStateMachine):
    def __init__(self, api: Gateway) -> None:
        super().__init__()
        self.api = api
        self.account: Account | None = None
        self.devices: dict[str, str] = {}  # client_id -> device_id
        self.banned: set[str] = set()  # client_ids of removed devices
        self.tokens: list[Token] = []  # every access token issued, oldest first
        self.revocations: list[Revocation] = []  # every revocation that has answered
        self.checked = 0

    # --- the model --------------------------------------------------------------------------------------------

    @property
    def account_id(self) -> str:
        assert self.account is not None
        return self.account.account_id

    def covered(self, session: Session) -> bool:
        """Whether a revocation that has answered covers the session (the shared rule)."""
        return any(
            revocation.covers_session(self.account_id, session.session_id, session.device_id, session.signed_in_at_us)
            for revocation in self.revocations
        )

    def pick(self, index: int) -> Token:
        return self.tokens[index % len(self.tokens)]

    def latest(self, session: Session) -> Token:
        return next(token for token in reversed(self.tokens) if token.session is session)

    def issued(self, pair: dict[str, Any], session: Session | None = None, client_id: str = "") -> Token:
        """Record the token pair an answer carries; a new Session unless `session` rotated it."""
        payload = claims(pair["access_token"])
        if session is None:
            session = Session(pair["session_id"], pair["device_id"], client_id, int(payload["sat"]), "")
        assert (payload["sid"], payload["did"], payload["sub"]) == (
            session.session_id,
            session.device_id,
            self.account_id,
        )
        assert int(payload["sat"]) == session.signed_in_at_us
        session.refresh_token = pair["refresh_token"]
        token = Token(pair["access_token"], session)
        self.tokens.append(token)
        return token

    def answered(self, reply: Reply, scope: Scope, reason: Reason, caller: Session) -> None:
        """Record the revocation a 200 answer carries, checked against what was asked."""
        body = reply.body["revocation"]
        revocation = Revocation(
            sequence=body["sequence"],
            account_id=self.account_id,
            scope=Scope(body["scope"]),
            reason=Reason(body["reason"]),
            session_id=body["session_id"] or "",
            device_id=body["device_id"] or "",
            revoked_at_us=micros(body["revoked_at"]),
        ).validate()
        assert (revocation.scope, revocation.reason) == (scope, reason), body
        if scope in (Scope.SESSION, Scope.ALL_OTHERS):
            assert revocation.session_id == caller.session_id, body
        assert all(revocation.sequence > earlier.sequence for earlier in self.revocations), body
        self.revocations.append(revocation)

    def call(self, token: Token, method: str, path: str, body: Any = None) -> Reply | None:
        """Call as `token`; the invariant: refused (401) exactly when an answered revocation covers its session.
        The reply when accepted, None when refused."""
        reply = self.api.call(method, path, body, token.access_token)
        self.checked += 1
        if self.covered(token.session):
            assert reply.status == 401, f"a revoked token was accepted: {method} {path} -> {reply}"
            return None
        assert reply.status != 401, f"a token no revocation covers was refused: {method} {path} -> {reply}"
        return reply

    # --- the rules --------------------------------------------------------------------------------------------

    @initialize()
    def open_account(self) -> None:
        self.account = self.api.new_account()

    @rule(new_device=st.booleans(), which=st.integers(min_value=0))
    def sign_in(self, new_device: bool, which: int) -> None:
        assert self.account is not None
        known = sorted(self.devices)
        client_id = known[which % len(known)] if known and not new_device else f"sm-{uuid.uuid4().hex[:12]}"
        device = {"client_id": client_id, "name": f"Device {client_id[-4:]}", "type": "tv"}
        reply = self.api.call(
            "POST", "/v1/sign-in", {"email": self.account.email, "password": self.account.password, "device": device}
        )
        if client_id in self.banned:
            assert (reply.status, reply.error_code) == (403, "device_banned"), reply
            return
        assert reply.status == 200, reply
        token = self.issued(reply.body, client_id=client_id)
        assert self.devices.setdefault(client_id, token.session.device_id) == token.session.device_id
        assert not self.covered(token.session), "a new session is covered by an earlier revocation"

    @precondition(lambda self: self.tokens)
    @rule(which=st.integers(min_value=0))
    def refresh(self, which: int) -> None:
        session = self.pick(which).session
        presented = session.refresh_token
        reply = self.api.call("POST", "/v1/token/refresh", {"refresh_token": presented})
        if self.covered(session):
            assert reply.status == 401, f"a revoked session's refresh token was accepted: {reply}"
            return
        assert reply.status == 200, reply
        session.spent_refresh_tokens.append(presented)
        self.issued(reply.body, session)

    @precondition(lambda self: any(token.session.spent_refresh_tokens for token in self.tokens))
    @rule(which=st.integers(min_value=0))
    def reuse_a_spent_refresh_token(self, which: int) -> None:
        sessions = list({id(t.session): t.session for t in self.tokens if t.session.spent_refresh_tokens}.values())
        session = sessions[which % len(sessions)]
        reply = self.api.call("POST", "/v1/token/refresh", {"refresh_token": session.spent_refresh_tokens[-1]})
        assert reply.status == 401, f"a spent refresh token was accepted: {reply}"
        # Reuse ends the session (reason token_reuse) before the 401 answers; the answer carries no revocation,
        # so the model records the one the README promises: this session, whenever it signed in.
        self.revocations.append(
            Revocation(
                sequence=0,
                account_id=self.account_id,
                scope=Scope.SESSION,
                reason=Reason.TOKEN_REUSE,
                session_id=session.session_id,
                device_id=session.device_id,
            )
        )

    @precondition(lambda self: self.tokens)
    @rule(which=st.integers(min_value=0))
    def sign_out(self, which: int) -> None:
        token = self.pick(which)
        reply = self.call(token, "POST", "/v1/sign-out")
        if reply is not None:
            assert reply.status == 200, reply
            self.answered(reply, Scope.SESSION, Reason.SIGN_OUT, token.session)

    @precondition(lambda self: self.tokens)
    @rule(which=st.integers(min_value=0), include_current=st.booleans())
    def sign_out_all(self, which: int, include_current: bool) -> None:
        token = self.pick(which)
        reply = self.call(token, "POST", "/v1/sign-out-all", {"include_current": include_current})
        if reply is not None:
            assert reply.status == 200, reply
            self.answered(reply, Scope.ALL if include_current else Scope.ALL_OTHERS, Reason.SIGN_OUT_ALL, token.session)

    @precondition(lambda self: self.tokens)
    @rule(which=st.integers(min_value=0), victim=st.integers(min_value=0))
    def sign_out_a_device(self, which: int, victim: int) -> None:
        token = self.pick(which)
        device_id = sorted(self.devices.values())[victim % len(self.devices)]
        reply = self.call(token, "POST", f"/v1/devices/{device_id}/sign-out")
        if reply is not None:
            assert reply.status == 200, reply
            reason = Reason.SIGN_OUT if device_id == token.session.device_id else Reason.REMOTE_SIGN_OUT
            self.answered(reply, Scope.DEVICE, reason, token.session)
            assert reply.body["revocation"]["device_id"] == device_id

    @precondition(lambda self: self.tokens)
    @rule(which=st.integers(min_value=0), victim=st.integers(min_value=0))
    def remove_a_device(self, which: int, victim: int) -> None:
        token = self.pick(which)
        client_id, device_id = sorted(self.devices.items())[victim % len(self.devices)]
        reply = self.call(token, "DELETE", f"/v1/devices/{device_id}")
        if reply is not None:
            assert reply.status == 200, reply
            self.answered(reply, Scope.DEVICE, Reason.DEVICE_REMOVED, token.session)
            assert reply.body["device"]["status"] == "removed", reply
            self.banned.add(client_id)

    @precondition(lambda self: self.tokens)
    @rule(which=st.integers(min_value=0), introspect=st.booleans())
    def validate(self, which: int, introspect: bool) -> None:
        token = self.pick(which)
        if introspect:
            reply = self.api.call(
                "POST",
                "/oauth2/introspect",
                raw=f"token={token.access_token}".encode(),
                headers={**BASIC, "Content-Type": "application/x-www-form-urlencoded"},
            )
            assert reply.status == 200, reply
            self.checked += 1
            covered = self.covered(token.session)
            assert reply.body["active"] is not covered, f"introspection disagrees with the revocations: {reply}"
            if not covered:
                assert (reply.body["sid"], reply.body["sub"]) == (token.session.session_id, self.account_id)
            return
        reply = self.call(token, "GET", "/v1/session")
        if reply is not None:
            assert reply.status == 200, reply
            assert (reply.body["session_id"], reply.body["revoked"]) == (token.session.session_id, False), reply


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with running_suite(tmp_path_factory.mktemp("signouts")) as url:
        yield Gateway(url)


def test_no_token_is_accepted_once_a_revocation_that_covers_it_has_answered(gateway: Gateway) -> None:
    machines: list[SignOuts] = []

    def machine() -> SignOuts:
        machines.append(SignOuts(gateway))
        return machines[-1]

    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=IN_CI,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    checked = sum(m.checked for m in machines)
    revocations = sum(len(m.revocations) for m in machines)
    print(f"state machine: {len(machines)} runs, {checked} token checks, {revocations} revocations answered")
    assert revocations > 0 and checked > 0
