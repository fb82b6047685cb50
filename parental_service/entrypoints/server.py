"""Building and running the parental_service gRPC server."""

from __future__ import annotations

from grpc import aio
from remotesignout.parental.v1 import parental_pb2, parental_pb2_grpc

from common.grpc_server import Server, create_server
from parental_service.entrypoints.servicer import ParentalServicer
from parental_service.service_layer.app import ParentalApp

SERVICE_NAME = parental_pb2.DESCRIPTOR.services_by_name["ParentalService"].full_name


def build_server(address: str, app: ParentalApp, *, metrics: bool = True) -> Server:
    def register(server: aio.Server) -> None:
        parental_pb2_grpc.add_ParentalServiceServicer_to_server(ParentalServicer(app), server)

    return create_server(address, register, [SERVICE_NAME], metrics=metrics)
