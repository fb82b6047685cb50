"""`make cluster`: the suite as a local cluster (tools.cluster) on this machine's PostgreSQL and Redis,
with the demo account; Ctrl-C stops all of it.

CLUSTER_POSTGRES_URL (a server URL without a database: postgresql+psycopg2://postgres@127.0.0.1:5432),
CLUSTER_REDIS_URL (redis://127.0.0.1:6379/0) and CLUSTER_DATABASE_PREFIX (remotesignout) say where
the data goes; logs and the throw-away CA go under $REMOTESIGNOUT_DATA_DIR (./data-cluster).
"""

from __future__ import annotations

import os
import pathlib
import sys

from sqlalchemy.engine import make_url

from tools.cluster import DEFAULT_POSTGRES_URL, DEFAULT_REDIS_URL, SERVICES, Cluster, ClusterConfig
from tools.demo import DEMO_EMAIL, DEMO_PASSWORD, DemoAccount
from tools.run_suite import canary_lines, curl_lines, seed_demo, serve


def config_from_env() -> ClusterConfig:
    env = os.environ.get
    return ClusterConfig.fixed(
        pathlib.Path(env("REMOTESIGNOUT_DATA_DIR", "data-cluster")),
        postgres_url=env("CLUSTER_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        redis_url=env("CLUSTER_REDIS_URL", DEFAULT_REDIS_URL),
        database_prefix=env("CLUSTER_DATABASE_PREFIX", "remotesignout"),
        extra_env={"GRPC_REFLECTION": "1"},
        canary_metrics_port=int(env("CANARY_METRICS_PORT", "9104")),  # 0: no stale-accept canary
    )


def banner(config: ClusterConfig, account: DemoAccount, migrations: list[str], log_dir: pathlib.Path) -> str:
    tv_device_id = account.device_ids.get("Living room TV") or "<device_id>"
    postgres = make_url(config.postgres_url).render_as_string(hide_password=True)
    lines = [
        "",
        f"remote-signout cluster is running. Through HAProxy: {config.gateway_url}/",
        "Replicas (address, metrics):",
        *(
            f"  {replica.name:<19}{replica.address:<18}{url}"
            for service in (*SERVICES, "gateway")
            for replica in config.replicas(service)
            for url in [config.metrics_urls()[replica.name]]
        ),
        "Every auth_service replica and gateway is a validator: a sign-out answers once each has applied it.",
        *canary_lines(config.metrics_urls()),
        "Databases: " + ", ".join(f"{postgres}/{config.database_name(s)}" for s in SERVICES),
        *(f"  {line}" for line in migrations if line),
        f"Redis: {config.redis_url} (sign-in throttle, playback stops, revocations and validators' leases)",
        f"Logs: {log_dir}/",
        "",
        f"Demo account: {DEMO_EMAIL} / {DEMO_PASSWORD}" + (" (created now)" if account.created else " (already there)"),
        *(f"  {name:<17}{device_id}" for name, device_id in account.device_ids.items()),
        *(f"  not signed in: {problem}" for problem in account.problems),
        "",
        "Try it (paste in order):",
        *(f"  {line}" for line in curl_lines(config.gateway_url, tv_device_id)),
        "",
        "Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


def main() -> int:
    config = config_from_env()
    log_dir = config.data_dir / "logs"
    cluster = Cluster(config, log_dir=log_dir)
    migrations: list[str] = []

    def start() -> None:
        migrations.extend(cluster.start())

    return serve(cluster.suite, start, lambda: banner(config, seed_demo(config.gateway_url), migrations, log_dir))


if __name__ == "__main__":
    sys.exit(main())
