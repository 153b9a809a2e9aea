"""Process plumbing shared by the service entry points: logging, engine, HTTP server."""

import json
import logging
import sys
from typing import Any

import uvicorn
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from devoured_infra.log_context import current_fields
from devoured_infra.settings import Settings

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


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiokafka").setLevel(logging.WARNING)


def database_ready(engine: AsyncEngine) -> Any:
    async def ready() -> bool:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("select 1"))
        except Exception:
            return False
        return True

    return ready


async def serve(app: Any, settings: Settings, service: str) -> None:
    """Run an ASGI app (the service) until SIGTERM/SIGINT, then shut it down gracefully."""
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.port_for(service),
        lifespan="on",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=20,
    )
    await uvicorn.Server(config).serve()
