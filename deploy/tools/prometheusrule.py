"""Write deploy/k8s/base/prometheusrule.yaml from deploy/prometheus/alerts.yml.

The alert rules live once, in alerts.yml (used by docker compose and checked by promtool); the
Prometheus Operator needs them inside a PrometheusRule. Run after editing alerts.yml:

    python deploy/tools/prometheusrule.py

tests/deploy checks that the two files hold the same rules.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
TARGET = ROOT / "deploy" / "k8s" / "base" / "prometheusrule.yaml"

HEADER = """\
# GENERATED from deploy/prometheus/alerts.yml by deploy/tools/prometheusrule.py: edit that file.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: devoured
  labels:
    app.kubernetes.io/name: devoured
spec:
"""


def render() -> str:
    lines = ALERTS.read_text(encoding="utf-8").splitlines()
    start = lines.index("groups:")
    return HEADER + "".join(f"  {line}\n" if line else "\n" for line in lines[start:])


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
