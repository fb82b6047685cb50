"""The e2e harness: the whole suite on free ports with its own data folder, as single processes and,
for modules that set `CLUSTER_TOO = True`, also as a cluster (tools.cluster: PostgreSQL, Redis,
replicas, HAProxy in front of two gateways)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tests.support import require_service
from tools.cluster import DEFAULT_POSTGRES_URL, DEFAULT_REDIS_URL, Cluster, ClusterConfig, drop_databases
from tools.supervisor import Suite, SuiteConfig


@dataclass(frozen=True)
class RunningSuite:
    """What an e2e test needs to reach the suite.

    In cluster mode `gateway_url` is HAProxy, `gateway_urls` each gateway replica, and the
    service addresses are the lists callers balance over.
    """

    gateway_url: str
    auth_address: str
    device_address: str
    parental_address: str
    gateway_address: str
    metrics_urls: dict[str, str]
    suite: Suite
    mode: str = "single"
    gateway_urls: list[str] = field(default_factory=list)


def local_config(data_dir) -> SuiteConfig:  # type: ignore[no-untyped-def]
    """Every address and metrics port on a free port of 127.0.0.1."""
    return SuiteConfig.on_free_ports(data_dir)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`suite` runs as "single", and also as "cluster" in modules that say `CLUSTER_TOO = True`, except for a
    test marked `single_only` (it reads what only the single-process suite has: fixed metrics ports, its files)."""
    if "suite_mode" in metafunc.fixturenames:  # a module that defines its own `suite` has none
        both = getattr(metafunc.module, "CLUSTER_TOO", False) and not metafunc.definition.get_closest_marker(
            "single_only"
        )
        modes = ["single", "cluster"] if both else ["single"]
        metafunc.parametrize("suite_mode", modes, scope="module")


def require_cluster_services() -> None:
    """PostgreSQL and Redis must answer (fail under CI=true, skip elsewhere)."""
    engine = create_engine(f"{DEFAULT_POSTGRES_URL}/postgres")
    try:
        with engine.connect() as db:
            db.execute(text("SELECT 1"))
    except OperationalError as error:
        require_service(f"PostgreSQL at {DEFAULT_POSTGRES_URL} is not reachable: {error.orig}")
    finally:
        engine.dispose()
    try:
        redis.Redis.from_url(DEFAULT_REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        require_service(f"Redis at {DEFAULT_REDIS_URL} is not reachable: {error}")


def cluster_config(root, **kwargs) -> ClusterConfig:  # type: ignore[no-untyped-def]
    """A cluster on free ports with throw-away databases (dropped by `running_cluster`)."""
    return ClusterConfig.on_free_ports(root / "data", database_prefix=f"rs_e2e_{uuid.uuid4().hex[:10]}", **kwargs)


@contextmanager
def running_cluster(config: ClusterConfig, log_dir) -> Iterator[Cluster]:  # type: ignore[no-untyped-def]
    require_cluster_services()
    cluster = Cluster(config, log_dir=log_dir)
    try:
        with cluster:
            yield cluster
    finally:
        drop_databases(config)


def _single(config: SuiteConfig, running: Suite) -> RunningSuite:
    return RunningSuite(
        gateway_url=config.gateway_url,
        auth_address=config.auth_address,
        device_address=config.device_address,
        parental_address=config.parental_address,
        gateway_address=config.gateway_address,
        metrics_urls=config.metrics_urls(),
        suite=running,
        gateway_urls=[config.gateway_url],
    )


def cluster_view(config: ClusterConfig, running: Cluster) -> RunningSuite:
    shared = config.suite_config()
    return RunningSuite(
        gateway_url=config.gateway_url,
        auth_address=shared.auth_address,
        device_address=shared.device_address,
        parental_address=shared.parental_address,
        gateway_address=config.balancer_address,
        metrics_urls=config.metrics_urls(),
        suite=running.suite,
        mode="cluster",
        gateway_urls=config.gateway_urls,
    )


@pytest.fixture(scope="module")
def suite(tmp_path_factory, suite_mode: str) -> Iterator[RunningSuite]:  # type: ignore[no-untyped-def]
    """The suite, started once per test module (and mode) and stopped after it."""
    root = tmp_path_factory.mktemp(suite_mode)
    if suite_mode == "cluster":
        config = cluster_config(root)
        with running_cluster(config, root / "logs") as cluster:
            yield cluster_view(config, cluster)
        return
    single = local_config(root / "data")
    with Suite(single, log_dir=root / "logs") as running:
        yield _single(single, running)
