"""Building and running the parental_service gRPC server."""

from __future__ import annotations

from grpc import aio
from remotesignout.parental.v1 import parental_pb2_grpc

from common.grpc_server import Server, create_server
from common.tls import TlsIdentity
from parental_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from parental_service.entrypoints.servicer import ParentalServicer
from parental_service.service_layer.app import ParentalApp

__all__ = ["SERVICE_NAME", "build_server"]


def build_server(address: str, app: ParentalApp, *, tls: TlsIdentity, metrics: bool = True,
                 reflection: bool = False) -> Server:
    def register(server: aio.Server) -> None:
        parental_pb2_grpc.add_ParentalServiceServicer_to_server(ParentalServicer(app), server)

    return create_server(address, register, [SERVICE_NAME], tls=tls, permissions=PERMISSIONS,
                         reflection_enabled=reflection, metrics=metrics)
