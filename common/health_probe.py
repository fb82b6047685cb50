"""`python -m common.health_probe ADDRESS PROCESS`: exit 0 if the service at ADDRESS answers SERVING.

For container health checks. It calls grpc.health.v1 over mutual TLS as the
`operator` identity (OPERATOR_TLS_CERT_FILE, OPERATOR_TLS_KEY_FILE, TLS_CA_FILE),
which may call health and nothing else.
"""

from __future__ import annotations

import sys

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from common.tls import TlsIdentity


def serving(address: str, process: str, timeout: float = 2.0) -> bool:
    with TlsIdentity.from_env("operator").sync_channel(address, process) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(  # type: ignore[attr-defined]  # stubs lack it
                health_pb2.HealthCheckRequest(), timeout=timeout
            )
        except grpc.RpcError as error:
            print(f"{process} at {address}: {error.code().name} {error.details()}", file=sys.stderr)
            return False
    return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m common.health_probe ADDRESS PROCESS", file=sys.stderr)
        return 2
    return 0 if serving(argv[0], argv[1]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
