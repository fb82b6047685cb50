"""tools.supervisor: start-up, failure reports and graceful stop.

The first tests drive the Suite with small stand-in children; the last one
starts the real four processes once they exist.
"""

from __future__ import annotations

import pathlib
import signal
import sys

import pytest

from tests.e2e.conftest import local_config
from tools.supervisor import Child, Suite, SuiteConfig, SuiteError, grpc_serving, http_ok

REPO = pathlib.Path(__file__).resolve().parents[2]
SERVICES = ("auth_service", "device_service", "parental_service", "gateway")

# A child that is ready once it has written its marker file and exits 0 on SIGTERM.
POLITE_CHILD = (
    "import pathlib, signal, sys, threading\n"
    "done = threading.Event()\n"
    "signal.signal(signal.SIGTERM, lambda *_: done.set())\n"
    "pathlib.Path(sys.argv[1]).touch()\n"
    "done.wait()\n"
)
STUBBORN_CHILD = (
    "import pathlib, signal, sys, threading\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "pathlib.Path(sys.argv[1]).touch()\n"
    "threading.Event().wait()\n"
)


def child(name: str, code: str, marker: pathlib.Path) -> Child:
    return Child(name, [sys.executable, "-c", code, str(marker)], marker.exists)


def stand_in_suite(tmp_path: pathlib.Path, children: list[Child], **options: float) -> Suite:
    return Suite(SuiteConfig(data_dir=tmp_path / "data"), log_dir=tmp_path / "logs", children=children, **options)


def test_stop_sends_sigterm_and_collects_every_exit_code(tmp_path):
    children = [child(f"polite_{n}", POLITE_CHILD, tmp_path / f"ready_{n}") for n in range(2)]

    with stand_in_suite(tmp_path, children) as suite:
        assert set(suite.processes) == {"polite_0", "polite_1"}

    assert suite.exit_codes == {"polite_0": 0, "polite_1": 0}
    assert suite.killed == []


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path):
    suite = stand_in_suite(tmp_path, [child("stubborn", STUBBORN_CHILD, tmp_path / "ready")], stop_timeout=0.5)
    suite.start()

    codes = suite.stop()

    assert codes == {"stubborn": -signal.SIGKILL}
    assert suite.killed == ["stubborn"]


def test_a_child_that_dies_during_start_up_is_named_with_the_tail_of_its_output(tmp_path):
    dying = Child(
        "auth_service", [sys.executable, "-c", "print('bad AUTH_ADDRESS'); raise SystemExit(3)"], lambda: False
    )
    polite = child("polite", POLITE_CHILD, tmp_path / "ready")
    suite = stand_in_suite(tmp_path, [polite, dying])

    with pytest.raises(SuiteError, match=r"auth_service exited with code 3") as failure:
        suite.start()

    assert "bad AUTH_ADDRESS" in str(failure.value)
    assert set(suite.exit_codes) == {"polite", "auth_service"}, "start-up failure stops every child"
    assert suite.exit_codes["auth_service"] == 3


def test_a_child_that_never_gets_ready_fails_start_up_by_name(tmp_path):
    never = Child("gateway", [sys.executable, "-c", POLITE_CHILD, str(tmp_path / "ignored")], lambda: False)
    suite = stand_in_suite(tmp_path, [never], startup_timeout=0.3)

    with pytest.raises(SuiteError, match=r"gateway was not ready within"):
        suite.start()

    assert set(suite.exit_codes) == {"gateway"}, "start-up failure stops every child"


def test_probes_report_not_ready_when_nothing_listens(pki):
    config = local_config(pathlib.Path("unused"))

    assert grpc_serving(config.auth_address, "auth_service", pki.dir)() is False
    assert http_ok(f"{config.gateway_url}/healthz")() is False


def test_sigterm_stops_the_four_real_processes_with_exit_code_0(tmp_path):
    missing = [name for name in SERVICES if not (REPO / name / "__main__.py").exists()]
    if missing:
        pytest.skip(f"service not written yet: {', '.join(missing)}")
    config = local_config(tmp_path / "data")

    with Suite(config, log_dir=tmp_path / "logs") as suite:
        assert grpc_serving(config.auth_address, "auth_service", config.pki_dir)()
        assert http_ok(f"{config.gateway_url}/healthz")()

    assert suite.exit_codes == dict.fromkeys(SERVICES, 0)
    assert suite.killed == []
