"""Cluster mode (tools.cluster): what only replicas can get wrong.

- a sign-out made through one gateway is enforced at the other at once;
- requests through HAProxy reach every gateway, and the gateways' calls reach every replica of
  device_service and parental_service (round_robin);
- a replica killed with SIGKILL under load: calls go on through the other replica, and the
  revocations answered meanwhile are all enforced and applied to the device list.
"""

from __future__ import annotations

import re
import signal
import time
import urllib.request
import uuid

import pytest

from benchmarks.faults import UNTHROTTLED, SteadyLoad, lost
from tests.e2e.conftest import RunningSuite, cluster_config, cluster_view, running_cluster
from tools.json_http import call

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> RunningSuite:  # type: ignore[no-untyped-def]
    """A cluster of its own: the load below signs in far more often than the sign-in throttle allows."""
    root = tmp_path_factory.mktemp("cluster")
    config = cluster_config(root, extra_env=UNTHROTTLED)
    with running_cluster(config, root / "logs") as running:
        yield cluster_view(config, running)


def account(base: str) -> str:
    email = f"cluster-{uuid.uuid4().hex[:8]}@example.com"
    reply = call(base, "POST", "/v1/accounts", {"email": email, "password": PASSWORD})
    assert reply.status == 201, reply.body
    return email


def sign_in(base: str, email: str, client_id: str, kind: str = "tv") -> dict:
    device = {"client_id": client_id, "name": client_id, "type": kind}
    reply = call(base, "POST", "/v1/sign-in", {"email": email, "password": PASSWORD, "device": device})
    assert reply.status == 200, reply.body
    return dict(reply.body)


def handled(metrics_url: str, method: str) -> float:
    """How many calls of `method` this replica has completed (any status)."""
    text = urllib.request.urlopen(metrics_url, timeout=5).read().decode()
    pattern = rf'^remotesignout_grpc_server_handled_total{{[^}}]*grpc_method="{method}"[^}}]*}} ([0-9.e+]+)$'
    return sum(float(value) for value in re.findall(pattern, text, re.MULTILINE))


def test_a_sign_out_through_one_gateway_is_enforced_at_the_other(cluster: RunningSuite) -> None:
    first, second = cluster.gateway_urls
    email = account(cluster.gateway_url)
    tv, phone = sign_in(first, email, "tv-1"), sign_in(second, email, "phone-1", "phone")
    assert call(second, "GET", "/v1/session", token=tv["access_token"]).status == 200

    reply = call(first, "POST", "/v1/sign-out-all", {"include_current": False}, token=phone["access_token"])

    assert reply.status == 200, reply.body
    for gateway in (first, second):
        assert call(gateway, "GET", "/v1/session", token=tv["access_token"]).status == 401
        assert call(gateway, "GET", "/v1/session", token=phone["access_token"]).status == 200
    devices = call(second, "GET", "/v1/devices", token=phone["access_token"]).body["devices"]
    assert {d["device_id"]: d["status"] for d in devices}[tv["device_id"]] == "signed_out"


def test_calls_are_spread_over_every_replica(cluster: RunningSuite) -> None:
    email = account(cluster.gateway_url)
    tokens = [sign_in(cluster.gateway_url, email, f"spread-{n}", "phone")["access_token"] for n in range(4)]
    before = {name: handled(url, "ListDevices") for name, url in cluster.metrics_urls.items() if "device" in name}

    for _ in range(5):
        for token in tokens:
            assert call(cluster.gateway_url, "GET", "/v1/devices", token=token).status == 200

    after = {name: handled(url, "ListDevices") for name, url in cluster.metrics_urls.items() if "device" in name}
    assert sorted(after) == ["device_service-1", "device_service-2"]
    served = {name: after[name] - before[name] for name in after}
    assert all(count >= 4 for count in served.values()), served  # 20 calls, round robin: about 10 each
    assert sum(served.values()) == 20


def test_a_killed_replica_loses_no_revocation(cluster: RunningSuite) -> None:
    """SIGKILL device_service-1, then parental_service-1, while sign-ins, validations and sign-outs run."""
    base = cluster.gateway_url
    email = account(base)
    keeper = sign_in(base, email, "keeper", "computer")
    with SteadyLoad(base, email, workers=3) as load:
        phase = load.begin("kill -9 device_service-1, parental_service-1")
        for victim in ("device_service-1", "parental_service-1"):
            time.sleep(1.0)
            cluster.suite.stop_child(victim, signal.SIGKILL)
            time.sleep(1.5)
            cluster.suite.start_child(victim)
        time.sleep(1.0)
        load.begin("after")

    print(f"\nkill -9 under load: {phase.summary()}")
    assert phase.revoked, phase.summary()
    # No revocation lost: every sign-out answered 200 is refused at every gateway, and its device
    # is listed as signed out (the feed fills any gap a killed replica left).
    assert lost(phase, cluster.gateway_urls, keeper["access_token"], base) == 0
    # Validation needs auth_service only, which no fault touched here.
    assert phase.errors["validate"] == 0, phase.summary()
