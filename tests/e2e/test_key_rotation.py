"""Key rotation and retirement on the running suite, with the real CLI, seen through the gateway.

`python -m auth_service keys rotate` makes new tokens use a new key while tokens
of the old one keep working; `keys retire OLD` makes every token of the old key
401 within a reload interval, and /.well-known/jwks.json stops listing it.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time

from tools.json_http import call
from tools.supervisor import REPO_ROOT

PASSWORD = "rotating keys password"
NOTICED_WITHIN = 3.0  # the reload interval is 0.25 s; the rest is slack for a busy 2-core machine


def kid(token: str) -> str:
    header = token.split(".")[0]
    return str(json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"])


def keys_cli(suite, *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {**os.environ, **suite.suite.config.env()}
    return subprocess.run(
        [sys.executable, "-m", "auth_service", "keys", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def sign_in(base: str, client_id: str) -> str:
    reply = call(
        base,
        "POST",
        "/v1/sign-in",
        {
            "email": "rotate@example.com",
            "password": PASSWORD,
            "device": {"client_id": client_id, "name": client_id, "type": "tv"},
        },
    )
    assert reply.status == 200, reply.body
    return str(reply.body["access_token"])


def published_kids(base: str) -> set[str]:
    return {key["kid"] for key in call(base, "GET", "/.well-known/jwks.json").body["keys"]}


def until(predicate, seconds: float = NOTICED_WITHIN) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())


def test_rotate_then_retire_through_the_real_cli_and_gateway(suite) -> None:  # type: ignore[no-untyped-def]
    base = suite.gateway_url
    assert call(base, "POST", "/v1/accounts", {"email": "rotate@example.com", "password": PASSWORD}).status == 201
    old_token = sign_in(base, "rotate-tv")
    old = kid(old_token)
    assert published_kids(base) == {old}

    rotated = keys_cli(suite, "rotate")
    assert rotated.returncode == 0, rotated.stderr
    assert until(lambda: kid(sign_in(base, "rotate-phone")) != old), "new tokens use the new key"
    new_token = sign_in(base, "rotate-laptop")
    new = kid(new_token)
    assert published_kids(base) == {old, new}
    assert call(base, "GET", "/v1/session", token=old_token).status == 200, "the old key still verifies"

    retired = keys_cli(suite, "retire", old)
    assert retired.returncode == 0, retired.stderr
    assert until(lambda: call(base, "GET", "/v1/session", token=old_token).status == 401)
    assert call(base, "GET", "/v1/session", token=new_token).status == 200
    assert published_kids(base) == {new}
    assert keys_cli(suite, "retire", "no-such-kid").returncode == 2
