"""compose.yaml stays valid and describes the cluster: two replicas of every process, a one-shot migrate job
first, PostgreSQL and Redis used (revocations acknowledged through Redis by every auth replica and gateway),
health checks and ordered start-up, HAProxy the only public port, every replica scraped, every validator named
on its own, the stale-accept canary behind a profile and scraped by DNS (no Docker engine needed:
`docker-compose config` resolves the file)."""

from __future__ import annotations

import functools
import os
import pathlib
import shutil
import subprocess
import tempfile
import uuid

import pytest
import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from tests.postgres import SERVER_URL
from tests.support import require_service
from tools.local_secrets import prepare

REPO = pathlib.Path(__file__).resolve().parents[2]
COMPOSE = REPO / "compose.yaml"
PROMETHEUS = REPO / "deploy" / "prometheus" / "prometheus.yml"
INIT_DATABASES = REPO / "deploy" / "postgres" / "init-databases.sh"
# What `make compose-secrets` writes to ./.env; stand-ins here, recognisable in the resolved file.
PASSWORDS = {
    "POSTGRES_PASSWORD": "pw-postgres",
    "AUTH_DB_PASSWORD": "pw-auth",
    "DEVICE_DB_PASSWORD": "pw-device",
    "PARENTAL_DB_PASSWORD": "pw-parental",
    "REDIS_PASSWORD": "pw-redis",
}
PROCESSES = ("auth_service", "device_service", "parental_service", "gateway")
SERVICES = ("auth_service", "device_service", "parental_service")
APP_IMAGE = "remote-signout:0.1.0"
# Every validator of acknowledged revocation (common/validator.py): these share revocations and leases in Redis.
VALIDATORS = ("auth_service", "gateway")


def docker_compose(*args: str, passwords: dict[str, str] = PASSWORDS) -> subprocess.CompletedProcess[str]:
    if shutil.which("docker-compose") is None:
        require_service("docker-compose is not installed (apt-get install docker-compose)")
    # An empty env file: a developer's ./.env must not stand in for what the test passes (or leaves out).
    environment = {key: value for key, value in os.environ.items() if key not in PASSWORDS}
    with tempfile.TemporaryDirectory() as folder:
        empty = pathlib.Path(folder) / ".env"
        empty.touch()
        return subprocess.run(
            ["docker-compose", "--env-file", str(empty), "-f", str(COMPOSE), *args],
            cwd=REPO,
            env={**environment, **passwords},
            capture_output=True,
            text=True,
            timeout=60,
        )


@functools.cache
def resolved() -> dict:  # type: ignore[type-arg]
    """compose.yaml as docker-compose resolves it (anchors merged, variables filled in, defaults added)."""
    result = docker_compose("config")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)  # type: ignore[no-any-return]


def services() -> dict:  # type: ignore[type-arg]
    return resolved()["services"]  # type: ignore[no-any-return]


def process_of(service: dict) -> str | None:  # type: ignore[type-arg]
    """Which process of the suite a compose service runs (`python -m <process>`), if any."""
    command = service.get("command") or []
    return command[2] if command[:2] == ["python", "-m"] and command[2] in PROCESSES else None


def replicas(process: str) -> list[str]:
    return sorted(name for name, service in services().items() if process_of(service) == process)


def apps() -> list[str]:
    """Every long-running service built from the suite's image: every replica of every process."""
    return sorted(name for name, service in services().items() if process_of(service))


# Valid ------------------------------------------------------------------------------------------------


def test_compose_file_is_valid():
    result = docker_compose("config", "-q")

    assert result.returncode == 0, result.stderr


def test_no_password_has_a_default_compose_refuses_to_start_without_them():
    for missing in PASSWORDS:
        result = docker_compose("config", "-q", passwords={k: v for k, v in PASSWORDS.items() if k != missing})

        assert result.returncode != 0, missing
        assert "run make compose-secrets" in result.stderr, result.stderr


# What runs --------------------------------------------------------------------------------------------


def test_the_cluster_runs_two_replicas_of_each_process():
    assert set(services()) == {
        "postgres",
        "redis",
        "migrate",
        "auth-service-1",
        "auth-service-2",
        "device-service-1",
        "device-service-2",
        "parental-service-1",
        "parental-service-2",
        "gateway-1",
        "gateway-2",
        "haproxy",
        "canary",
        "prometheus",
        "grafana",
    }
    assert replicas("auth_service") == ["auth-service-1", "auth-service-2"]
    assert replicas("device_service") == ["device-service-1", "device-service-2"]
    assert replicas("parental_service") == ["parental-service-1", "parental-service-2"]
    assert replicas("gateway") == ["gateway-1", "gateway-2"]


def test_the_file_says_revocations_are_acknowledged_through_redis_by_every_validator():
    text_ = COMPOSE.read_text()

    assert "ONE auth-service" not in text_ and "ONE replica" not in text_
    assert "every auth_service replica and every gateway is a validator" in text_
    assert "acknowledged" in text_ and "REVOCATION_REDIS_URL" in text_


def test_every_replica_runs_the_suites_image_as_built_here_as_the_images_non_root_user():
    for name in [*apps(), "migrate", "canary"]:
        service = services()[name]
        assert service["image"] == APP_IMAGE and "build" in service, name
        assert "user" not in service, name  # the Dockerfile's uid 10001 stays
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "--uid 10001" in dockerfile and "\nUSER remotesignout\n" in dockerfile


def test_every_image_is_pinned_to_a_version():
    for name, service in services().items():
        image = service["image"]
        name_, _, tag = image.rpartition(":")
        assert name_ and tag and tag != "latest" and any(c.isdigit() for c in tag), (name, image)


# Migrations: one job, before everything --------------------------------------------------------------


def test_a_one_shot_job_migrates_the_three_databases_and_nothing_else():
    migrate = services()["migrate"]

    assert migrate["restart"] == "no"
    script = " ".join(migrate["command"])
    positions = [script.find(f"python -m {service} migrate") for service in SERVICES]
    assert all(position >= 0 for position in positions) and script.count("&&") == 2, script
    assert set(migrate["environment"]) == {"AUTH_DATABASE_URL", "DEVICE_DATABASE_URL", "PARENTAL_DATABASE_URL"}
    assert "secrets" not in migrate and "ports" not in migrate and "healthcheck" not in migrate
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}


def test_every_replica_waits_for_the_migrate_job_postgres_and_redis_and_does_not_migrate_itself():
    for name in apps():
        service = services()[name]
        depends_on = service["depends_on"]
        assert depends_on["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends_on["postgres"] == {"condition": "service_healthy"}, name
        assert depends_on["redis"] == {"condition": "service_healthy"}, name
        assert service["environment"]["MIGRATE_ON_START"] == "false", name


# Health and start-up order ----------------------------------------------------------------------------


def test_every_long_running_service_has_a_health_check():
    for name, service in services().items():
        if name == "migrate":
            continue
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in ("CMD", "CMD-SHELL"), name


def test_every_dependency_waits_for_a_condition():
    for name, service in services().items():
        for other, condition in service.get("depends_on", {}).items():
            assert condition["condition"] in ("service_healthy", "service_completed_successfully"), (name, other)


def test_gateways_wait_for_every_replica_they_call_and_haproxy_for_every_gateway():
    backends = replicas("auth_service") + replicas("device_service") + replicas("parental_service")
    for gateway in replicas("gateway"):
        depends_on = services()[gateway]["depends_on"]
        assert all(depends_on[backend] == {"condition": "service_healthy"} for backend in backends), gateway
    assert services()["haproxy"]["depends_on"] == {
        gateway: {"condition": "service_healthy"} for gateway in replicas("gateway")
    }


def test_every_grpc_replica_gets_its_certificate_and_key_as_secrets_and_checks_health_over_mtls():
    for process in SERVICES:
        prefix = process.split("_")[0].upper()
        for name in replicas(process):
            service = services()[name]
            secrets = {secret["source"] for secret in service["secrets"]}
            assert {"ca_crt", f"{process}_crt", f"{process}_key", "operator_crt", "operator_key"} <= secrets
            assert service["environment"][f"{prefix}_TLS_KEY_FILE"] == f"/run/secrets/{process}_key"
            port = service["environment"][f"{prefix}_ADDRESS"].rpartition(":")[2]
            assert service["healthcheck"]["test"] == [
                "CMD",
                "python",
                "-m",
                "common.health_probe",
                f"127.0.0.1:{port}",
                process,
            ]
    for name in replicas("auth_service"):
        assert {"signing_keys", "refresh_token_key"} <= {s["source"] for s in services()[name]["secrets"]}
    for name in replicas("parental_service"):
        assert "pin_pepper" in {s["source"] for s in services()[name]["secrets"]}


# Who talks to whom ------------------------------------------------------------------------------------


def test_clients_address_every_replica_of_the_service_they_call():
    expected = {
        "AUTH_ADDRESS": ("auth_service", "50051"),
        "DEVICE_ADDRESS": ("device_service", "50052"),
        "PARENTAL_ADDRESS": ("parental_service", "50053"),
    }
    for name in apps():
        environment = services()[name]["environment"]
        for variable, (process, port) in expected.items():
            if process_of(services()[name]) == process:
                assert environment[variable] == f"0.0.0.0:{port}", name  # its own listening address
            else:
                assert environment[variable] == ",".join(f"{r}:{port}" for r in replicas(process)), (name, variable)


def test_each_service_uses_its_own_postgresql_database_and_role_and_redis_where_it_shares_state():
    for process in SERVICES:
        variable = f"{process.split('_')[0].upper()}_DATABASE_URL"
        password = PASSWORDS[f"{process.split('_')[0].upper()}_DB_PASSWORD"]
        url = f"postgresql+psycopg2://{process}:{password}@postgres:5432/{process}"
        for name in [*replicas(process), "migrate"]:
            assert services()[name]["environment"][variable] == url, (name, variable)
    for name in replicas("gateway"):
        assert not any(key.endswith("_DATABASE_URL") for key in services()[name]["environment"]), name
    for name in replicas("auth_service"):
        assert services()[name]["environment"]["AUTH_THROTTLE_REDIS_URL"] == "redis://:pw-redis@redis:6379/0"
    for name in replicas("parental_service"):
        assert services()[name]["environment"]["PARENTAL_REDIS_URL"] == "redis://:pw-redis@redis:6379/1"
    databases = services()["postgres"]["environment"]["SERVICE_DATABASES"].split()
    assert databases == [
        f"{process}:{PASSWORDS[process.split('_')[0].upper() + '_DB_PASSWORD']}" for process in SERVICES
    ]
    assert str(INIT_DATABASES.relative_to(REPO)) in " ".join(services()["postgres"]["volumes"])


def test_every_auth_replica_and_gateway_shares_revocations_in_a_redis_database_of_their_own():
    """Each validator acknowledges each revocation through Redis before the answer: all of them, one URL."""
    validators = [name for process in VALIDATORS for name in replicas(process)]
    assert len(replicas("auth_service")) == 2 and len(replicas("gateway")) == 2
    for name in validators:
        environment = services()[name]["environment"]
        assert environment["REVOCATION_REDIS_URL"] == "redis://:pw-redis@redis:6379/2", name
        assert environment.get("REVOCATION_REDIS_PREFIX", "remotesignout:revocations:").endswith(":"), name
    prefixes = {services()[name]["environment"].get("REVOCATION_REDIS_PREFIX") for name in validators}
    assert len(prefixes) == 1, prefixes  # one prefix: one set of leases every revoker waits for
    for name in [*replicas("device_service"), *replicas("parental_service")]:
        assert "REVOCATION_REDIS_URL" not in services()[name]["environment"], name  # not validators
    other_databases = {
        services()[name]["environment"][variable].rpartition("/")[2]
        for name in apps()
        for variable in ("AUTH_THROTTLE_REDIS_URL", "PARENTAL_REDIS_URL")
        if variable in services()[name]["environment"]
    }
    assert other_databases == {"0", "1"}  # the throttle's and the playback-stop bus's: not db 2


def test_the_init_script_gives_each_service_a_database_only_its_role_can_reach(tmp_path):
    """deploy/postgres/init-databases.sh against the PostgreSQL at 127.0.0.1:5432 (as the image would run it)."""
    if shutil.which("psql") is None:
        require_service("psql is not installed (apt-get install postgresql-client)")
    server = make_url(SERVER_URL)
    names = [f"compose_{uuid.uuid4().hex[:8]}_{service}" for service in ("auth", "device")]
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect():
            pass
    except OperationalError as error:
        require_service(f"PostgreSQL at {SERVER_URL} is not reachable: {error.orig}")
    environment = {
        **os.environ,
        "SERVICE_DATABASES": " ".join(f"{name}:pw-{name}" for name in names),
        "POSTGRES_USER": server.username or "postgres",
        "PGHOST": server.host or "127.0.0.1",
        "PGPORT": str(server.port or 5432),
    }
    try:
        result = subprocess.run(
            ["sh", str(INIT_DATABASES)], env=environment, capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == 0, result.stderr
        with admin.connect() as db:
            owners = dict(
                db.execute(
                    text("SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datname = ANY(:names)"),
                    {"names": names},
                ).all()
            )
        assert owners == {name: name for name in names}
        own = create_engine(server.set(username=names[1], database=names[1]))
        other = create_engine(server.set(username=names[1], database=names[0]))
        with own.connect() as db:
            db.execute(text("CREATE TABLE devices (id int)"))  # the migrate job creates tables as the owner
        with pytest.raises(OperationalError, match="CONNECT privilege"), other.connect():
            pass
        own.dispose()
        other.dispose()
    finally:
        with admin.connect() as db:
            for name in names:
                db.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                db.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        admin.dispose()


# The edge and the operators' view ---------------------------------------------------------------------


def test_only_haproxy_is_published_and_operator_tools_listen_on_this_host_only():
    published = {name: service["ports"] for name, service in services().items() if service.get("ports")}

    assert set(published) == {"haproxy", "prometheus", "grafana"}
    assert published["haproxy"] == [{"published": 8080, "target": 8080}]  # every interface: the public port
    for name in ("prometheus", "grafana"):  # docker-compose 1.29 prints these as "127.0.0.1:9090:9090/tcp"
        assert all(str(port).startswith("127.0.0.1:") for port in published[name]), name


def test_haproxy_runs_the_checked_configuration_and_is_the_one_proxy_the_gateways_believe():
    haproxy = services()["haproxy"]

    assert haproxy["volumes"] == [f"{REPO}/deploy/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"]
    address = haproxy["networks"]["default"]["ipv4_address"]
    for gateway in replicas("gateway"):
        assert services()[gateway]["environment"]["GATEWAY_TRUSTED_PROXIES"] == address


def test_no_demo_oauth_client_and_grafanas_password_is_a_secret():
    for name in replicas("gateway"):
        gateway = services()[name]["environment"]
        assert "GATEWAY_OAUTH_CLIENTS" not in gateway and "GATEWAY_DEMO_MODE" not in gateway
        assert gateway["GATEWAY_OAUTH_CLIENTS_FILE"] == "/run/secrets/oauth_clients"
    grafana = services()["grafana"]["environment"]
    assert grafana == {"GF_SECURITY_ADMIN_PASSWORD__FILE": "/run/secrets/grafana_admin_password"}


def test_prometheus_scrapes_every_replica_on_its_own_and_haproxy():
    config = yaml.safe_load(PROMETHEUS.read_text())
    targets = {
        target
        for job in config["scrape_configs"]
        for static in job.get("static_configs", [])
        for target in static["targets"]
    }

    expected = {"haproxy:8404"}
    for name in apps():
        environment = services()[name]["environment"]
        port = next((value for key, value in environment.items() if key.endswith("_METRICS_PORT")), None)
        expected.add(f"{name}:{port or environment['GATEWAY_ADDRESS'].rpartition(':')[2]}")
        assert str(port or 8080) in services()[name]["expose"], name
    assert targets == expected


def test_promtool_accepts_the_scrape_configuration():
    if shutil.which("promtool") is None:
        require_service("promtool is not installed (apt-get install prometheus)")
    result = subprocess.run(["promtool", "check", "config", str(PROMETHEUS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_prometheus_loads_the_rule_files_compose_mounts_beside_its_configuration():
    config = yaml.safe_load(PROMETHEUS.read_text())
    volumes = services()["prometheus"]["volumes"]

    assert config["rule_files"] == ["recording.rules.yml", "alerts.rules.yml"]
    for name in ["prometheus.yml", *config["rule_files"]]:
        assert f"{REPO}/deploy/prometheus/{name}:/etc/prometheus/{name}:ro" in volumes, name


def test_grafana_provisions_the_dashboards_from_the_folder_compose_mounts():
    volumes = services()["grafana"]["volumes"]
    provider_file = REPO / "deploy" / "grafana" / "provisioning" / "dashboards" / "remotesignout.yml"
    (provider,) = yaml.safe_load(provider_file.read_text())["providers"]

    assert f"{REPO}/deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in volumes  # holds provider_file
    assert provider["type"] == "file" and provider["allowUiUpdates"] is False
    assert f"{REPO}/deploy/grafana/dashboards:{provider['options']['path']}:ro" in volumes
    dashboards = sorted(path.name for path in (REPO / "deploy" / "grafana" / "dashboards").glob("*.json"))
    assert dashboards == ["edge.json", "revocation.json", "services.json"]


# Validators' names -------------------------------------------------------------------------------------


def test_every_validator_replica_has_a_distinct_validator_name_its_service_name():
    """auth_service's per-validator series (validator_ack_seconds, validator_lease_expirations_total) are labelled
    with each validator's VALIDATOR_NAME: one name shared by two replicas would merge them."""
    validators = [name for process in VALIDATORS for name in replicas(process)]
    names = {name: services()[name]["environment"].get("VALIDATOR_NAME") for name in validators}

    assert names == {name: name for name in validators}
    assert len(set(names.values())) == len(validators) == 4
    for name in [*replicas("device_service"), *replicas("parental_service")]:
        assert "VALIDATOR_NAME" not in services()[name]["environment"], name  # not validators


def test_replicas_of_a_process_differ_in_their_validator_name_only():
    """The per-replica environment extends the shared one (its own anchor): nothing else is lost or changed."""
    for process in PROCESSES:
        environments = [
            {key: value for key, value in services()[name]["environment"].items() if key != "VALIDATOR_NAME"}
            for name in replicas(process)
        ]
        assert len(environments) == 2 and environments[0] == environments[1], process


# The stale-accept canary --------------------------------------------------------------------------------


def canary() -> dict:  # type: ignore[type-arg]
    return services()["canary"]  # type: ignore[no-any-return]


def test_the_canary_runs_from_the_suites_image_only_under_its_profile():
    assert canary()["command"] == ["python", "-m", "canary"]
    assert canary()["profiles"] == ["canary"]  # off unless `docker compose --profile canary up`
    assert canary()["restart"] == "unless-stopped"
    for name, service in services().items():
        if name != "canary":
            assert "profiles" not in service, name  # everything else runs by default


def test_the_canary_signs_in_through_haproxy_and_probes_each_gateway_on_its_own_address():
    environment = canary()["environment"]
    gateways = replicas("gateway")
    port = services()[gateways[0]]["environment"]["GATEWAY_ADDRESS"].rpartition(":")[2]

    assert environment["CANARY_API_URL"] == "http://haproxy:8080"
    assert environment["CANARY_VALIDATOR_URLS"] == ",".join(f"{g}=http://{g}:{port}" for g in gateways)
    assert canary()["depends_on"] == {"haproxy": {"condition": "service_healthy"}}


def test_the_canary_password_is_a_secret_make_compose_secrets_creates(tmp_path):
    assert canary()["environment"]["CANARY_PASSWORD_FILE"] == "/run/secrets/canary_password"
    assert [secret["source"] for secret in canary()["secrets"]] == ["canary_password"]
    declared = resolved()["secrets"]["canary_password"]["file"]
    assert declared == f"{REPO}/secrets/canary_password"
    # `make compose-secrets` runs `python -m tools.local_secrets secrets`, which keeps existing files.
    assert "tools.local_secrets secrets" in (REPO / "Makefile").read_text()
    assert (prepare(tmp_path / "secrets") / "canary_password").is_file()


def test_the_canary_serves_metrics_on_the_network_and_checks_its_health():
    environment = canary()["environment"]
    port = environment["CANARY_METRICS_PORT"]

    assert port == "9104" and environment["METRICS_HOST"] == "0.0.0.0"
    assert canary()["expose"] == [port] and "ports" not in canary()
    assert f"http://127.0.0.1:{port}/metrics" in " ".join(canary()["healthcheck"]["test"])


def test_prometheus_finds_the_canary_by_dns_so_scrapes_it_exactly_when_its_profile_runs():
    config = yaml.safe_load(PROMETHEUS.read_text())
    (job,) = [job for job in config["scrape_configs"] if job["job_name"] == "canary"]

    assert "static_configs" not in job  # a static target would be down (CanaryAbsent) without the profile
    assert job["dns_sd_configs"] == [
        {
            "names": ["canary"],
            "type": "A",
            "port": int(canary()["environment"]["CANARY_METRICS_PORT"]),
            "refresh_interval": "30s",
        }
    ]
