"""ruff (pyflakes, syntax errors, import order) passes on the whole repository."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

from tests.support import require_service

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_ruff_finds_nothing() -> None:
    ruff = shutil.which("ruff") or str(pathlib.Path(sys.executable).parent / "ruff")
    if not pathlib.Path(ruff).exists():
        require_service("ruff is not installed (pip install -e '.[dev]')")
    result = subprocess.run([ruff, "check", "--no-cache", "."], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
