"""tools.supervisor makes the suite's secrets (CA and certificates, PIN pepper, refresh-token key,
signing key) under <data dir>/secrets before any child starts, owner-only, and keeps them."""

from __future__ import annotations

import stat
import sys

from common.secret_files import MIN_SECRET_BYTES
from tools.supervisor import Child, Suite, SuiteConfig

# Ready once every file it is given exists when it starts; exits 0 on SIGTERM.
READER = (
    "import pathlib, signal, sys, threading\n"
    "done = threading.Event()\n"
    "signal.signal(signal.SIGTERM, lambda *_: done.set())\n"
    "if all(pathlib.Path(p).is_file() for p in sys.argv[2:]): pathlib.Path(sys.argv[1]).touch()\n"
    "done.wait()\n"
)


def test_every_secret_exists_before_the_children_start_is_owner_only_and_is_kept(tmp_path):
    secrets = tmp_path / "data" / "secrets"
    files = [
        secrets / "pin_pepper",
        secrets / "refresh_token_key",
        secrets / "pki" / "ca.key",
        secrets / "pki" / "gateway.key",
        secrets / "signing_keys" / "manifest.json",
    ]
    config = SuiteConfig(data_dir=tmp_path / "data")
    marker = tmp_path / "ready"
    reader = Child("reader", [sys.executable, "-c", READER, str(marker), *map(str, files)], marker.exists)

    with Suite(config, log_dir=tmp_path / "logs", children=[reader], startup_timeout=10):
        pass
    first = {path: path.read_bytes() for path in files}
    for path in files[:2]:
        assert len(path.read_bytes().strip()) >= MIN_SECRET_BYTES
    for path in [*files[:4], *(secrets / "signing_keys").glob("*.pem")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert first[files[0]] != first[files[1]]

    marker.unlink()
    with Suite(config, log_dir=tmp_path / "logs", children=[reader], startup_timeout=10):
        pass
    assert {path: path.read_bytes() for path in files} == first, "existing secrets are kept"
