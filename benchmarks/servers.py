"""Benchmark servers, each in its own process so the load client does not share its event loop.

    python -m benchmarks.servers '<json spec>'

spec: {"kind": "auth" | "echo" | "parental", "db_url": ..., "metrics": true, "mint": [n, ...], "signin_accounts": k,
       "signing_key": {"key_id": ..., "seed": hex}}  (replicas share one key; a fresh one otherwise)

The process prints one JSON line (port, a signed-in access token, minted tokens)
once it is listening, then serves until SIGTERM or until stdin closes.
"""

from __future__ import annotations

import asyncio
import io
import json
import secrets
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from typing import Any, cast

import grpc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from remotesignout.auth.v1 import auth_pb2
from remotesignout.parental.v1 import parental_pb2
from sqlalchemy import Engine

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.adapters.migrations import HISTORY
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.bootstrap import build
from auth_service.config import Config
from auth_service.domain.model import DeviceInfo, Session
from auth_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from auth_service.entrypoints.server import create_auth_server
from auth_service.service_layer.accounts import create_account
from auth_service.service_layer.ports import DeviceRegistry
from auth_service.service_layer.revocations import load_index
from auth_service.service_layer.sessions import sign_in
from auth_service.service_layer.unit_of_work import UnitOfWorkFactory
from benchmarks.harness import pki_dir, server_tls
from common.clock import now_us
from common.db import make_engine
from common.grpc_server import Server, create_server
from common.grpc_types import Context
from common.migrations import upgrade
from common.tls import TlsIdentity
from common.unit_of_work import in_thread
from parental_service.entrypoints.permissions import PERMISSIONS as PARENTAL_PERMISSIONS
from parental_service.entrypoints.permissions import SERVICE_NAME as PARENTAL_SERVICE

PASSWORD = "correct horse battery staple"
DEVICE = DeviceInfo(client_id="bench-client", name="Bench TV", type="tv")


class FakeDeviceRegistry(DeviceRegistry):
    """device_service stand-in: every client id is its own device, instantly."""

    async def register(self, account_id: str, device: DeviceInfo, ip_address: str) -> str:
        return f"device-{device.client_id}"


async def echo(request: auth_pb2.ValidateTokenRequest, context: Context) -> auth_pb2.ValidateTokenResponse:
    """The baseline: ValidateToken answers an empty response, doing nothing."""
    return auth_pb2.ValidateTokenResponse()


ECHO = grpc.method_handlers_generic_handler(
    SERVICE_NAME,
    {
        "ValidateToken": grpc.unary_unary_rpc_method_handler(
            echo,
            request_deserializer=auth_pb2.ValidateTokenRequest.FromString,
            response_serializer=auth_pb2.ValidateTokenResponse.SerializeToString,
        )
    },
)


def migrated(engine: Engine) -> UnitOfWorkFactory:
    """auth_service's start-up: its schema brought to head (its migrations), then its unit of work."""
    upgrade(engine, HISTORY)
    return unit_of_work_factory(engine)


def _signing_key(spec: dict[str, Any]) -> SigningKey:
    if "signing_key" not in spec:
        return SigningKey.generate()
    seed = bytes.fromhex(spec["signing_key"]["seed"])
    return SigningKey(spec["signing_key"]["key_id"], Ed25519PrivateKey.from_private_bytes(seed))


async def _auth(spec: dict[str, Any]) -> tuple[Server, dict[str, Any]]:
    engine = make_engine(spec["db_url"])
    codec = AccessTokenCodec([_signing_key(spec)], 900)
    deps = build(
        # Every benchmark client is one source: its limit would throttle the failed sign-ins benchmark 6 times.
        Config(refresh_token_key=secrets.token_bytes(32), source_throttle_after=1_000_000),
        await in_thread(migrated, engine),
        codec,
        FakeDeviceRegistry(),
    )
    await load_index(deps.uow(), deps.index)
    tag = uuid.uuid4().hex[:8]
    email = f"bench-{tag}@example.com"
    await create_account(deps.uow(), deps.rules, deps.clock, email, PASSWORD)
    pair = await sign_in(
        deps.uow(),
        deps.codec,
        deps.devices,
        deps.rules,
        deps.throttle,
        deps.clock,
        email,
        PASSWORD,
        DEVICE,
        "127.0.0.1",
    )
    info: dict[str, Any] = {"token": pair.access_token, "account_id": pair.session.account_id}
    # Sessions minted directly (no argon2 per session): [{"account_id", "tokens": [...]}, ...]
    minted = []
    for i, count in enumerate(spec.get("mint", [])):
        account = await create_account(deps.uow(), deps.rules, deps.clock, f"bench-{tag}-mint{i}@example.com", PASSWORD)
        tokens = []
        with deps.uow() as uow:
            for _ in range(count):
                now = now_us()
                session = Session(
                    str(uuid.uuid4()),
                    account.account_id,
                    f"device-{uuid.uuid4().hex[:12]}",
                    now,
                    now,
                    now + 3600 * 1_000_000,
                )
                uow.account_sessions.add(session)
                tokens.append(
                    codec.issue(session.account_id, session.session_id, session.device_id, session.created_at_us)
                )
            uow.commit()
        minted.append({"account_id": account.account_id, "tokens": tokens})
    info["minted"] = minted
    emails = []
    for i in range(spec.get("signin_accounts", 0)):
        emails.append(
            (
                await create_account(deps.uow(), deps.rules, deps.clock, f"bench-{tag}-signin{i}@example.com", PASSWORD)
            ).email
        )
    info["signin_emails"] = emails
    info["password"] = PASSWORD
    server = create_auth_server(deps, "127.0.0.1:0", tls=server_tls(), metrics=spec.get("metrics", True))
    return server, info


async def watch_stops(
    request: parental_pb2.WatchPlaybackStopsRequest, context: Context
) -> AsyncIterator[parental_pb2.WatchPlaybackStopsResponse]:
    """parental_service stand-in for a gateway's one stop stream: subscribed, then nothing is ever stopped."""
    yield parental_pb2.WatchPlaybackStopsResponse(subscribed=True)
    await asyncio.Event().wait()


PARENTAL = grpc.method_handlers_generic_handler(
    PARENTAL_SERVICE,
    {
        "WatchPlaybackStops": grpc.unary_stream_rpc_method_handler(
            watch_stops,
            request_deserializer=parental_pb2.WatchPlaybackStopsRequest.FromString,
            response_serializer=parental_pb2.WatchPlaybackStopsResponse.SerializeToString,
        )
    },
)


def _parental(spec: dict[str, Any]) -> tuple[Server, dict[str, Any]]:
    server = create_server(
        "127.0.0.1:0",
        lambda s: s.add_generic_rpc_handlers((PARENTAL,)),
        [PARENTAL_SERVICE],
        tls=TlsIdentity.from_dir("parental_service", pki_dir()),
        permissions=PARENTAL_PERMISSIONS,
        metrics=False,
    )
    return server, {}


def _echo(spec: dict[str, Any]) -> tuple[Server, dict[str, Any]]:
    server = create_server(
        "127.0.0.1:0",
        lambda s: s.add_generic_rpc_handlers((ECHO,)),
        [SERVICE_NAME],
        tls=server_tls(),
        permissions=PERMISSIONS,
        metrics=spec.get("metrics", True),
    )
    return server, {"token": "echo"}


async def main(spec: dict[str, Any]) -> None:
    if spec["kind"] == "auth":
        server, info = await _auth(spec)
    else:
        server, info = _parental(spec) if spec["kind"] == "parental" else _echo(spec)
    await server.start()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    stdin = cast(io.BufferedReader, sys.stdin.buffer)  # read1: b"" once the parent closes our stdin
    loop.add_reader(sys.stdin.fileno(), lambda: stopping.set() if not stdin.read1(1) else None)
    print(json.dumps({"port": server.port, **info}), flush=True)
    await stopping.wait()
    await server.stop(0)


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
