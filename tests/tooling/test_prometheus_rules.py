"""The Prometheus rules in deploy/prometheus/ are valid (`promtool check rules`), pass their unit tests
(`promtool test rules deploy/prometheus/tests/*.yml`), and keep their promises: every alert has a case that
fires and one that does not, a severity and a runbook section; burn-rate alerts use the SRE workbook's
windows and factors; errors are the agreed gRPC codes; recorded series are named level:metric:operations.

Debian's promtool (2.42, package prometheus) runs them; missing, the test is skipped (failed under CI=true).
"""

from __future__ import annotations

import pathlib
import re
import shutil
import subprocess

import pytest
import yaml

from common.metrics import LATENCY_BUCKETS
from tests.support import require_service
from tools.dashboards import SERVER_ERROR_CODES

REPO = pathlib.Path(__file__).resolve().parents[2]
RULES_DIR = REPO / "deploy" / "prometheus"
RULE_FILES = (RULES_DIR / "recording.rules.yml", RULES_DIR / "alerts.rules.yml")
UNIT_TESTS = sorted((RULES_DIR / "tests").glob("*.yml"))
RUNBOOK = REPO / "docs" / "runbook.md"
ERROR_CODES = {"UNKNOWN", "INTERNAL", "UNAVAILABLE", "DEADLINE_EXCEEDED", "DATA_LOSS", "UNIMPLEMENTED"}
"""The gRPC codes the error-ratio SLO counts as server errors (every other code is the system working)."""
WORKBOOK = {("1h", "5m", 14.4, "page"), ("6h", "30m", 6.0, "page"), ("3d", "6h", 1.0, "ticket")}
"""Google SRE workbook, "Alerting on SLOs", table 5-8: long window, short window, burn rate, severity."""
SLOS = ("sign_out_latency", "server_errors")


def promtool(*args: str, cwd: pathlib.Path = RULES_DIR) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("promtool")
    if binary is None:
        require_service("promtool is not installed (apt-get install prometheus)")
    return subprocess.run([str(binary), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def rules(path: pathlib.Path) -> list[dict]:  # type: ignore[type-arg]
    return [rule for group in yaml.safe_load(path.read_text())["groups"] for rule in group["rules"]]


def alerts() -> list[dict]:  # type: ignore[type-arg]
    return rules(RULE_FILES[1])


def records() -> list[dict]:  # type: ignore[type-arg]
    return rules(RULE_FILES[0])


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


# promtool -----------------------------------------------------------------------------------------------


def test_promtool_accepts_the_rule_files():
    result = promtool("check", "rules", *(path.name for path in RULE_FILES))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_the_rules_pass_their_unit_tests():
    assert {path.name for path in UNIT_TESTS} == {"recording.test.yml", "alerts.test.yml"}

    result = promtool("test", "rules", *(str(path) for path in UNIT_TESTS))

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_unit_tests_fail_when_a_rule_counts_a_caller_mistake_as_an_error(tmp_path):
    """The unit tests can fail: NOT_FOUND counted as a server error makes them fail."""
    copy = tmp_path / "prometheus"
    shutil.copytree(RULES_DIR, copy)
    for path in (copy / "recording.rules.yml", copy / "alerts.rules.yml"):
        path.write_text(path.read_text().replace("UNKNOWN|INTERNAL|", "UNKNOWN|NOT_FOUND|INTERNAL|"))

    result = promtool("test", "rules", *(str(path) for path in sorted((copy / "tests").glob("*.yml"))), cwd=copy)

    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr


def test_prometheus_yml_loads_both_rule_files():
    config = yaml.safe_load((RULES_DIR / "prometheus.yml").read_text())

    assert config["rule_files"] == [path.name for path in RULE_FILES]


# Alerts -------------------------------------------------------------------------------------------------


def test_every_alert_says_how_urgent_it_is_what_happened_and_where_its_runbook_section_is():
    headings = {github_anchor(line.lstrip("#")) for line in RUNBOOK.read_text().splitlines() if line.startswith("## ")}
    for alert in alerts():
        name = alert["alert"]
        assert alert["labels"]["severity"] in ("page", "ticket"), name
        annotations = alert["annotations"]
        assert annotations["summary"] and annotations["description"], name
        assert annotations["runbook_url"] == f"docs/runbook.md#{name.lower()}", name
        assert name.lower() in headings, f"docs/runbook.md has no section '## {name}'"


def test_every_alert_has_a_unit_test_where_it_fires_and_one_where_it_does_not():
    cases = [
        case
        for test in yaml.safe_load((RULES_DIR / "tests" / "alerts.test.yml").read_text())["tests"]
        for case in test.get("alert_rule_test", [])
    ]
    for alert in alerts():
        name = alert["alert"]
        own = [case for case in cases if case["alertname"] == name]
        fired = [expected["exp_labels"] for case in own for expected in case["exp_alerts"]]
        assert any(not case["exp_alerts"] for case in own), f"{name}: no case where it stays quiet"
        # Each rule of the name (the burn-rate alerts have one per window pair) fires in some case.
        assert any(alert["labels"].items() <= labels.items() for labels in fired), (name, alert["labels"])


@pytest.mark.parametrize("slo", SLOS)
def test_burn_rate_alerts_use_the_workbooks_windows_and_factors(slo):
    found = set()
    for alert in alerts():
        if alert["labels"].get("slo") != slo:
            continue
        terms = re.findall(rf"slo:{slo}:error_ratio_rate(\w+) > \(?([\d.]+)(?: \* 0\.001\))?", alert["expr"])
        assert len(terms) == 2, alert["expr"]
        (long, threshold), (short, threshold_short) = terms
        assert threshold == threshold_short, alert["expr"]
        factor = round(float(threshold) / 0.001, 6) if "*" not in alert["expr"] else float(threshold)
        assert (alert["labels"]["long"], alert["labels"]["short"]) == (long, short)
        found.add((long, short, factor, alert["labels"]["severity"]))

    assert found == WORKBOOK


def test_the_recorded_windows_exist_for_every_burn_rate_alert():
    recorded = {rule["record"] for rule in records()}
    for alert in alerts():
        for name in re.findall(r"slo:\w+:error_ratio_rate\w+", alert["expr"]):
            assert name in recorded, name


# Recording rules ----------------------------------------------------------------------------------------


def test_recorded_series_are_named_level_metric_operations():
    names = [rule["record"] for rule in records()]

    assert len(names) == len(set(names))
    for name in names:
        level, metric, operations = name.split(":")
        assert re.fullmatch(r"[a-z][a-z_]*", level) and re.fullmatch(r"[a-z][a-z0-9_]*", metric), name
        assert re.fullmatch(r"[a-z0-9_]+", operations) and not metric.endswith("_total"), name
        expr = next(rule["expr"] for rule in records() if rule["record"] == name)
        kept = re.search(r"\bby \(([^)]*)\)", expr)
        if level != "slo" and kept:  # "slo": the SLO's own level, as the workbook names it
            labels = [label.strip() for label in kept.group(1).split(",")]
            if "histogram_quantile" in expr:
                labels.remove("le")  # the quantile's input is per bucket, its output is not
            assert level == "_".join(labels), name


def test_server_errors_are_the_agreed_grpc_codes_everywhere():
    texts = [path.read_text() for path in RULE_FILES]
    regexes = {match for text in texts for match in re.findall(r'grpc_code=~"([A-Z_|]+)"', text)}

    assert regexes and all(set(regex.split("|")) == ERROR_CODES for regex in regexes), regexes
    assert set(SERVER_ERROR_CODES.split("|")) == ERROR_CODES


def test_the_latency_slo_threshold_is_a_bucket_boundary():
    text = RULE_FILES[0].read_text()

    assert 0.25 in LATENCY_BUCKETS
    assert set(re.findall(r'remotesignout_sign_out_duration_seconds_bucket\{le="([^"]+)"\}', text)) == {"0.25"}
