"""The code's shape is checked, not hoped for: mypy --strict over every package, the layering
contracts in .importlinter, no import cycles, and the same entrypoints in every gRPC service."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import grimp
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
PACKAGES = ("common", "auth_service", "device_service", "parental_service", "gateway", "canary", "tools", "benchmarks")
SERVICES = ("auth_service", "device_service", "parental_service")
ENTRYPOINTS = ("servicer", "convert", "server", "permissions")


def run(*command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "protos" / "python")])}
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


def test_mypy_strict_passes_over_every_package():
    result = run(sys.executable, "-m", "mypy")  # packages and strictness: [tool.mypy] in pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_contracts_hold():
    lint_imports = shutil.which("lint-imports", path=str(pathlib.Path(sys.executable).parent))
    assert lint_imports, "import-linter is missing: make install"
    result = run(lint_imports, "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph(*PACKAGES)
    cycles = sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported in graph.modules and graph.chain_exists(importer=imported, imported=importer)
    )
    assert cycles == []


@pytest.mark.parametrize("service", SERVICES)
def test_every_grpc_service_has_the_same_entrypoints(service):
    entrypoints = REPO / service / "entrypoints"
    assert {name for name in ENTRYPOINTS if (entrypoints / f"{name}.py").exists()} == set(ENTRYPOINTS)
