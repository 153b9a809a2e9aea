"""The figures of each scenario, written to test-artifacts/chaos/ as JSON and as a Markdown table.

The files are rewritten after every scenario, so an interrupted run still leaves the rows of
the scenarios it finished.
"""

import json
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import devoured_infra
from tests.support.infra import REPO_ROOT

ARTIFACTS = REPO_ROOT / "test-artifacts" / "chaos"


@dataclass
class ScenarioResult:
    scenario: str
    form: str  # short | full
    seed: int
    faults: list[str] = field(default_factory=list)  # what was done, in order, with durations
    offered: int = 0
    published: int = 0  # publisher_items rows
    lost: int = 0  # offered, not published
    doubled: int = 0  # published or in an edition file more than once
    extra: int = 0  # published but never offered (poison that got through)
    in_edition_files: int = 0  # offered articles found exactly once in the edition files
    stage_counts: dict[str, int] = field(default_factory=dict)
    poison_injected: int = 0
    dead_letters: int = 0
    dead_letter_causes: dict[str, int] = field(default_factory=dict)
    unexpected_dead_letters: int = 0  # on a DLQ, but not poison we injected
    transient_dead_letters: int = 0  # dead-lettered for what looks like a passing fault
    poison_not_dead_lettered: int = 0
    lag: dict[str, int] = field(default_factory=dict)
    edition_file_problems: list[str] = field(default_factory=list)
    recovery_s: float | None = None  # last fault's end until every offered article is published
    fault_s: float = 0.0  # time under fault
    error_lines: dict[str, int] = field(default_factory=dict)  # per service, fault to settle
    top_errors: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    unexpected_exits: dict[str, int] = field(default_factory=dict)
    feed_polls_after_fault: int = 0
    duration_s: float = 0.0
    failures: list[str] = field(default_factory=list)
    logs: str = ""

    @property
    def passed(self) -> bool:
        return not self.failures


class ResultsBook:
    """All rows of this session; written out whenever one is added."""

    def __init__(self, directory: Path = ARTIFACTS) -> None:
        self.directory = directory
        self.rows: list[ScenarioResult] = []
        self.code = code_under_test()

    def add(self, result: ScenarioResult) -> None:
        self.rows = [r for r in self.rows if r.scenario != result.scenario] + [result]
        self.directory.mkdir(parents=True, exist_ok=True)
        document = {"code": self.code, "scenarios": [_row(r) for r in self.rows]}
        (self.directory / "results.json").write_text(
            json.dumps(document, indent=2, default=str) + "\n"
        )
        (self.directory / "results.md").write_text(
            markdown_table(self.rows) + f"\nCode under test: {self.code}\n"
        )


def code_under_test() -> str:
    """Where the services' code comes from, and its git revision (``+dirty`` with changes)."""
    source = Path(devoured_infra.__file__).resolve().parents[2]
    try:
        revision = subprocess.run(
            ["git", "-C", str(source), "describe", "--always", "--dirty=+dirty"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        revision = "no git revision"
    return f"{source} ({revision})"


def _row(result: ScenarioResult) -> dict[str, Any]:
    return asdict(result) | {"passed": result.passed}


def markdown_table(rows: list[ScenarioResult]) -> str:
    header = (
        "| scenario | form | result | offered | published | lost | doubled | extra "
        "| dead letters (causes) | transient DL | recovery s | ERROR lines | exits |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = [
        f"| {r.scenario} | {r.form} | {'pass' if r.passed else 'FAIL'} | {r.offered} "
        f"| {r.published} | {r.lost} | {r.doubled} | {r.extra} "
        f"| {r.dead_letters} ({_pairs(r.dead_letter_causes)}) | {r.transient_dead_letters} "
        f"| {'-' if r.recovery_s is None else f'{r.recovery_s:.1f}'} "
        f"| {_pairs(r.error_lines)} | {_pairs(r.unexpected_exits)} |"
        for r in rows
    ]
    failures = [
        f"- **{r.scenario}**: " + "; ".join(f.splitlines()[0] for f in r.failures)
        for r in rows
        if r.failures
    ]
    notes = "\n\n## Failures\n\n" + "\n".join(failures) if failures else ""
    return "# Chaos results\n\n" + header + "\n".join(lines) + notes + "\n"


def _pairs(values: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in values.items() if v) or "-"
