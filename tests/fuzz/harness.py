"""What the fuzz tests share: the running suite, throw-away accounts and their devices, over HTTP.

Every account is new (a random email) with a password no policy refuses; every
device is new too (a random client_id), so no test leans on state another left.
A sign-in counts as entering the password (recent authentication); when the
gateway's /openapi.json has POST /v1/session/confirm-password, a sign-in is also
followed by it, so a token stays fresh for account-level routes whatever the
gateway's window is.
"""

from __future__ import annotations

import pathlib
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tools.json_http import Reply, call
from tools.supervisor import Suite, SuiteConfig

CONFIRM_PASSWORD = "/v1/session/confirm-password"
# The OAuth client a suite in demo mode accepts (gateway.config.DEMO_OAUTH_CLIENTS; tools.supervisor sets demo mode).
DEMO_CLIENT = ("resource-server", "resource-server-secret")
# The longest a throttled sign-in waits (its Retry-After), so that a throttle the suite trips fails the test
# instead of hanging it.
MAX_THROTTLE_WAIT_SECONDS = 30.0
# A loaded 2-core machine runs argon2 for every sign-in and password check: the suite's 2 s deadline on gRPC
# calls would turn a slow moment into a 504 that the contract cannot tell from a real failure.
# Every case signs in from 127.0.0.1 with a new device: the sign-in throttle (tested on its own in
# tests/unit/auth_service/test_throttling.py and tests/e2e/test_throttling.py) would refuse most of them, and
# the contract would be checked on 429s alone. Here its buckets are far larger than any run needs.
UNTHROTTLED = {
    name: "1000000"
    for name in (
        "SOURCE_THROTTLE_AFTER",
        "SIGN_IN_THROTTLE_AFTER",
        "DEVICE_THROTTLE_AFTER",
        "PASSWORD_CHECK_THROTTLE_AFTER",
        "USER_CODE_THROTTLE_AFTER",
        "USER_CODE_ACCOUNT_THROTTLE_AFTER",
        "USER_CODE_SOURCE_THROTTLE_AFTER",
        "DEVICE_CODE_THROTTLE_AFTER",
    )
}
SUITE_ENV = {"GRACE_SECONDS": "2", "RPC_TIMEOUT_SECONDS": "15", **UNTHROTTLED}


@contextmanager
def running_suite(root: pathlib.Path) -> Iterator[str]:
    """The four real processes on free ports (tools.supervisor), in demo mode; yields the gateway's URL."""
    config = SuiteConfig.on_free_ports(root / "data", extra_env=SUITE_ENV)
    with Suite(config, log_dir=root / "logs"):
        yield config.gateway_url


@dataclass
class Device:
    client_id: str
    access_token: str
    refresh_token: str
    session_id: str
    device_id: str


@dataclass
class Account:
    email: str
    password: str
    account_id: str
    devices: list[Device] = field(default_factory=list)


class Gateway:
    """The suite's HTTP API, as a client that needs accounts and tokens sees it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._paths: set[str] | None = None

    def call(self, method: str, path: str, body: Any = None, token: str | None = None, **options: Any) -> Reply:
        return call(self.url, method, path, body, token, **options)

    @property
    def paths(self) -> set[str]:
        """The paths of /openapi.json, read once: what this gateway offers."""
        if self._paths is None:
            reply = self.call("GET", "/openapi.json")
            assert reply.status == 200, reply
            self._paths = set(reply.body["paths"])
        return self._paths

    def new_account(self) -> Account:
        email = f"fuzz-{uuid.uuid4().hex}@example.com"
        password = f"Fz-{uuid.uuid4().hex}"
        reply = self.call("POST", "/v1/accounts", {"email": email, "password": password})
        assert reply.status == 201, reply
        return Account(email, password, reply.body["account_id"])

    def sign_in(self, account: Account, client_id: str | None = None) -> Device:
        """A new session of `account` on the device `client_id` (a new device by default), its password
        confirmed; a throttled sign-in waits for its Retry-After, within MAX_THROTTLE_WAIT_SECONDS."""
        device = self.try_sign_in(account, client_id)
        assert device is not None, f"{account.email} could not sign in"
        return device

    def try_sign_in(self, account: Account, client_id: str | None = None) -> Device | None:
        """sign_in, or None when the account refuses it (closed, or its password changed)."""
        client_id = client_id or f"fuzz-{uuid.uuid4().hex[:12]}"
        body = {
            "email": account.email,
            "password": account.password,
            "device": {"client_id": client_id, "name": f"Fuzz {client_id[-6:]}", "type": "computer"},
        }
        deadline = time.monotonic() + MAX_THROTTLE_WAIT_SECONDS
        reply = self.call("POST", "/v1/sign-in", body)
        while reply.status == 429 and time.monotonic() < deadline:
            time.sleep(min(float(reply.headers.get("Retry-After", "1")), max(deadline - time.monotonic(), 0)))
            reply = self.call("POST", "/v1/sign-in", body)
        if reply.status == 401:
            return None
        assert reply.status == 200, reply
        pair = reply.body
        device = Device(client_id, pair["access_token"], pair["refresh_token"], pair["session_id"], pair["device_id"])
        self.confirm_password(account, device)
        account.devices.append(device)
        return device

    def confirm_password(self, account: Account, device: Device) -> None:
        """Enter the password on the device's session, where the gateway has a route for it."""
        if CONFIRM_PASSWORD in self.paths:
            reply = self.call("POST", CONFIRM_PASSWORD, {"password": account.password}, device.access_token)
            assert reply.status < 300, reply
