"""deploy/k8s: every overlay renders with kustomize and validates against the Kubernetes
schemas (kubernetes-validate, strict) and, for the custom resources, against the schemas in
crd_schemas/; then what the manifests promise is checked on the rendered objects."""

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from devoured_infra import registry
from devoured_infra.kafka import ShutdownSettings
from devoured_infra.lag import group_id
from devoured_infra.settings import Settings
from tests.deploy.tools import DEPLOY, kustomize_build, render, run_tool

K8S = DEPLOY / "k8s"
BUILDS = {"base": K8S / "base", "dev": K8S / "overlays/dev", "prod": K8S / "overlays/prod"}
CRD_SCHEMAS = Path(__file__).parent / "crd_schemas"
CUSTOM_KINDS = {"ScaledObject", "ServiceMonitor", "PrometheusRule"}


def _by_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_rendered_objects_validate_against_kubernetes_schemas(build: str, tmp_path: Path) -> None:
    rendered = tmp_path / f"{build}.yaml"
    rendered.write_text(render(BUILDS[build]))
    done = run_tool("kubernetes-validate", "--strict", str(rendered))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ERROR" not in done.stdout
    # Only the custom resources may lack a built-in schema; they are checked below.
    for line in done.stdout.splitlines():
        if "Couldn't find schema" in line:
            assert any(f"kind {kind} " in line for kind in CUSTOM_KINDS), line


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_custom_resources_validate_against_their_crd_schemas(build: str, tmp_path: Path) -> None:
    docs = [d for d in kustomize_build(BUILDS[build]) if d["kind"] in CUSTOM_KINDS]
    assert docs
    for n, doc in enumerate(docs):
        instance = tmp_path / f"{n}-{doc['kind']}.json"
        instance.write_text(json.dumps(doc))
        schema = CRD_SCHEMAS / f"{doc['kind']}.json"
        done = run_tool("check-jsonschema", "--schemafile", str(schema), str(instance))
        assert done.returncode == 0, f"{doc['kind']}/{doc['metadata']['name']}: {done.stdout}"


def test_the_validators_reject_broken_objects(tmp_path: Path) -> None:
    """Negative controls: the checks above can fail."""
    docs = kustomize_build(BUILDS["prod"])
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["portt"] = 1
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(deployment))
    assert run_tool("kubernetes-validate", "--strict", str(bad)).returncode != 0
    scaled = next(d for d in docs if d["kind"] == "ScaledObject")
    scaled["spec"]["triggers"][0]["metadata"]["lagThreshold"] = 50  # KEDA wants strings
    bad_so = tmp_path / "bad.json"
    bad_so.write_text(json.dumps(scaled))
    schema = str(CRD_SCHEMAS / "ScaledObject.json")
    assert run_tool("check-jsonschema", "--schemafile", schema, str(bad_so)).returncode != 0


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_every_stage_has_probes_resources_pdb_monitor_and_one_autoscaler(build: str) -> None:
    docs = kustomize_build(BUILDS[build])
    deployments = _by_kind(docs, "Deployment")
    grace = ShutdownSettings().shutdown_grace_s
    for stage, port in ((d.name, d.port) for d in registry.installed()):
        name = f"devoured-{stage}"
        pod = deployments[name]["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert container["command"][-1] == stage
        assert container["ports"] == [{"name": "http", "containerPort": port}]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
        assert "memory" in container["resources"]["limits"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        # HTTP drain (20 s) + the consumer's grace must end before the kubelet's SIGKILL.
        assert pod["terminationGracePeriodSeconds"] > 20 + grace
        assert name in _by_kind(docs, "PodDisruptionBudget")
        assert name in _by_kind(docs, "ServiceAccount")
        assert _by_kind(docs, "Service")[name]["spec"]["ports"][0]["port"] == port
        monitor = _by_kind(docs, "ServiceMonitor")[name]
        assert monitor["spec"]["endpoints"][0]["honorLabels"] is True  # keep `service`
        hpa = name in _by_kind(docs, "HorizontalPodAutoscaler")
        keda = name in _by_kind(docs, "ScaledObject")
        assert hpa != keda, f"{build}: {name} needs exactly one autoscaler (hpa={hpa}, keda={keda})"
        assert keda == (build == "prod")


def test_keda_scales_each_stage_on_its_own_group_and_input_topic() -> None:
    docs = kustomize_build(BUILDS["prod"])
    config = _by_kind(docs, "ConfigMap")["devoured-config"]["data"]
    settings = Settings(kafka_topic_prefix=config["DEVOURED_KAFKA_TOPIC_PREFIX"])
    partitions = int(config["DEVOURED_TOPIC_PARTITIONS"])
    for stage, topic in registry.main_inputs().items():
        scaled = _by_kind(docs, "ScaledObject")[f"devoured-{stage}"]
        kafka = next(t for t in scaled["spec"]["triggers"] if t["type"] == "kafka")["metadata"]
        assert kafka["consumerGroup"] == group_id(settings, stage)
        assert kafka["topic"] == settings.physical_topic(topic)
        assert kafka["bootstrapServersFromEnv"] in config
        assert scaled["spec"]["maxReplicaCount"] <= partitions
        assert any(t["type"] == "cpu" for t in scaled["spec"]["triggers"])


def test_migration_job_and_references_resolve() -> None:
    for build in ("dev", "prod"):
        docs = kustomize_build(BUILDS[build])
        (job,) = _by_kind(docs, "Job").values()
        (container,) = job["spec"]["template"]["spec"]["containers"]
        assert "devoured migrate" in container["command"][-1]
        assert "devoured topics ensure" in container["command"][-1]
        config_maps = set(_by_kind(docs, "ConfigMap"))
        fetcher = _by_kind(docs, "Deployment")["devoured-fetcher"]["spec"]["template"]["spec"]
        sources = next(v for v in fetcher["volumes"] if v["name"] == "sources")
        assert sources["configMap"]["name"] in config_maps  # generated, hash suffix included
        for deployment in _by_kind(docs, "Deployment").values():
            (stage,) = deployment["spec"]["template"]["spec"]["containers"]
            refs = [e.get("configMapRef", {}).get("name") for e in stage["envFrom"]]
            assert all(r in config_maps for r in refs if r), refs
    dev = kustomize_build(BUILDS["dev"])
    secret = next(iter(_by_kind(dev, "Secret")))
    fetcher = _by_kind(dev, "Deployment")["devoured-fetcher"]["spec"]["template"]["spec"]
    assert {"secretRef": {"name": secret}} in fetcher["containers"][0]["envFrom"]


def test_only_the_fetcher_scheduler_is_a_singleton_by_election() -> None:
    docs = kustomize_build(BUILDS["prod"])
    deployments = _by_kind(docs, "Deployment")
    fetcher = deployments["devoured-fetcher"]["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e.get("value") for e in fetcher.get("env", [])}
    assert env["DEVOURED_SCHEDULER_ENABLED"] == "true"  # on everywhere; the lock picks one
    for stage in ("fetcher", "extractor", "summarizer"):
        assert deployments[f"devoured-{stage}"]["spec"]["replicas"] > 1


def test_prometheusrule_holds_exactly_the_compose_alert_rules() -> None:
    alerts = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    rule = yaml.safe_load((K8S / "base" / "prometheusrule.yaml").read_text())
    assert rule["spec"]["groups"] == alerts["groups"], "run python deploy/tools/prometheusrule.py"
