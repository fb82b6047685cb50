"""Where the stale-accept canary runs: `make run` and `make cluster` start it (`python -m canary`, a shipped
package) and print its metrics URL; in a cluster it signs in through HAProxy and probes each gateway directly;
compose.yaml runs the same module from the suite's image under the `canary` profile (tests/tooling/test_compose.py
checks the rest of that service)."""

from __future__ import annotations

import pathlib

import yaml

from tools import run_cluster, run_suite
from tools.cluster import ClusterConfig
from tools.demo import DemoAccount
from tools.supervisor import SuiteConfig, standard_children

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_make_run_starts_the_canary_against_the_gateway_and_prints_its_metrics_url(monkeypatch):
    monkeypatch.delenv("CANARY_METRICS_PORT", raising=False)
    config = run_suite.config_from_env()
    canary = [child for child in standard_children(config) if child.name == "canary"]
    assert [child.argv[1:] for child in canary] == [["-m", "canary"]]
    assert canary[0].env["CANARY_API_URL"] == config.gateway_url
    text = run_suite.banner(config, DemoAccount(), config.data_dir / "logs")
    assert "http://127.0.0.1:9104/metrics" in text and "canary_stale_accepts_total" in text


def test_the_canary_is_off_when_its_port_is_0_and_in_the_tests_suites(monkeypatch):
    monkeypatch.setenv("CANARY_METRICS_PORT", "0")
    assert "canary" not in {child.name for child in standard_children(run_suite.config_from_env())}
    assert "canary" not in {child.name for child in standard_children(SuiteConfig.on_free_ports(REPO / "unused"))}


def test_make_cluster_signs_in_through_haproxy_and_probes_every_gateway_directly(monkeypatch):
    monkeypatch.delenv("CANARY_METRICS_PORT", raising=False)
    config = run_cluster.config_from_env()
    canary = next(child for child in config.children(python="python") if child.name == "canary")
    assert canary.argv[1:] == ["-m", "canary"]
    assert canary.env["CANARY_API_URL"] == config.gateway_url == "http://127.0.0.1:8080"
    assert canary.env["CANARY_VALIDATOR_URLS"] == "gateway-1=http://127.0.0.1:8081,gateway-2=http://127.0.0.1:8082"
    assert config.metrics_urls()["canary"] == "http://127.0.0.1:9104/metrics"
    assert "http://127.0.0.1:9104/metrics" in run_cluster.banner(config, DemoAccount(), [], config.data_dir / "logs")
    assert "canary" not in {child.name for child in ClusterConfig.on_free_ports(REPO / "unused").children("python")}


def test_compose_runs_the_same_module_from_the_image_only_under_its_profile():
    canary = yaml.safe_load((REPO / "compose.yaml").read_text())["services"]["canary"]
    assert canary["command"] == ["python", "-m", "canary"]
    assert canary["profiles"] == ["canary"]
    assert not (REPO / "tools" / "canary.py").exists()  # one canary: the shipped package
