"""Helpers shared by every test folder."""

from __future__ import annotations

import json
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


def log_lines(text: str) -> list[dict[str, object]]:
    """Every line of a process's output (common.logs: one JSON object each), parsed."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def stop_message(stderr: str) -> str:
    """The message of a process's last log line: `<process> cannot start: ...` when it refused to start."""
    return str(log_lines(stderr)[-1]["message"])
