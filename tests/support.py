"""Helpers shared by every test folder."""

from __future__ import annotations

import os

import pytest

from tools.supervisor import free_ports

IN_CI = os.environ.get("CI", "").lower() == "true"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    return free_ports(1)[0]


def require_service(reason: str) -> None:
    """Skip the test outside CI, fail it under CI=true: CI must have every service."""
    if IN_CI:
        pytest.fail(f"required service missing under CI=true: {reason}")
    pytest.skip(reason)
