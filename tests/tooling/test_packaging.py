"""`pip install .` gives one distribution with the four processes, the canary, common/ and the generated stubs.

The wheel is built offline (`pip wheel --no-deps --no-build-isolation --no-index`) from a copy of the
repository, so the build's build/ and *.egg-info never land in the working tree. A few seconds.
"""

from __future__ import annotations

import importlib.util
import pathlib
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.support import require_service

REPO = pathlib.Path(__file__).resolve().parents[2]
SOURCE_PACKAGES = {"common", "auth_service", "device_service", "parental_service", "gateway", "canary"}
PACKAGES = SOURCE_PACKAGES | {"remotesignout"}  # remotesignout comes from protos/python
SCRIPTS = {
    "remotesignout-auth": "auth_service.__main__:main",
    "remotesignout-device": "device_service.__main__:main",
    "remotesignout-parental": "parental_service.__main__:main",
    "remotesignout-gateway": "gateway.__main__:main",
    "remotesignout-canary": "canary.__main__:main",
}
ANYWHERE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist", ".pytest_cache")
AT_THE_ROOT = {".git", ".venv", "node_modules", "data", "secrets", "artifacts"}  # parental_service/data is code


def not_copied(root: pathlib.Path):
    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = set(ANYWHERE(directory, names))
        if pathlib.Path(directory) == root:
            skipped |= AT_THE_ROOT & set(names)
        return skipped

    return ignore


def build_wheel(source: pathlib.Path, tmp_path: pathlib.Path) -> zipfile.ZipFile:
    if importlib.util.find_spec("setuptools") is None:
        require_service("setuptools is not installed in this venv (pip install setuptools)")
    copy = tmp_path / "src"
    shutil.copytree(source, copy, ignore=not_copied(source))
    out = tmp_path / "wheels"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(copy),
        ],
        capture_output=True,
        text=True,
        timeout=50,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("*.whl")
    return zipfile.ZipFile(wheel)


def python_files(root: pathlib.Path, package: str) -> set[str]:
    return {
        path.relative_to(root).as_posix() for path in (root / package).rglob("*.py") if "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    return build_wheel(REPO, tmp_path_factory.mktemp("wheel"))


def test_the_wheel_installs_the_processes_the_canary_common_and_the_stubs_and_nothing_else(wheel):
    top_level = {name.split("/")[0] for name in wheel.namelist()}

    assert top_level == PACKAGES | {"remote_signout-0.1.0.dist-info"}


def test_every_module_of_every_package_is_in_the_wheel(wheel):
    names = set(wheel.namelist())
    expected = set().union(*(python_files(REPO, package) for package in SOURCE_PACKAGES))
    expected |= python_files(REPO / "protos" / "python", "remotesignout")

    assert expected - names == set()
    assert {name for name in names if name.endswith(".py")} == expected


def test_the_generated_stubs_and_their_types_are_in_the_wheel(wheel):
    names = set(wheel.namelist())
    services = sorted(path.stem for path in (REPO / "protos" / "remotesignout").glob("*/v1/*.proto"))
    generated = {
        path.relative_to(REPO / "protos" / "python").as_posix()
        for path in (REPO / "protos" / "python" / "remotesignout").glob("*/v1/*_pb2*.py*")
    }

    assert services == ["auth", "device", "parental"]
    for service in services:
        for suffix in ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py"):
            assert f"remotesignout/{service}/v1/{service}{suffix}" in generated
    assert generated - names == set()
    assert "remotesignout/py.typed" in names


def test_the_package_data_the_processes_read_at_run_time_is_in_the_wheel(wheel):
    names = set(wheel.namelist())
    static = {path.relative_to(REPO).as_posix() for path in (REPO / "gateway" / "static").iterdir()}

    assert static and static <= names
    assert "parental_service/data/titles.json" in names
    assert "auth_service/data/common_passwords.txt" in names


def test_each_service_s_migrations_are_in_the_wheel(wheel):
    """A service installed with `pip install .` migrates its own database: env.py, the template and every
    revision ship inside the wheel (no alembic.ini needed at run time)."""
    names = set(wheel.namelist())
    for service in ("auth_service", "device_service", "parental_service"):
        migrations = REPO / service / "adapters" / "migrations"
        shipped = {path.relative_to(REPO).as_posix() for path in migrations.rglob("*") if path.is_file()}
        shipped = {name for name in shipped if "__pycache__" not in name}

        assert f"{service}/adapters/migrations/env.py" in shipped
        assert f"{service}/adapters/migrations/script.py.mako" in shipped
        assert f"{service}/adapters/migrations/versions/0001_initial_schema.py" in shipped
        assert shipped <= names, shipped - names


def test_the_wheel_declares_the_console_scripts_and_needs_no_separate_stubs_distribution(wheel):
    entry_points = wheel.read("remote_signout-0.1.0.dist-info/entry_points.txt").decode()
    metadata = wheel.read("remote_signout-0.1.0.dist-info/METADATA").decode()
    scripts = {}
    section = None
    for line in entry_points.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif "=" in line and section == "console_scripts":
            name, target = (part.strip() for part in line.split("=", 1))
            scripts[name] = target

    assert scripts == SCRIPTS
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    assert requires and not [line for line in requires if "remotesignout" in line]


def test_the_stubs_alone_still_build_as_their_own_distribution(tmp_path):
    with build_wheel(REPO / "protos" / "python", tmp_path) as stubs:
        top_level = {name.split("/")[0] for name in stubs.namelist()}

    assert top_level == {"remotesignout", "remotesignout_api-1.0.0.dist-info"}


def test_the_image_copies_every_shipped_package_and_no_repository_tool():
    """The Dockerfile installs from what it copies: a package missing there is missing from the image."""
    copied = {line.split()[1] for line in (REPO / "Dockerfile").read_text().splitlines() if line.startswith("COPY ")}
    assert copied >= SOURCE_PACKAGES, SOURCE_PACKAGES - copied
    assert not {"tools", "tests", "benchmarks"} & copied
