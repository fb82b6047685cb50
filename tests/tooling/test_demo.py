"""tools.demo seeds through the gateway's HTTP API; tools.run_suite prints how to try it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tools.demo import DEMO_DEVICES, DEMO_EMAIL, GatewayError, seed
from tools.run_suite import banner, curl_lines
from tools.supervisor import SuiteConfig


class FakeGateway(ThreadingHTTPServer):
    """Answers POST /v1/accounts and /v1/sign-in like the real gateway, and records them."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FakeGatewayHandler)
        self.accounts: set[str] = set()
        self.banned_client_ids: set[str] = set()
        self.sign_ins: list[dict] = []
        self.account_status = 201

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class FakeGatewayHandler(BaseHTTPRequestHandler):
    server: FakeGateway

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/v1/accounts":
            if self.server.account_status != 201:
                return self.reply(self.server.account_status, {"error": {"code": "x", "message": "x"}})
            if body["email"] in self.server.accounts:
                return self.reply(409, {"error": {"code": "account_exists", "message": "exists"}})
            self.server.accounts.add(body["email"])
            return self.reply(201, {"account_id": "a1"})
        if self.path == "/v1/sign-in":
            self.server.sign_ins.append(body)
            if body["device"]["client_id"] in self.server.banned_client_ids:
                return self.reply(403, {"error": {"code": "device_banned", "message": "removed"}})
            return self.reply(200, {"access_token": "t", "device_id": "dev-" + body["device"]["client_id"]})
        self.reply(404, {})

    def reply(self, status: int, body: dict) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    server = FakeGateway()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join()
    server.server_close()


def test_seeding_creates_the_account_and_signs_in_four_distinct_devices(gateway):
    account = seed(gateway.url)

    assert account.created
    assert gateway.accounts == {DEMO_EMAIL}
    assert len({sign_in["device"]["client_id"] for sign_in in gateway.sign_ins}) == 4
    assert account.device_ids["Living room TV"] == "dev-demo-living-room-tv"
    assert account.problems == []


def test_seeding_twice_accepts_the_existing_account(gateway):
    seed(gateway.url)

    again = seed(gateway.url)

    assert not again.created
    assert set(again.device_ids) == {device["name"] for device in DEMO_DEVICES}


def test_a_device_refused_at_sign_in_is_reported_and_the_others_still_sign_in(gateway):
    gateway.banned_client_ids.add("demo-kids-tablet")

    account = seed(gateway.url)

    assert "Kids tablet" not in account.device_ids
    assert len(account.device_ids) == 3
    assert account.problems and "Kids tablet" in account.problems[0]


def test_seeding_stops_when_the_account_cannot_be_created(gateway):
    gateway.account_status = 500

    with pytest.raises(GatewayError):
        seed(gateway.url)


def test_the_banner_shows_urls_credentials_and_commands_for_the_seeded_tv(gateway):
    config = SuiteConfig()

    text = banner(config, seed(gateway.url), config.data_dir / "logs")

    assert "http://127.0.0.1:8080/" in text
    assert "http://127.0.0.1:9101/metrics" in text and "http://127.0.0.1:9103/metrics" in text
    assert "demo@example.com / demo-password-1" in text
    assert "/v1/devices/dev-demo-living-room-tv/sign-out" in text
    assert "Demo mode" in text and "resource-server-secret" in text


def test_the_curl_lines_end_by_checking_the_revoked_token_is_refused():
    lines = curl_lines("http://gw", "d1")

    assert lines[0].startswith("TOKEN=$(curl -s -X POST http://gw/v1/sign-in")
    assert "/v1/sign-out-all" in lines[3] and '"include_current": false' in lines[3]
    assert "/v1/session" in lines[-1] and "401" in lines[-1]
