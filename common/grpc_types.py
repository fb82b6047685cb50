"""Type aliases for grpc's generic classes, so every signature in the suite names them one way."""

from __future__ import annotations

from typing import Any, TypeAlias

import grpc
from grpc import aio

Context: TypeAlias = "aio.ServicerContext[Any, Any]"  # a string: grpc's classes are generic only in the stubs
"""The context of an RPC being handled (grpc.aio), whatever its message types."""

MethodHandler: TypeAlias = "grpc.RpcMethodHandler[Any, Any]"
