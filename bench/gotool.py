"""The Go tool, for the benches that use Go-built peers or Go-shipped data."""

import shutil
import subprocess


def go_env(name: str) -> str | None:
    """``go env NAME`` (GOPATH, GOMODCACHE), or None without a working Go tool."""
    go = shutil.which("go")
    if go is None:
        return None
    try:
        value = subprocess.run(  # noqa: S603 - the go tool found on PATH
            [go, "env", name], capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return value or None
