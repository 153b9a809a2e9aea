"""Module-level work functions for the worker-process tests (spawned workers import them)."""

import os
import time

from devoured_core.errors import SkippedInput


def echo(html: str, url: str | None) -> str:
    return f"{url}:{len(html)}"


def spin(html: str, url: str | None) -> str:
    """Never returns for 'spin' (a runaway parse); echoes otherwise."""
    while html == "spin":
        time.sleep(0.01)
    return html


def die(html: str, url: str | None) -> str:
    if html == "die":
        os._exit(1)
    return html


def refuse(html: str, url: str | None) -> str:
    raise SkippedInput("extract: empty document")


def pid(html: str, url: str | None) -> int:
    return os.getpid()
