"""Capturing the JSON log lines a service would write, for tests that assert on them."""

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from devoured_infra.runtime import JsonFormatter


class Lines(logging.Handler):
    """The JSON lines the service's formatter would write."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@contextmanager
def captured_lines() -> Iterator[Lines]:
    """Every log line of the process, at DEBUG and up, while the block runs."""
    handler = Lines()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
