"""Throw-away secrets for a suite on this machine (`make run`, the tests, `make compose-secrets`).

`prepare(folder)` makes, once, everything a process refuses to start without,
in the layout the services look for under `<data dir>/secrets` by default:

    pki/              the local CA and one certificate and key per process (common.pki)
    pin_pepper        parental_service's PIN pepper (PARENTAL_PIN_PEPPER_FILE)
    refresh_token_key auth_service's refresh-token HMAC key (AUTH_REFRESH_TOKEN_KEY_FILE)
    signing_keys/     auth_service's Ed25519 token signing keys (AUTH_SIGNING_KEYS_DIR)

Existing files are kept, so a restart signs no one out. A deployment brings its
own instead and points the environment variables at them (README, "Security model").

    python -m tools.local_secrets FOLDER
"""

from __future__ import annotations

import pathlib
import sys

from auth_service.adapters.signing_keys import ensure_signing_key
from common.pki import ensure_local_pki
from common.secret_files import SUITE_SECRETS, ensure_secret


def prepare(folder: pathlib.Path) -> pathlib.Path:
    ensure_local_pki(folder / "pki")
    for _variable, name in SUITE_SECRETS:
        ensure_secret(folder / name)
    ensure_signing_key(folder / "signing_keys")
    return folder


if __name__ == "__main__":
    print(prepare(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "data/secrets")))
