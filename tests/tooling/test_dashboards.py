"""The Grafana dashboards in deploy/grafana/dashboards/ are what tools/dashboards.py makes, and well formed:
every panel has a query on the provisioned data source, panels do not overlap on the grid, and every
recorded series a panel reads is one deploy/prometheus/recording.rules.yml records. (That each query runs
and the core panels show data: tests/e2e/test_dashboards.py, against a real Prometheus.)"""

from __future__ import annotations

import json
import pathlib
import re

import pytest
import yaml

from tools import dashboards

REPO = pathlib.Path(__file__).resolve().parents[2]
FOLDER = REPO / "deploy" / "grafana" / "dashboards"
RECORDING_RULES = REPO / "deploy" / "prometheus" / "recording.rules.yml"
RECORDED = re.compile(r"\b[a-z_]+:[a-z0-9_]+:[a-z0-9_]+\b")


def committed() -> dict[str, dict]:  # type: ignore[type-arg]
    return {path.name: json.loads(path.read_text()) for path in sorted(FOLDER.glob("*.json"))}


def test_the_committed_dashboards_are_what_the_generator_makes():
    assert sorted(committed()) == sorted(dashboard.file_name for dashboard in dashboards.DASHBOARDS)
    for dashboard in dashboards.DASHBOARDS:
        assert (FOLDER / dashboard.file_name).read_text() == dashboards.text(dashboard), (
            f"{dashboard.file_name} is stale: run python -m tools.dashboards"
        )
    assert dashboards.main(["--check"]) == 0


def test_the_check_mode_notices_a_hand_edited_file(tmp_path, monkeypatch):
    monkeypatch.setattr(dashboards, "OUTPUT", tmp_path)
    assert dashboards.main([]) == 0
    edited = tmp_path / dashboards.EDGE.file_name
    edited.write_text(edited.read_text().replace("Open event streams", "Open streams"))

    assert dashboards.main(["--check"]) == 1


def test_three_dashboards_with_their_own_uids_and_titles():
    found = {data["uid"]: data["title"] for data in committed().values()}

    assert found == {
        "remotesignout-revocation": "remote-signout / Revocation",
        "remotesignout-services": "remote-signout / Services",
        "remotesignout-edge": "remote-signout / Edge",
    }


@pytest.mark.parametrize("name", sorted(committed()))
def test_every_panel_queries_the_provisioned_prometheus(name):
    data = committed()[name]
    variables = {variable["name"]: variable for variable in data["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    panels = [panel for panel in data["panels"] if panel["type"] != "row"]
    assert panels
    assert len({panel["id"] for panel in data["panels"]}) == len(data["panels"])
    for panel in panels:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["expr"].strip() and target["datasource"] == panel["datasource"], panel["title"]
        used = {match.group(1) for target in panel["targets"] for match in re.finditer(r"\$(\w+)", target["expr"])}
        assert used <= set(variables) | {"__rate_interval"}, (panel["title"], used)


@pytest.mark.parametrize("name", sorted(committed()))
def test_panels_stay_on_the_grid_and_do_not_overlap(name):
    taken: set[tuple[int, int]] = set()
    for panel in committed()[name]["panels"]:
        grid = panel["gridPos"]
        assert grid["x"] >= 0 and grid["x"] + grid["w"] <= 24, panel["title"]
        cells = {
            (x, y) for x in range(grid["x"], grid["x"] + grid["w"]) for y in range(grid["y"], grid["y"] + grid["h"])
        }
        assert not cells & taken, panel["title"]
        taken |= cells


def test_every_recorded_series_a_panel_reads_is_recorded():
    recorded = {
        rule["record"]
        for group in yaml.safe_load(RECORDING_RULES.read_text())["groups"]
        for rule in group["rules"]
        if "record" in rule
    }
    for name, data in committed().items():
        for panel in data["panels"]:
            for target in panel.get("targets", []):
                for series in RECORDED.findall(target["expr"]):
                    assert series in recorded, (name, panel["title"], series)
