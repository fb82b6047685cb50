"""ruff passes on the whole repository: its checks (pycodestyle, pyflakes, import order, bugbear,
pyupgrade, simplify, ruff's own: pyproject.toml) and its formatting."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

import pytest

from tests.support import require_service

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", [["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]])
def test_ruff_finds_nothing(command: list[str]) -> None:
    ruff = shutil.which("ruff") or str(pathlib.Path(sys.executable).parent / "ruff")
    if not pathlib.Path(ruff).exists():
        require_service("ruff is not installed (pip install -e '.[dev]')")
    result = subprocess.run([ruff, *command], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
