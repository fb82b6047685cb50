"""tools.supervisor creates the suite's secret files (PIN pepper, refresh-token key) before any child starts."""

from __future__ import annotations

import stat
import sys

from common.secret_files import MIN_SECRET_BYTES
from tools.supervisor import Child, Suite, SuiteConfig

# Ready once both secret files it is given exist when it starts; exits 0 on SIGTERM.
READER = (
    "import pathlib, signal, sys, threading\n"
    "done = threading.Event()\n"
    "signal.signal(signal.SIGTERM, lambda *_: done.set())\n"
    "if all(pathlib.Path(p).is_file() for p in sys.argv[2:]): pathlib.Path(sys.argv[1]).touch()\n"
    "done.wait()\n"
)


def test_both_secret_files_exist_before_the_children_start_and_are_kept(tmp_path):
    data = tmp_path / "data"
    key_file = tmp_path / "elsewhere" / "refresh.key"  # a deployment's own path, through the variable
    pepper_file = data / "secrets" / "pin_pepper"
    config = SuiteConfig(data_dir=data, extra_env={"AUTH_REFRESH_TOKEN_KEY_FILE": str(key_file),
                                                   "PARENTAL_PIN_PEPPER_FILE": ""})
    marker = tmp_path / "ready"
    reader = Child("reader", [sys.executable, "-c", READER, str(marker), str(pepper_file), str(key_file)],
                   marker.exists)

    with Suite(config, log_dir=tmp_path / "logs", children=[reader], startup_timeout=10):
        pass
    first = pepper_file.read_bytes(), key_file.read_bytes()
    for path in (pepper_file, key_file):
        assert len(path.read_bytes().strip()) >= MIN_SECRET_BYTES
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first[0] != first[1]

    marker.unlink()
    with Suite(config, log_dir=tmp_path / "logs", children=[reader], startup_timeout=10):
        pass
    assert (pepper_file.read_bytes(), key_file.read_bytes()) == first, "existing secrets are kept"
