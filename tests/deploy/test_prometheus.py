"""deploy/prometheus: the scrape configuration and the alert rules, checked by promtool."""

from pathlib import Path

from tests.deploy.tools import DEPLOY, run_tool

PROM = DEPLOY / "prometheus"


def test_prometheus_config_and_the_rules_it_loads_are_valid() -> None:
    done = run_tool("promtool", "check", "config", "prometheus.yml", cwd=PROM)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS: 9 rules found" in done.stdout  # alerts.yml was loaded with it


def test_alert_rules_pass_promtool_lint() -> None:
    done = run_tool("promtool", "check", "rules", "--lint-fatal", "alerts.yml", cwd=PROM)
    assert done.returncode == 0, done.stdout + done.stderr


def test_alerts_fire_and_stay_quiet_as_their_unit_tests_say() -> None:
    done = run_tool("promtool", "test", "rules", "alerts.test.yml", cwd=PROM)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_promtool_rejects_a_broken_rule(tmp_path: Path) -> None:
    """The check is real: a rule with a PromQL syntax error fails."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: sum by (a (up)\n"
    )
    done = run_tool("promtool", "check", "rules", str(bad))
    assert done.returncode != 0
