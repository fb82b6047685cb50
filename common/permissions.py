"""Who may call which RPC: one table per service, default deny.

A caller is the process named by the SPIFFE id in its client certificate
(`spiffe://remotesignout/gateway` is "gateway"); mutual TLS has already proved
it holds that certificate's key. The server interceptor (common.interceptors)
looks the method up in the service's table and answers PERMISSION_DENIED to
every caller the table does not list, and to every method it does not list.
Inside a handler, `caller()` tells which process is calling.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Mapping

from grpc_health.v1 import health
from grpc_reflection.v1alpha import reflection

from common.grpc_types import Context
from common.pki import PROCESSES, SPIFFE_PREFIX

Permissions = Mapping[str, frozenset[str]]

ANY_PROCESS = frozenset(PROCESSES)
HEALTH_METHODS = (f"/{health.SERVICE_NAME}/Check", f"/{health.SERVICE_NAME}/Watch")
REFLECTION_METHODS = (
    f"/{reflection.SERVICE_NAME}/ServerReflectionInfo",
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
)

_PREFIX = SPIFFE_PREFIX.encode()
_caller: contextvars.ContextVar[str] = contextvars.ContextVar("caller", default="")


def table(service: str, rules: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """Full method names (`/pkg.Service/Method`) → the processes allowed to call them."""
    unknown = {process for allowed in rules.values() for process in allowed} - ANY_PROCESS
    if unknown:
        raise ValueError(f"unknown processes in the permissions of {service}: {sorted(unknown)}")
    return {f"/{service}/{method}": frozenset(allowed) for method, allowed in rules.items()}


def with_standard_services(permissions: Permissions, *, reflection_enabled: bool) -> dict[str, frozenset[str]]:
    """Add health (any authenticated caller) and, when enabled, reflection."""
    extra = {method: ANY_PROCESS for method in HEALTH_METHODS}
    if reflection_enabled:
        extra |= {method: ANY_PROCESS for method in REFLECTION_METHODS}
    return {**permissions, **extra}


def peer_process(context: Context) -> str:
    """The process whose certificate the peer presented, or "" when there is none."""
    ids = [name for name in context.peer_identities() or () if name.startswith(_PREFIX)]
    return ids[0][len(_PREFIX) :].decode("ascii", "replace") if len(ids) == 1 else ""


def caller() -> str:
    """The process calling the RPC being handled ("" outside one)."""
    return _caller.get()


def set_caller(process: str) -> contextvars.Token[str]:
    return _caller.set(process)
