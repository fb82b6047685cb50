"""Fixtures shared by every test folder."""

from __future__ import annotations

import pathlib

import pytest

from common.pki import ensure_local_pki
from common.tls import TlsIdentity


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Each test gets its own ./data folder for SQLite files."""
    path = tmp_path / "data"
    monkeypatch.setenv("REMOTESIGNOUT_DATA_DIR", str(path))
    return path


class Pki:
    """A throw-away CA with a certificate for every process of the suite (common.pki)."""

    def __init__(self, directory: pathlib.Path) -> None:
        self.dir = ensure_local_pki(directory)
        self._identities: dict[str, TlsIdentity] = {}

    def identity(self, process: str) -> TlsIdentity:
        if process not in self._identities:
            self._identities[process] = TlsIdentity.from_dir(process, self.dir)
        return self._identities[process]


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    """One local CA for the whole test session: in-process servers and their clients use it."""
    return Pki(tmp_path_factory.mktemp("pki"))
