"""The .proto files pass buf lint and the committed Python code is what they generate."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

from tests.support import require_service

REPO = pathlib.Path(__file__).resolve().parents[2]
GENERATED = REPO / "protos" / "python"
PACKAGE = GENERATED / "remotesignout"


def generated_files(root: pathlib.Path) -> dict[str, bytes]:
    """Every .py and .pyi file under root/remotesignout, by path relative to root."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted((root / "remotesignout").rglob("*"))
        if path.suffix in {".py", ".pyi"} and "__pycache__" not in path.parts
    }


def test_buf_lint_passes_without_a_single_finding():
    if shutil.which("npx") is None or not (REPO / "node_modules" / ".bin" / "buf").exists():
        require_service("buf is not installed (npm ci)")

    result = subprocess.run(["npx", "buf", "lint", "protos"], cwd=REPO, capture_output=True, text=True, timeout=120)

    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_committed_python_code_is_exactly_what_the_protos_generate(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "protos" / "generate.py"), str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    fresh, committed = generated_files(tmp_path), generated_files(GENERATED)

    assert sorted(fresh) == sorted(committed), "run `make protos`: generated files added or removed"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert stale == [], f"run `make protos`: stale generated files {stale}"


def test_generated_package_imports_on_its_own_and_builds_a_sign_in_request(tmp_path):
    program = (
        "import sys\n"
        "from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc\n"
        "from remotesignout.device.v1 import device_pb2, device_pb2_grpc\n"
        "from remotesignout.parental.v1 import parental_pb2, parental_pb2_grpc\n"
        "request = auth_pb2.SignInRequest(email='a@example.com', password='pw')\n"
        "again = auth_pb2.SignInRequest.FromString(request.SerializeToString())\n"
        "assert again.email == 'a@example.com', again\n"
        "project = {'common', 'auth_service', 'device_service', 'parental_service', 'gateway', 'tests'}\n"
        "print(sorted(project & {name.split('.')[0] for name in sys.modules}))\n"
        "print(auth_pb2.__file__)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(GENERATED)}

    result = subprocess.run(
        [sys.executable, "-c", program], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    loaded_project_modules, module_file = result.stdout.splitlines()
    assert loaded_project_modules == "[]"
    assert pathlib.Path(module_file).is_relative_to(PACKAGE)
