"""compose.yaml stays valid and describes the whole stack (no Docker engine needed)."""

from __future__ import annotations

import pathlib
import shutil
import subprocess

import yaml

from tests.support import require_service

REPO = pathlib.Path(__file__).resolve().parents[2]
COMPOSE = REPO / "compose.yaml"


def docker_compose(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("docker-compose") is None:
        require_service("docker-compose is not installed (apt-get install docker-compose)")
    return subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_compose_file_is_valid():
    result = docker_compose("config", "-q")

    assert result.returncode == 0, result.stderr


def test_compose_describes_the_four_processes_and_their_infrastructure():
    result = docker_compose("config", "--services")

    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {
        "auth-service",
        "device-service",
        "parental-service",
        "gateway",
        "postgres",
        "redis",
        "prometheus",
        "grafana",
    }


def test_prometheus_scrapes_every_metrics_endpoint_of_the_compose_services():
    config = (REPO / "deploy" / "prometheus" / "prometheus.yml").read_text()

    for target in ("auth-service:9101", "device-service:9102", "parental-service:9103", "gateway:8080"):
        assert f'"{target}"' in config


def resolved() -> dict:  # type: ignore[type-arg]
    """compose.yaml as docker-compose resolves it (anchors merged, defaults filled in)."""
    result = docker_compose("config")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)  # type: ignore[no-any-return]


def test_only_the_gateway_is_published_and_operator_tools_listen_on_this_host_only():
    services = resolved()["services"]
    published = {name: service.get("ports", []) for name, service in services.items() if service.get("ports")}

    assert set(published) == {"gateway", "prometheus", "grafana"}
    assert [str(port.get("published")) for port in published["gateway"]] == ["8080"]
    for name in ("prometheus", "grafana"):  # docker-compose 1.29 prints these as "127.0.0.1:9090:9090/tcp"
        assert all(str(port).startswith("127.0.0.1:") for port in published[name]), name


def test_every_grpc_service_gets_its_certificate_and_key_as_secrets_and_checks_health_over_mtls():
    services = resolved()["services"]
    for name, process in (
        ("auth-service", "auth_service"),
        ("device-service", "device_service"),
        ("parental-service", "parental_service"),
    ):
        secrets = {secret["source"] for secret in services[name]["secrets"]}
        assert {"ca_crt", f"{process}_crt", f"{process}_key", "operator_crt", "operator_key"} <= secrets
        environment = services[name]["environment"]
        prefix = process.split("_")[0].upper()
        assert environment[f"{prefix}_TLS_KEY_FILE"] == f"/run/secrets/{process}_key"
        assert services[name]["healthcheck"]["test"][1:4] == ["python", "-m", "common.health_probe"]
    assert {"signing_keys", "refresh_token_key"} <= {s["source"] for s in services["auth-service"]["secrets"]}
    assert "pin_pepper" in {s["source"] for s in services["parental-service"]["secrets"]}


def test_no_demo_oauth_client_and_grafanas_password_is_a_secret():
    services = resolved()["services"]
    gateway = services["gateway"]["environment"]

    assert "GATEWAY_OAUTH_CLIENTS" not in gateway and "GATEWAY_DEMO_MODE" not in gateway
    assert gateway["GATEWAY_OAUTH_CLIENTS_FILE"] == "/run/secrets/oauth_clients"
    grafana = services["grafana"]["environment"]
    assert grafana == {"GF_SECURITY_ADMIN_PASSWORD__FILE": "/run/secrets/grafana_admin_password"}


def test_every_image_is_pinned_to_a_version():
    for name, service in resolved()["services"].items():
        image = service["image"]
        assert ":" in image and not image.endswith(":latest"), (name, image)
