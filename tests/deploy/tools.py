"""The deploy/ validators, installed into .cache/deploy-tools by deploy/tools/install.sh.

The tests never skip for lack of a tool: the first use installs them (apt-get download, go
install, a virtualenv), and a failed install fails the test with the script's own reason.
"""

import functools
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
TOOLS = ("promtool", "kustomize", "check-jsonschema", "kubernetes-validate", "hadolint")


@functools.cache
def tool_paths() -> dict[str, str]:
    done = subprocess.run(
        ["bash", str(DEPLOY / "tools" / "install.sh")],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(
            f"deploy/tools/install.sh failed ({done.returncode}):\n{done.stderr[-3000:]}",
            pytrace=False,
        )
    paths = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    missing = [t for t in TOOLS if t not in paths]
    if missing:
        pytest.fail(f"deploy/tools/install.sh did not provide {missing}", pytrace=False)
    return paths


def run_tool(name: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run a validator; the caller asserts on the exit code and output."""
    return subprocess.run(
        [tool_paths()[name], *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=cwd,
    )


def kustomize_build(path: Path) -> list[dict[str, Any]]:
    """The objects ``kustomize build path`` renders (a fresh copy each call)."""
    return [doc for doc in yaml.safe_load_all(render(path)) if doc]


@functools.cache
def render(path: Path) -> str:
    done = run_tool("kustomize", "build", str(path))
    assert done.returncode == 0, done.stderr
    return done.stdout
