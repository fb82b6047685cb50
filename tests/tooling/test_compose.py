"""compose.yaml stays valid and describes the whole stack (no Docker engine needed)."""

from __future__ import annotations

import pathlib
import shutil
import subprocess

from tests.support import require_service

REPO = pathlib.Path(__file__).resolve().parents[2]
COMPOSE = REPO / "compose.yaml"


def docker_compose(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("docker-compose") is None:
        require_service("docker-compose is not installed (apt-get install docker-compose)")
    return subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), *args],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )


def test_compose_file_is_valid():
    result = docker_compose("config", "-q")

    assert result.returncode == 0, result.stderr


def test_compose_describes_the_four_processes_and_their_infrastructure():
    result = docker_compose("config", "--services")

    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {
        "auth-service", "device-service", "parental-service", "gateway",
        "postgres", "redis", "prometheus", "grafana",
    }


def test_prometheus_scrapes_every_metrics_endpoint_of_the_compose_services():
    config = (REPO / "deploy" / "prometheus" / "prometheus.yml").read_text()

    for target in ("auth-service:9101", "device-service:9102", "parental-service:9103", "gateway:8080"):
        assert f'"{target}"' in config
