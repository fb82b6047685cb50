"""The list of common passwords that a new password may not be, shipped as package data."""

from __future__ import annotations

import functools
import pathlib

from auth_service.domain.password_policy import PasswordPolicy

COMMON_PASSWORDS_PATH = pathlib.Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
EXPECTED_AT_LEAST = 10_000


@functools.cache
def load_password_policy(path: pathlib.Path = COMMON_PASSWORDS_PATH) -> PasswordPolicy:
    """The password policy with the list at `path` (its header ends at the first empty line).

    Raises ValueError when the list is missing entries: a truncated file must not silently let
    common passwords through.
    """
    _, _, passwords = path.read_text(encoding="utf-8").partition("\n\n")
    policy = PasswordPolicy.from_lines(passwords.splitlines())
    if len(policy.common) < EXPECTED_AT_LEAST:
        raise ValueError(f"{path}: {len(policy.common)} common passwords, expected {EXPECTED_AT_LEAST}")
    return policy
