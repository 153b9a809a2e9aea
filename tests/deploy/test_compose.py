"""docker-compose.yml against the Compose specification's JSON schema, plus what it promises."""

import re
from pathlib import Path
from typing import Any

import yaml

from devoured_infra import registry
from devoured_infra.kafka import ShutdownSettings
from tests.deploy.tools import ROOT, run_tool

COMPOSE = ROOT / "docker-compose.yml"
STAGES = registry.names()


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def test_compose_file_matches_the_compose_schema() -> None:
    done = run_tool("check-jsonschema", "--builtin-schema", "vendor.compose-spec", str(COMPOSE))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_rejects_an_unknown_key(tmp_path: Path) -> None:
    bad = tmp_path / "compose.yml"
    bad.write_text(COMPOSE.read_text().replace("restart: unless-stopped", "restrat: always", 1))
    done = run_tool("check-jsonschema", "--builtin-schema", "vendor.compose-spec", str(bad))
    assert done.returncode != 0
    assert "restrat" in done.stdout


def test_every_stage_is_scalable_and_drains_on_stop() -> None:
    services = _compose()["services"]
    grace = ShutdownSettings().shutdown_grace_s
    for stage in STAGES:
        service = services[stage]
        assert service["build"]["args"]["SERVICE"] == stage
        # A fixed host port would make `--scale` fail on the second replica.
        assert "ports" not in service, f"{stage} publishes a host port"
        assert "container_name" not in service
        stop = re.fullmatch(r"(\d+)s", service["stop_grace_period"])
        assert stop is not None
        # HTTP drain (20 s) plus the consumer's grace must fit before Docker's SIGKILL.
        assert int(stop.group(1)) > 20 + grace, stage
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_job_uses_the_cli_image_and_provisions_topics() -> None:
    migrate = _compose()["services"]["migrate"]
    assert migrate["build"]["args"]["SERVICE"] == "cli"
    assert "devoured migrate" in " ".join(migrate["command"])
    assert "devoured topics ensure" in " ".join(migrate["command"])


def test_kafka_is_kraft_on_the_official_image() -> None:
    kafka = _compose()["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"


def test_every_bind_mount_exists_and_prometheus_scrapes_every_stage() -> None:
    services = _compose()["services"]
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"
    prometheus = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    names = {
        n
        for job in prometheus["scrape_configs"]
        for sd in job.get("dns_sd_configs", [])
        for n in sd["names"]
    }
    assert names == set(STAGES)
    assert "rule_files" in prometheus
    grafana = services["grafana"]
    assert any("deploy/grafana/provisioning" in v for v in grafana["volumes"])
    assert any("deploy/grafana/dashboards" in v for v in grafana["volumes"])
