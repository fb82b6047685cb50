"""Each process of the running suite exports exactly its own metric families, with help text, in an
exposition that `promtool check metrics` (Debian's Prometheus) finds clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support import require_service
from tools.json_http import call

CLUSTER_TOO = True  # also against the cluster: replicas named gateway-1, auth_service-2... (tests/e2e/conftest.py)
PASSWORD = "correct horse battery"
GRPC_SERVER = {"grpc_server_handled", "grpc_server_handling_seconds"}
GRPC_CLIENT = {"grpc_client_handled", "grpc_client_handling_seconds"}
VALIDATOR = {"validator_current", "validator_lag_sequences", "validator_refusals"}
FEED_CONSUMER = {"revocation_pending_seconds", "revocation_delivery_checks"}
EXPECTED = {
    "gateway": GRPC_CLIENT
    | VALIDATOR
    | {
        "sign_out_duration_seconds",
        "http_requests",
        "http_request_duration_seconds",
        "sse_open_streams",
        "sse_streams_closed",
        "fanout_failures",
    },
    "auth_service": GRPC_SERVER
    | GRPC_CLIENT
    | VALIDATOR
    | {
        "revocation_commit_seconds",
        "revocation_ack_wait_seconds",
        "validators_live",
        "validator_ack_seconds",
        "validator_lease_expirations",
        "sign_in_throttled",
        "device_authorizations",
        "device_authorization_approval_seconds",
        "device_code_throttled",
    },
    "device_service": GRPC_SERVER | GRPC_CLIENT | FEED_CONSUMER,
    "parental_service": GRPC_SERVER | GRPC_CLIENT | FEED_CONSUMER | {"pin_lockouts"},
}
"""Family names without the `remotesignout_` prefix (a counter's without `_total`), per process."""


@pytest.fixture(scope="module")
def expositions(suite) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every process's /metrics after a sign-in, a sign-out-all and a request for an unknown path."""
    base = suite.gateway_url
    assert call(base, "POST", "/v1/accounts", {"email": "families@example.com", "password": PASSWORD}).status == 201
    device = {"client_id": "families-tv", "name": "TV", "type": "tv"}
    signed = call(
        base, "POST", "/v1/sign-in", {"email": "families@example.com", "password": PASSWORD, "device": device}
    ).body
    assert call(base, "POST", "/v1/sign-out-all", {"include_current": True}, token=signed["access_token"]).status == 200
    assert call(base, "GET", "/no-such-route?secret=1").status == 404
    return {name: urllib.request.urlopen(url, timeout=5).read().decode() for name, url in suite.metrics_urls.items()}


def families(text: str) -> dict[str, str]:
    """Our families in an exposition (name without the prefix -> help text)."""
    found = {}
    for family in text_string_to_metric_families(text):
        if family.name.startswith("remotesignout_") and not family.name.endswith("_created"):
            found[family.name.removeprefix("remotesignout_")] = family.documentation
    return found


def of(expositions: dict[str, str], process: str) -> dict[str, str]:
    """The expositions of every replica of `process` (a cluster names them `gateway-1`, `gateway-2`)."""
    found = {name: text for name, text in expositions.items() if name == process or name.startswith(process + "-")}
    assert found, f"no metrics URL for {process}"
    return found


@pytest.mark.parametrize("process", sorted(EXPECTED))
def test_each_process_exports_its_own_families_and_no_other(expositions, process) -> None:  # type: ignore[no-untyped-def]
    for replica, text in of(expositions, process).items():
        exported = families(text)
        assert set(exported) == EXPECTED[process], {
            "replica": replica,
            "missing": EXPECTED[process] - set(exported),
            "foreign": set(exported) - EXPECTED[process],
        }
        assert all(help_text.strip() for help_text in exported.values())


def test_auth_service_names_each_validator_that_acknowledged(expositions) -> None:  # type: ignore[no-untyped-def]
    auth = "".join(of(expositions, "auth_service").values())
    gateways = [name for name in expositions if name == "gateway" or name.startswith("gateway-")]
    for gateway in gateways:  # the configured name (VALIDATOR_NAME), never the per-process lease id
        assert f'remotesignout_validator_ack_seconds_count{{validator="{gateway}"}}' in auth
    assert not re.search(r'validator="[^"]*-[0-9a-f]{12}"', auth)


def test_the_old_revocation_latency_name_is_gone(expositions) -> None:  # type: ignore[no-untyped-def]
    assert not any("revocation_latency" in text for text in expositions.values())


def test_the_gateway_labels_requests_by_route_template_never_by_path(expositions) -> None:  # type: ignore[no-untyped-def]
    gateway = "".join(of(expositions, "gateway").values())
    assert 'remotesignout_http_requests_total{method="POST",route="/v1/sign-out-all",status_class="2xx"}' in gateway
    assert 'remotesignout_http_requests_total{method="GET",route="unmatched",status_class="4xx"}' in gateway
    assert "no-such-route" not in gateway and "secret" not in gateway
    assert "families@example.com" not in "".join(expositions.values())


@pytest.mark.parametrize("process", sorted(EXPECTED))
def test_promtool_finds_every_exposition_clean(expositions, process) -> None:  # type: ignore[no-untyped-def]
    promtool = shutil.which("promtool")
    if promtool is None:
        require_service("promtool is not installed (apt-get install prometheus)")
        return
    for replica, text in of(expositions, process).items():
        checked = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, (replica, checked.stdout + checked.stderr)
        assert checked.stdout.strip() == "" and checked.stderr.strip() == "", (replica, checked.stdout + checked.stderr)
