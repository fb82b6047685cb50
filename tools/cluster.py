"""The suite as a cluster on one machine: every service on PostgreSQL, replicas, HAProxy in front.

`make cluster` (tools.run_cluster) and the cluster-mode end-to-end tests start it:

- one PostgreSQL database per service (`<prefix>_auth`, `<prefix>_device`,
  `<prefix>_parental`, created when missing), upgraded once by each service's
  `migrate` command before any replica starts (replicas run with
  MIGRATE_ON_START=false, so they never race to migrate);
- 2 auth_service processes (each a validator: a revocation made at one answers
  once the other, and every gateway, has acknowledged it), 2 device_service,
  2 parental_service, 2 gateways; every
  replica exports metrics on its own port (a gateway on its own HTTP port);
- callers reach a service's replicas through one address list, which gRPC
  balances round robin (common.balancing);
- Redis carries what the replicas share: the sign-in throttle's buckets, the
  playback stops that must reach a stream held by another replica, and the
  revocations with every validator's lease (common.revocation_redis);
- HAProxy (Debian's package) in front of the gateways, health-checking `/healthz`.

Each child is a tools.supervisor.Child, so stopping, killing and restarting one
replica works as in the single-process suite.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import TracebackType

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tools.haproxy import render
from tools.supervisor import REPO_ROOT, Child, Suite, SuiteConfig, canary_child, free_ports, grpc_serving, http_ok

SERVICES = ("auth_service", "device_service", "parental_service")
# The settings each service reads its own database from (see each service's config.py).
DATABASE_SETTINGS = {
    "auth_service": "AUTH_DATABASE_URL",
    "device_service": "DEVICE_DATABASE_URL",
    "parental_service": "PARENTAL_DATABASE_URL",
}
ADDRESS_SETTINGS = {
    "auth_service": "AUTH_ADDRESS",
    "device_service": "DEVICE_ADDRESS",
    "parental_service": "PARENTAL_ADDRESS",
}
METRICS_SETTINGS = {
    "auth_service": "AUTH_METRICS_PORT",
    "device_service": "DEVICE_METRICS_PORT",
    "parental_service": "PARENTAL_METRICS_PORT",
}
DEFAULT_POSTGRES_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
MIGRATE_TIMEOUT_SECONDS = 120.0


class ClusterError(RuntimeError):
    """PostgreSQL, Redis or HAProxy is missing, or a migration failed."""


@dataclass(frozen=True)
class Replica:
    """One process of the cluster: which program, its name, where it listens, its metrics port."""

    process: str
    name: str
    address: str
    metrics_port: int = 0


def _replicas(process: str, addresses: Sequence[str], metrics_ports: Sequence[int]) -> tuple[Replica, ...]:
    many = len(addresses) > 1
    return tuple(
        Replica(process, f"{process}-{n}" if many else process, address, port)
        for n, (address, port) in enumerate(zip(addresses, metrics_ports, strict=True), start=1)
    )


@dataclass(frozen=True)
class ClusterConfig:
    """Where every replica listens, which databases and Redis the cluster uses."""

    data_dir: pathlib.Path
    balancer_address: str
    auth: tuple[Replica, ...]
    device: tuple[Replica, ...]
    parental: tuple[Replica, ...]
    gateways: tuple[Replica, ...]
    postgres_url: str = DEFAULT_POSTGRES_URL
    redis_url: str = DEFAULT_REDIS_URL
    database_prefix: str = "remotesignout"
    extra_env: dict[str, str] = field(default_factory=dict)
    canary_metrics_port: int = 0
    """The stale-accept canary's metrics port (`python -m canary`: through HAProxy, probing each gateway
    directly); 0: no canary."""

    @staticmethod
    def fixed(data_dir: pathlib.Path, **kwargs: object) -> ClusterConfig:
        """`make cluster`'s well-known ports: HAProxy on 8080, the first replica of each service on its
        single-process port (50051-50053, metrics 9101-9103), the second 10 above it, gateways 8081-8082,
        the stale-accept canary's metrics 9104."""
        return ClusterConfig(
            data_dir=data_dir,
            balancer_address="127.0.0.1:8080",
            auth=_replicas("auth_service", ["127.0.0.1:50051", "127.0.0.1:50061"], [9101, 9111]),
            device=_replicas("device_service", ["127.0.0.1:50052", "127.0.0.1:50062"], [9102, 9112]),
            parental=_replicas("parental_service", ["127.0.0.1:50053", "127.0.0.1:50063"], [9103, 9113]),
            gateways=_replicas("gateway", ["127.0.0.1:8081", "127.0.0.1:8082"], [0, 0]),
            **{"canary_metrics_port": 9104, **kwargs},  # type: ignore[arg-type]
        )

    @staticmethod
    def on_free_ports(
        data_dir: pathlib.Path, *, auth_replicas: int = 2, replicas: int = 2, **kwargs: object
    ) -> ClusterConfig:
        """Every address and metrics port on a free port of 127.0.0.1 (tests, benchmarks)."""
        ports = iter(free_ports(1 + 2 * auth_replicas + 4 * replicas + replicas))

        def take(count: int) -> list[int]:
            return [next(ports) for _ in range(count)]

        def local(numbers: list[int]) -> list[str]:
            return [f"127.0.0.1:{number}" for number in numbers]

        return ClusterConfig(
            data_dir=data_dir,
            balancer_address=local(take(1))[0],
            auth=_replicas("auth_service", local(take(auth_replicas)), take(auth_replicas)),
            device=_replicas("device_service", local(take(replicas)), take(replicas)),
            parental=_replicas("parental_service", local(take(replicas)), take(replicas)),
            gateways=_replicas("gateway", local(take(replicas)), [0] * replicas),
            **kwargs,  # type: ignore[arg-type]
        )

    @property
    def gateway_url(self) -> str:
        """HAProxy: where clients go."""
        return f"http://{self.balancer_address}"

    @property
    def gateway_urls(self) -> list[str]:
        """Each gateway replica directly (bypassing HAProxy)."""
        return [f"http://{gateway.address}" for gateway in self.gateways]

    def replicas(self, process: str) -> tuple[Replica, ...]:
        return {
            "auth_service": self.auth,
            "device_service": self.device,
            "parental_service": self.parental,
            "gateway": self.gateways,
        }[process]

    def database_name(self, service: str) -> str:
        return f"{self.database_prefix}_{service.removesuffix('_service')}"

    def database_url(self, service: str) -> str:
        return f"{self.postgres_url.rstrip('/')}/{self.database_name(service)}"

    def metrics_urls(self) -> dict[str, str]:
        """The Prometheus endpoint of every replica, by replica name."""
        urls = {
            replica.name: f"http://127.0.0.1:{replica.metrics_port}/metrics"
            for service in SERVICES
            for replica in self.replicas(service)
        }
        urls.update({gateway.name: f"http://{gateway.address}/metrics" for gateway in self.gateways})
        if self.canary_metrics_port:
            urls["canary"] = f"http://127.0.0.1:{self.canary_metrics_port}/metrics"
        return urls

    def suite_config(self) -> SuiteConfig:
        """What every child shares: the address lists callers balance over, databases, Redis."""
        return SuiteConfig(
            auth_address=",".join(r.address for r in self.auth),
            device_address=",".join(r.address for r in self.device),
            parental_address=",".join(r.address for r in self.parental),
            gateway_address=self.balancer_address,
            auth_metrics_port=0,
            device_metrics_port=0,
            parental_metrics_port=0,
            data_dir=self.data_dir,
            extra_env={
                **{DATABASE_SETTINGS[service]: self.database_url(service) for service in SERVICES},
                "MIGRATE_ON_START": "false",
                "AUTH_THROTTLE_REDIS_URL": self.redis_url,
                "AUTH_THROTTLE_REDIS_PREFIX": f"{self.database_prefix}:throttle:",
                "PARENTAL_REDIS_URL": self.redis_url,
                "PARENTAL_REDIS_PREFIX": f"{self.database_prefix}:parental:",
                # Every auth_service replica and gateway is a validator: revocations and leases in Redis.
                "REVOCATION_REDIS_URL": self.redis_url,
                "REVOCATION_REDIS_PREFIX": f"{self.database_prefix}:revocations:",
                # HAProxy runs here: the gateways take the client address from its X-Forwarded-For.
                "GATEWAY_TRUSTED_PROXIES": "127.0.0.1/32",
                "GRACE_SECONDS": "2",
                **self.extra_env,
            },
        )

    def children(self, python: str = sys.executable) -> list[Child]:
        """Every replica, then HAProxy, then the canary if asked for, in start-up order."""
        pki = self.suite_config().pki_dir
        children = [
            Child(
                replica.name,
                [python, "-m", service],
                grpc_serving(replica.address, service, pki),
                env={
                    ADDRESS_SETTINGS[service]: replica.address,
                    METRICS_SETTINGS[service]: str(replica.metrics_port),
                    "VALIDATOR_NAME": replica.name,  # auth_service's per-validator metrics name each replica
                },
            )
            for service in SERVICES
            for replica in self.replicas(service)
        ]
        children += [
            Child(
                gateway.name,
                [python, "-m", "gateway"],
                http_ok(f"http://{gateway.address}/healthz"),
                env={"GATEWAY_ADDRESS": gateway.address, "VALIDATOR_NAME": gateway.name},
            )
            for gateway in self.gateways
        ]
        children.append(
            Child("haproxy", [haproxy_binary(), "-db", "-f", str(self.haproxy_config_path)], http_ok(self.healthz))
        )
        if self.canary_metrics_port:
            validators = {gateway.name: f"http://{gateway.address}" for gateway in self.gateways}
            children.append(canary_child(self.canary_metrics_port, "127.0.0.1", self.gateway_url, python, validators))
        return children

    @property
    def healthz(self) -> str:
        return f"{self.gateway_url}/healthz"

    @property
    def haproxy_config_path(self) -> pathlib.Path:
        return pathlib.Path(self.data_dir) / "haproxy.cfg"


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)
    if found is None:
        raise ClusterError("HAProxy is not installed: `make test-deps` installs it (Debian's haproxy package)")
    return found


def ensure_databases(config: ClusterConfig) -> None:
    """Create each service's database on the PostgreSQL server when it does not exist yet."""
    admin = create_engine(f"{config.postgres_url.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as db:
            for service in SERVICES:
                name = config.database_name(service)
                if not db.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                    db.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # sqlalchemy's OperationalError and the driver's own
        raise ClusterError(
            f"PostgreSQL at {make_url(config.postgres_url).render_as_string(hide_password=True)} is not usable: {error}"
        ) from error
    finally:
        admin.dispose()


def drop_databases(config: ClusterConfig) -> None:
    """Drop each service's database (tests: a throw-away prefix)."""
    admin = create_engine(f"{config.postgres_url.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as db:
            for service in SERVICES:
                db.execute(text(f'DROP DATABASE IF EXISTS "{config.database_name(service)}" WITH (FORCE)'))
    finally:
        admin.dispose()


def migrate(config: ClusterConfig, python: str = sys.executable) -> list[str]:
    """Upgrade every service's database to head, once, before any replica starts; returns what each said."""
    env = {**os.environ, **config.suite_config().env()}
    said = []
    for service in SERVICES:
        done = subprocess.run(
            [python, "-m", service, "migrate"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=MIGRATE_TIMEOUT_SECONDS,
            check=False,
        )
        if done.returncode != 0:
            raise ClusterError(f"`python -m {service} migrate` failed:\n{done.stdout}{done.stderr}")
        said.append(done.stdout.strip())
    return said


class Cluster:
    """The running cluster; `start()` returns once every replica and HAProxy are ready."""

    def __init__(self, config: ClusterConfig, *, log_dir: pathlib.Path, startup_timeout: float = 60.0) -> None:
        self.config = config
        self.suite = Suite(
            config.suite_config(), log_dir=log_dir, children=config.children(), startup_timeout=startup_timeout
        )

    @property
    def gateway_url(self) -> str:
        return self.config.gateway_url

    def start(self) -> list[str]:
        """Create and migrate the databases, write HAProxy's configuration, start everything."""
        ensure_databases(self.config)
        said = migrate(self.config)
        path = self.config.haproxy_config_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render([g.address for g in self.config.gateways], self.config.balancer_address))
        self.suite.start()
        return said

    def stop(self) -> dict[str, int]:
        return self.suite.stop()

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
