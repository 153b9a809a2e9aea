"""deploy/Dockerfile: hadolint, and the install step of each image run here with uv (no Docker
engine on this machine, so the image itself is not built)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from devoured_infra import registry
from tests.deploy.tools import DEPLOY, ROOT, run_tool

DOCKERFILE = DEPLOY / "Dockerfile"
STAGES = registry.names()


def test_dockerfile_passes_hadolint() -> None:
    done = run_tool("hadolint", "--no-color", str(DOCKERFILE))
    assert done.returncode == 0, done.stdout + done.stderr


def test_hadolint_flags_a_bad_dockerfile(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get install curl\nUSER root\n")
    assert run_tool("hadolint", "--no-color", str(bad)).returncode != 0


def _install_command() -> list[str]:
    """The Dockerfile's final `uv sync` line, so the test runs what the image runs."""
    found = re.findall(r"^\s*uv sync (.*--no-editable)$", DOCKERFILE.read_text(), re.M)
    assert len(found) == 2, found
    return [_uv(), "sync", *found[-1].replace('"$(cat /package)"', "{package}").split()]


def _uv() -> str:
    """uv as the Makefile finds it: on the PATH, or bootstrapped into .cache/uv."""
    found = shutil.which("uv") or str(ROOT / ".cache" / "uv" / "bin" / "uv")
    if not Path(found).exists():
        pytest.fail("uv is neither on the PATH nor in .cache/uv (run `make venv`)", pytrace=False)
    return found


@pytest.mark.timeout(600)
@pytest.mark.parametrize("service", [*STAGES, "cli"])
def test_image_installs_only_its_own_stage(service: str, tmp_path: Path) -> None:
    package = "devoured" if service == "cli" else f"devoured-{service}"
    command = [a.format(package=package) for a in _install_command()]
    env = {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(tmp_path / "venv"),
        "UV_PYTHON_DOWNLOADS": "never",
    }
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    python = str(tmp_path / "venv" / "bin" / "python")
    for stage in STAGES:
        probe = subprocess.run(
            [python, "-c", f"import devoured_{stage}.service"], capture_output=True, check=False
        )
        expected = service in (stage, "cli")
        assert (probe.returncode == 0) == expected, (
            f"{service} image: devoured_{stage} importable={not expected}"
        )
    if service == "cli":
        assert (tmp_path / "venv" / "bin" / "devoured").exists()
    else:
        usage = subprocess.run(
            [python, "-m", "devoured_infra.serve"], capture_output=True, text=True, check=False
        )
        assert usage.returncode == 2
        assert "usage" in usage.stderr
        # The image's registry holds its own service and no other.
        assert f"{{{service}}}" in usage.stderr, usage.stderr
