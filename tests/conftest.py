"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Each test gets its own ./data folder for SQLite files."""
    path = tmp_path / "data"
    monkeypatch.setenv("REMOTESIGNOUT_DATA_DIR", str(path))
    return path
