"""A process without its TLS material, or with material that cannot work, does not start,
and says which file is wrong: there is no plaintext fallback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from common import pki as local_pki
from common.tls import TlsIdentity
from tests.support import free_port
from tools.supervisor import REPO_ROOT


@pytest.fixture
def material(tmp_path, pki):
    folder = tmp_path / "pki"
    shutil.copytree(pki.dir, folder)
    return folder


def test_missing_files_name_the_variable_to_set(material, monkeypatch):
    monkeypatch.setenv("TLS_DIR", str(material))
    (material / "device_service.crt").unlink()
    with pytest.raises(SystemExit, match=r"DEVICE_TLS_CERT_FILE: cannot read .*device_service\.crt"):
        TlsIdentity.from_env("device_service")


def test_a_malformed_key_a_foreign_key_and_another_process_certificate_are_refused(material, monkeypatch):
    monkeypatch.setenv("TLS_DIR", str(material))
    (material / "gateway.key").write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    with pytest.raises(SystemExit, match=r"gateway\.key: not an unencrypted PEM private key"):
        TlsIdentity.from_env("gateway")
    shutil.copy(material / "auth_service.key", material / "gateway.key")
    with pytest.raises(SystemExit, match="does not belong to the certificate"):
        TlsIdentity.from_env("gateway")
    monkeypatch.setenv("GATEWAY_TLS_CERT_FILE", str(material / "auth_service.crt"))
    monkeypatch.setenv("GATEWAY_TLS_KEY_FILE", str(material / "auth_service.key"))
    with pytest.raises(SystemExit, match=r"spiffe://remotesignout/auth_service.*not.*spiffe://remotesignout/gateway"):
        TlsIdentity.from_env("gateway")


def test_an_expired_certificate_of_its_own_is_refused(material, monkeypatch):
    import datetime

    monkeypatch.setenv("TLS_DIR", str(material))
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2)
    ca_cert, ca_key = local_pki.load_ca(material)
    local_pki.write_pair(
        material,
        "device_service",
        *local_pki.issue(
            ca_cert, ca_key, "device_service", not_before=past - datetime.timedelta(days=1), not_after=past
        ),
    )
    with pytest.raises(SystemExit, match="the certificate expired"):
        TlsIdentity.from_env("device_service")


def test_a_service_without_its_certificate_exits_with_one_line_and_no_traceback(tmp_path):
    env = {
        **os.environ,
        "REMOTESIGNOUT_DATA_DIR": str(tmp_path),
        "DEVICE_ADDRESS": f"127.0.0.1:{free_port()}",
        "DEVICE_METRICS_PORT": "0",
    }
    run = subprocess.run(
        [sys.executable, "-m", "device_service"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "TLS_CA_FILE: cannot read" in run.stderr and "python -m common.pki" in run.stderr
