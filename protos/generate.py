"""Regenerate the Python package under protos/python from the .proto files.

Usage: python protos/generate.py [OUTPUT_DIR]

Writes messages (_pb2.py), type stubs (_pb2.pyi), gRPC stubs (_pb2_grpc.py) and
their type stubs (_pb2_grpc.pyi, by mypy-protobuf, for grpc and grpc.aio alike)
for every .proto file under protos/remotesignout, plus the __init__.py files
that make the tree importable. tests/tooling/test_protos.py regenerates
into a temporary directory and fails when the committed files differ.
"""

from __future__ import annotations

import pathlib
import shutil
import sys

import grpc_tools
from grpc_tools import protoc

PROTOS = pathlib.Path(__file__).resolve().parent
DEFAULT_OUTPUT = PROTOS / "python"
WELL_KNOWN = pathlib.Path(grpc_tools.__file__).parent / "_proto"


def proto_files() -> list[pathlib.Path]:
    return sorted(PROTOS.glob("remotesignout/**/*.proto"))


def grpc_stub_plugin() -> str:
    """mypy-protobuf's protoc plugin, next to this Python (a venv's bin/) or on PATH."""
    beside = pathlib.Path(sys.executable).parent / "protoc-gen-mypy_grpc"
    found = str(beside) if beside.exists() else shutil.which("protoc-gen-mypy_grpc")
    if found is None:
        raise SystemExit("protoc-gen-mypy_grpc is missing: pip install mypy-protobuf (make install does)")
    return found


def generate(output: pathlib.Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    files = [str(path.relative_to(PROTOS)) for path in proto_files()]
    status = protoc.main(
        [
            "grpc_tools.protoc",
            f"-I{PROTOS}",
            f"-I{WELL_KNOWN}",
            f"--python_out={output}",
            f"--pyi_out={output}",
            f"--grpc_python_out={output}",
            f"--plugin=protoc-gen-mypy_grpc={grpc_stub_plugin()}",
            f"--mypy_grpc_out={output}",
            *files,
        ]
    )
    if status != 0:
        raise SystemExit(f"protoc failed with status {status}")
    for directory in {output / path.parent for path in map(pathlib.Path, files)}:
        while directory != output:
            (directory / "__init__.py").touch()
            directory = directory.parent


if __name__ == "__main__":
    generate(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT)
