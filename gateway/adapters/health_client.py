"""grpc.health.v1 checks of the services behind the gateway."""

from __future__ import annotations

import grpc
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc

UNREACHABLE = "UNREACHABLE"


class HealthClient:
    def __init__(self, channel: aio.Channel, timeout: float) -> None:
        self._stub = health_pb2_grpc.HealthStub(channel)
        self._timeout = timeout

    async def status(self) -> str:
        """"SERVING", "NOT_SERVING", ..., or "UNREACHABLE" when the check itself fails."""
        try:
            response = await self._stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=self._timeout)
        except grpc.RpcError:
            return UNREACHABLE
        return str(health_pb2.HealthCheckResponse.ServingStatus.Name(response.status))
