"""Test clients that call a service as the processes its permission table allows.

`PermittedStub` opens one mutual-TLS channel per identity and makes each call
as a process the service allows for that method (the gateway where it may,
otherwise the first allowed in name order), so tests of one service call every
RPC the way its real caller does. `as_process(name)` gives a plain stub that
calls as that identity, allowed or not.
"""

from __future__ import annotations

from typing import Any

from grpc import aio

from common.permissions import Permissions
from tests.conftest import Pki


class PermittedStub:
    def __init__(
        self, stub_class: Any, service: str, permissions: Permissions, pki: Pki, address: str, peer: str
    ) -> None:
        self._stub_class, self._service, self._permissions = stub_class, service, permissions
        self._pki, self._address, self._peer = pki, address, peer
        self._channels: dict[str, aio.Channel] = {}

    def channel_as(self, process: str) -> aio.Channel:
        if process not in self._channels:
            self._channels[process] = self._pki.identity(process).channel(self._address, self._peer)
        return self._channels[process]

    def as_process(self, process: str) -> Any:
        return self._stub_class(self.channel_as(process))

    def caller_of(self, method: str) -> str:
        allowed = self._permissions.get(f"/{self._service}/{method}", frozenset())
        if not allowed:
            raise AttributeError(f"{self._service} allows no one to call {method}")
        return "gateway" if "gateway" in allowed else sorted(allowed)[0]

    def __getattr__(self, method: str) -> Any:
        if method.startswith("_"):
            raise AttributeError(method)
        return getattr(self.as_process(self.caller_of(method)), method)

    async def close(self) -> None:
        for channel in self._channels.values():
            await channel.close()
        self._channels.clear()
