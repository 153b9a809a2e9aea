"""deploy/grafana: the dashboard JSON and its provisioning."""

import json
import re
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.tools import DEPLOY, run_tool

GRAFANA = DEPLOY / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "devoured.json"

# What the operators asked to see, each matched against panel titles.
REQUIRED_PANELS = (
    "Throughput per stage",
    "Consumer lag",
    "Handler latency p50 / p95",
    "Handler errors",
    "Dead letters",
    "Fetch HTTP status mix",
    "Fetch outcomes",
    "Extraction outcomes and skips",
    "Extraction skips by reason",
    "Summarizer tokens",
    "Summarizer cost (24 h)",
    "Editions published",
)


def _panels() -> list[dict[str, Any]]:
    panels: list[dict[str, Any]] = json.loads(DASHBOARD.read_text())["panels"]
    return panels


def dashboard_exprs() -> list[str]:
    return [t["expr"] for p in _panels() for t in p.get("targets", [])]


def test_dashboard_is_well_formed() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] == "devoured-pipeline"
    panels = _panels()
    ids = [p["id"] for p in panels]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    titles = {p["title"] for p in panels}
    assert [t for t in REQUIRED_PANELS if t not in titles] == []
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    cells: set[tuple[int, int]] = set()
    for panel in panels:
        pos = panel["gridPos"]
        assert pos["x"] + pos["w"] <= 24, panel["title"]
        area = {
            (x, y)
            for x in range(pos["x"], pos["x"] + pos["w"])
            for y in range(pos["y"], pos["y"] + pos["h"])
        }
        assert not area & cells, f"{panel['title']} overlaps another panel"
        cells |= area
        if panel["type"] == "row":
            continue
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            uid = target["datasource"]["uid"]
            assert uid.strip("${}") in variables, f"{panel['title']}: unknown data source {uid}"


def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    """promtool parses each query, as a recording rule (Grafana's range variables filled in)."""
    rules = [
        {
            "record": f"devoured:panel_query_{n}",
            "expr": re.sub(r"\$__(rate_interval|interval|range)", "5m", e),
        }
        for n, e in enumerate(dashboard_exprs())
    ]
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    done = run_tool("promtool", "check", "rules", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"SUCCESS: {len(rules)} rules found" in done.stdout


def test_provisioning_points_at_the_dashboard_and_the_compose_prometheus() -> None:
    provider = yaml.safe_load((GRAFANA / "provisioning/dashboards/devoured.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
    source = yaml.safe_load((GRAFANA / "provisioning/datasources/prometheus.yml").read_text())
    assert source["datasources"][0]["url"] == "http://prometheus:9090"
    assert source["datasources"][0]["type"] == "prometheus"
