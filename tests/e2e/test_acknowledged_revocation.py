"""Every validator enforces a revocation before the answer: two gateways (embedded: each follows auth_service
over SyncRevocations; cluster: 2 auth_service replicas and 2 gateways over Redis), real processes.

- The stale-accept hammer: threads ask every validator about every token without pause while the tokens are
  signed out one by one; a token accepted by any validator on a request sent after its sign-out answered is a
  stale accept. There must be none.
- A gateway frozen with SIGSTOP during a sign-out delays the answer by one lease at most (plus 0.5 s), and once
  thawed it refuses the revoked token, and every token until it has caught up.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import grpc
import pytest
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from benchmarks.faults import UNTHROTTLED
from common.tls import TlsIdentity
from tests.e2e.conftest import cluster_config, running_cluster
from tools.json_http import call
from tools.supervisor import Child, Suite, SuiteConfig, free_ports, http_ok, standard_children

PASSWORD = "correct horse battery"
LEASE_SECONDS = 2.0
TOKENS = 12
Check = Callable[[str], int]
"""Asks one validator about a token: 200 accepted, 401 refused, anything else neither."""


@dataclass
class Validators:
    gateway_url: str  # where clients sign in and out
    gateways: dict[str, str]  # name -> URL of each gateway replica
    checks: dict[str, Check]  # every validator: each gateway, and in cluster mode each auth_service replica
    suite: Suite


def _gateway_check(url: str) -> Check:
    return lambda token: call(url, "GET", "/v1/session", token=token).status


def _auth_check(address: str, pki_dir) -> Check:  # type: ignore[no-untyped-def]
    channel = TlsIdentity.from_dir("gateway", pki_dir).sync_channel(address, "auth_service")
    stub = auth_pb2_grpc.AuthServiceStub(channel)  # type: ignore[no-untyped-call]

    def check(token: str) -> int:
        try:
            stub.ValidateToken(auth_pb2.ValidateTokenRequest(access_token=token), timeout=5)
            return 200
        except grpc.RpcError as error:
            return 401 if error.code() is grpc.StatusCode.UNAUTHENTICATED else 503

    return check


@pytest.fixture(scope="module", params=["embedded", "cluster"])
def validators(request, tmp_path_factory) -> Iterator[Validators]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp(request.param)
    env = {**UNTHROTTLED, "VALIDATOR_LEASE_SECONDS": str(LEASE_SECONDS), "GRACE_SECONDS": "2"}
    if request.param == "embedded":
        config = SuiteConfig.on_free_ports(root / "data", extra_env=env)
        (second,) = free_ports(1)
        extra = f"127.0.0.1:{second}"
        second_gateway = Child(
            "gateway-2",
            [sys.executable, "-m", "gateway"],
            http_ok(f"http://{extra}/healthz"),
            {"GATEWAY_ADDRESS": extra},
        )
        children = [*standard_children(config), second_gateway]
        with Suite(config, log_dir=root / "logs", children=children) as suite:
            gateways = {"gateway": config.gateway_url, "gateway-2": f"http://{extra}"}
            yield Validators(
                config.gateway_url, gateways, {name: _gateway_check(url) for name, url in gateways.items()}, suite
            )
        return
    cluster = cluster_config(root, auth_replicas=2, extra_env=env)
    with running_cluster(cluster, root / "logs") as running:
        gateways = {gateway.name: f"http://{gateway.address}" for gateway in cluster.gateways}
        checks = {name: _gateway_check(url) for name, url in gateways.items()}
        pki = cluster.suite_config().pki_dir
        checks.update({replica.name: _auth_check(replica.address, pki) for replica in cluster.auth})
        yield Validators(cluster.gateway_url, gateways, checks, running.suite)


def sign_in_many(base: str, count: int) -> list[dict]:
    email = f"ack-{uuid.uuid4().hex[:8]}@example.com"
    assert call(base, "POST", "/v1/accounts", {"email": email, "password": PASSWORD}).status == 201
    sessions = []
    for n in range(count):
        device = {"client_id": f"device-{n}", "name": f"device {n}", "type": "phone"}
        reply = call(base, "POST", "/v1/sign-in", {"email": email, "password": PASSWORD, "device": device})
        assert reply.status == 200, reply.body
        sessions.append(reply.body)
    return sessions


def test_no_validator_accepts_a_token_after_its_sign_out_answered(validators: Validators) -> None:
    sessions = sign_in_many(validators.gateway_url, TOKENS)
    answered: dict[str, float] = {}  # token -> when its sign-out answered 200
    stale: list[tuple[str, str]] = []
    checked = [0]
    stop = threading.Event()

    def hammer(name: str, check: Check) -> None:
        while not stop.is_set():
            for session in sessions:
                token = session["access_token"]
                sent = time.monotonic()
                status = check(token)
                checked[0] += 1
                done_at = answered.get(token)
                if status == 200 and done_at is not None and sent > done_at:
                    stale.append((name, session["session_id"]))

    threads = [threading.Thread(target=hammer, args=item, daemon=True) for item in validators.checks.items()]
    for thread in threads:
        thread.start()
    gateways = list(validators.gateways.values())
    try:
        for n, session in enumerate(sessions):
            time.sleep(0.1)
            reply = call(gateways[n % len(gateways)], "POST", "/v1/sign-out", token=session["access_token"])
            assert reply.status == 200, reply.body
            answered[session["access_token"]] = time.monotonic()
            receipt = reply.body["receipt"]
            assert receipt["sequence"] > 0 and receipt["validators_expired"] == 0, receipt
            assert receipt["validators_acknowledged"] >= len(validators.gateways), receipt
        time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    print(f"\nstale-accept hammer: {checked[0]} checks on {len(validators.checks)} validators, {len(stale)} stale")
    assert stale == []
    for check in validators.checks.values():
        assert {check(session["access_token"]) for session in sessions} == {401}


def test_a_frozen_gateway_delays_a_sign_out_by_one_lease_and_refuses_tokens_once_thawed(
    validators: Validators,
) -> None:
    frozen_name, frozen_url = sorted(validators.gateways.items())[-1]
    other = next(url for name, url in validators.gateways.items() if name != frozen_name)
    revoked, kept = sign_in_many(validators.gateway_url, 2)
    assert call(frozen_url, "GET", "/v1/session", token=kept["access_token"]).status == 200
    process = validators.suite.processes[frozen_name]

    process.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        reply = call(other, "POST", "/v1/sign-out", token=revoked["access_token"])
        took = time.monotonic() - started
    finally:
        process.send_signal(signal.SIGCONT)

    assert reply.status == 200, reply.body
    assert took <= LEASE_SECONDS + 0.5, took
    assert reply.body["receipt"]["validators_expired"] >= 1, reply.body["receipt"]
    # Thawed: the revoked token is never accepted there, and the others only once it has caught up.
    assert call(frozen_url, "GET", "/v1/session", token=revoked["access_token"]).status in (401, 503)
    deadline = time.monotonic() + 10
    while (status := call(frozen_url, "GET", "/v1/session", token=kept["access_token"]).status) != 200:
        assert status == 503 and time.monotonic() < deadline, status
        time.sleep(0.05)
    assert call(frozen_url, "GET", "/v1/session", token=revoked["access_token"]).status == 401
