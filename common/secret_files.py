"""Secrets held in files outside every database: PIN peppers, token keys.

A deployment mounts each file (compose secrets, Kubernetes secrets) and points
an environment variable at it; `make run` and the tests create throw-away ones
under `<data dir>/secrets` with `ensure_secret`. A service never creates its
own secret at start: a missing file stops it with a message naming the variable.
"""

from __future__ import annotations

import os
import pathlib
import secrets

from common.pki import write_secret
from common.settings import data_dir

MIN_SECRET_BYTES = 32
# Every secret file of the suite: (the variable naming it, its file name under <data dir>/secrets).
SUITE_SECRETS = (
    ("PARENTAL_PIN_PEPPER_FILE", "pin_pepper"),
    ("AUTH_REFRESH_TOKEN_KEY_FILE", "refresh_token_key"),
    ("CANARY_PASSWORD_FILE", "canary_password"),  # the stale-accept canary's synthetic account (the canary package)
)


def secrets_dir() -> pathlib.Path:
    return data_dir() / "secrets"


def secret_path(variable: str, default_name: str) -> pathlib.Path:
    """$variable, or `<data dir>/secrets/<default_name>`."""
    return pathlib.Path(os.environ.get(variable) or secrets_dir() / default_name)


def read_secret(variable: str, default_name: str) -> bytes:
    """The secret in the file $variable names; exits with a clear message if it is missing or short."""
    path = secret_path(variable, default_name)
    try:
        raw = path.read_bytes().strip()
    except OSError as error:
        raise SystemExit(
            f"{variable}: cannot read {path} ({error.strerror}); this secret is required (README, 'Security model')."
        ) from None
    if len(raw) < MIN_SECRET_BYTES:
        raise SystemExit(f"{variable}: {path} holds {len(raw)} bytes; a secret needs at least {MIN_SECRET_BYTES}")
    return raw


def ensure_secret(path: pathlib.Path) -> pathlib.Path:
    """Create `path` with 32 random bytes (hex, mode 0600) unless it exists; for local runs and tests."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        write_secret(path, secrets.token_hex(MIN_SECRET_BYTES).encode())
    return path
