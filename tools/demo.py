"""Seed a demo account with a few signed-in devices, through the gateway's HTTP API."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password-1"
DEMO_DEVICES = [
    {
        "client_id": "demo-living-room-tv",
        "name": "Living room TV",
        "type": "tv",
        "platform": "Tizen 8",
        "app_version": "6.2.1",
    },
    {
        "client_id": "demo-alice-phone",
        "name": "Alice's phone",
        "type": "phone",
        "platform": "Android 15",
        "app_version": "9.14.0",
    },
    {
        "client_id": "demo-work-laptop",
        "name": "Work laptop",
        "type": "browser",
        "platform": "Firefox 133 on Windows",
        "app_version": "web",
    },
    {
        "client_id": "demo-kids-tablet",
        "name": "Kids tablet",
        "type": "tablet",
        "platform": "iPadOS 18",
        "app_version": "17.3.0",
    },
]


class GatewayError(RuntimeError):
    """The gateway answered with an error status."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}: {body}")
        self.status = status


@dataclass
class DemoAccount:
    """What seeding did: device ids by name, and devices that could not sign in."""

    created: bool = False
    device_ids: dict[str, str] = field(default_factory=dict)
    access_tokens: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def post_json(url: str, body: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        raise GatewayError(error.code, error.read().decode(errors="replace")) from None
    return json.loads(raw) if raw else {}


def seed(gateway_url: str) -> DemoAccount:
    """Create the demo account (fine if it exists) and sign in every demo device."""
    account = DemoAccount()
    try:
        post_json(f"{gateway_url}/v1/accounts", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
        account.created = True
    except GatewayError as error:
        if error.status != 409:
            raise
    for device in DEMO_DEVICES:
        try:
            reply = post_json(
                f"{gateway_url}/v1/sign-in",
                {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "device": device},
            )
        except GatewayError as error:  # e.g. a device removed (banned) in an earlier run
            account.problems.append(f"{device['name']}: {error}")
            continue
        account.device_ids[device["name"]] = str(reply.get("device_id", ""))
        account.access_tokens[device["name"]] = str(reply.get("access_token", ""))
    return account


# A household of four profiles, each watching on its own device.
HOUSEHOLD = [
    # (profile name, kind, maturity level, device, title it watches)
    ("Alice", "owner", "18+", "Living room TV", "t-the-cartel-ledger"),
    ("Sam", "standard", "16+", "Alice's phone", "t-cold-harbour"),
    ("Jo", "standard", "13+", "Work laptop", "t-hallway-legends"),
    ("Robin", "kids", "7+", "Kids tablet", "t-robo-rangers"),
]


def request_json(method: str, url: str, token: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        raise GatewayError(error.code, error.read().decode(errors="replace")) from None
    return json.loads(raw) if raw else {}


def seed_household(gateway_url: str, account: DemoAccount) -> dict[str, str]:
    """Create the four profiles; then each device selects its profile and plays a title.

    Returns profile ids by name. The device list then shows, per device, the
    last profile and the last title watched, as the seeds describe. Every profile
    is created first, while the TV's sign-in still counts as a recent entry of the
    password: selecting a profile ends that.
    """
    owner_token = account.access_tokens["Living room TV"]
    profile_ids: dict[str, str] = {}
    for name, kind, level, _device, _title_id in HOUSEHOLD:
        created = request_json(
            "POST", f"{gateway_url}/v1/profiles", owner_token, {"name": name, "kind": kind, "maturity_level": level}
        )
        profile_ids[name] = str(created["profile_id"])
    for name, _kind, _level, device, title_id in HOUSEHOLD:
        profile_id = profile_ids[name]
        token = account.access_tokens.get(device)
        if token is None:
            continue
        selected = request_json("POST", f"{gateway_url}/v1/profiles/{profile_id}/select", token, {})
        account.access_tokens[device] = str(selected["access_token"])
        request_json("POST", f"{gateway_url}/v1/playback", account.access_tokens[device], {"title_id": title_id})
    return profile_ids
