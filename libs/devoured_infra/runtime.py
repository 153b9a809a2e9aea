"""Process plumbing shared by the service entry points: logging, engine, HTTP server."""

import json
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any, ClassVar

import uvicorn
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from devoured_infra.log_context import current_fields
from devoured_infra.settings import Settings
from devoured_infra.tracing import TraceContext

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line; ``extra=`` keys (topic, offset, article_id...) are kept."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # The record being handled (topic, partition, offset, article_id...), then extra=.
        payload |= current_fields()
        payload |= {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


class ConsoleFormatter(logging.Formatter):
    """One readable line per record, for a person at a terminal (``DEVOURED_LOG_FORMAT=console``):
    ``12:03:04 WARNING  devoured.lag  lag not measured  topic=devoured.page_fetched``.

    The same fields as the JSON lines (the record being handled, then ``extra=``) follow the
    message as ``key=value``; a traceback follows on its own lines. ``colour`` colours the
    level and dims the fields (ANSI escapes).
    """

    _LEVEL_COLOURS: ClassVar[dict[str, str]] = {
        "DEBUG": "\x1b[2m",
        "INFO": "\x1b[32m",
        "WARNING": "\x1b[33m",
        "ERROR": "\x1b[31m",
        "CRITICAL": "\x1b[1;31m",
    }
    _DIM = "\x1b[2m"
    _RESET = "\x1b[0m"

    def __init__(self, *, colour: bool = False) -> None:
        super().__init__()
        self._colour = colour

    def format(self, record: logging.LogRecord) -> str:
        # uvicorn repeats its message with ANSI escapes as ``color_message``: noise here.
        fields = current_fields() | {
            k: v for k, v in record.__dict__.items() if k not in _STANDARD and k != "color_message"
        }
        level = f"{record.levelname:<8}"
        pairs = " ".join(f"{k}={_console_value(v)}" for k, v in fields.items())
        if self._colour:
            level = f"{self._LEVEL_COLOURS.get(record.levelname, '')}{level}{self._RESET}"
            pairs = f"{self._DIM}{pairs}{self._RESET}" if pairs else ""
        line = f"{self.formatTime(record, '%H:%M:%S')} {level} {record.name}  {record.getMessage()}"
        if pairs:
            line += f"  {pairs}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _console_value(value: Any) -> str:
    """A field's value on a console line: quoted when it holds spaces, as logfmt does."""
    text = str(value)
    return json.dumps(text) if not text or any(c.isspace() or c in '"=' for c in text) else text


def wants_colour(stream: Any) -> bool:
    """Colour only on a terminal, and never with ``NO_COLOR`` set (no-color.org)."""
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


class RepeatLimiter(logging.Filter):
    """Lets through the first line of each kind (logger, level, message template) from the
    chatty client libraries, then one per ``every_s`` carrying how many were held back.

    While the broker is down, aiokafka logs the same few errors many times a second (about
    5,800 lines from one service in a 15 s outage); an outage should read as a few lines.
    """

    def __init__(
        self,
        prefixes: tuple[str, ...] = ("aiokafka",),
        *,
        every_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        max_kinds: int = 1000,
    ) -> None:
        super().__init__()
        self._prefixes = prefixes
        self._every_s = every_s
        self._clock = clock
        self._max_kinds = max_kinds
        self._kinds: dict[tuple[str, int, str], list[float]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(self._prefixes):
            return True
        key = (record.name, record.levelno, str(record.msg))
        now = self._clock()
        seen = self._kinds.get(key)
        if seen is not None and now - seen[0] < self._every_s:
            seen[1] += 1
            return False
        if seen is not None and seen[1]:
            record.repeated = int(seen[1])  # shown as "repeated" in the JSON line
        if len(self._kinds) >= self._max_kinds:
            self._kinds.clear()
        self._kinds[key] = [now, 0]
        return True


def configure_logging(level: str, log_format: str = "json") -> None:
    """Log to stderr at ``level``: JSON lines (``json``) or readable lines (``console``)."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "console":
        handler.setFormatter(ConsoleFormatter(colour=wants_colour(sys.stderr)))
    elif log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        raise ValueError(f"log format {log_format!r}: choose json or console")
    handler.addFilter(RepeatLimiter())
    handler.addFilter(TraceContext())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    # httpx logs every request's full URL at INFO; a webhook URL is a credential.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def database_ready(engine: AsyncEngine) -> Any:
    async def ready() -> bool:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("select 1"))
        except Exception:
            return False
        return True

    return ready


async def serve(app: Any, settings: Settings, port: int) -> None:
    """Run an ASGI app (the service) until SIGTERM/SIGINT, then shut it down gracefully.

    ``port`` is the service's own; ``DEVOURED_HTTP_PORT`` overrides it."""
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port if settings.http_port is not None else port,
        lifespan="on",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=20,
    )
    await uvicorn.Server(config).serve()
