"""A failing delivery leaks no secret: not the webhook URLs (credentials for Slack and
Discord), the signing secret or the SMTP password, in any log line (JSON, at DEBUG) or in
anything stored in the database."""

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from devoured_infra.db import create_engine
from devoured_infra.runtime import JsonFormatter, configure_logging
from devoured_publisher.delivery import target_id
from devoured_publisher.handlers import (
    build_pending_editions,
    deliver_closed_editions,
    receive_story,
)
from devoured_publisher.tables import publisher_deliveries, publisher_delivery_claims
from tests.integration.test_publisher import NOON, STORIES, Clock, publisher, webhook_server
from tests.security.smtp import USER, make_certificate, smtp_server
from tests.support.services import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(120)]

WRONG_PASSWORD = "pw-WRONG-SECRET-7f3a9"
SIGNING_SECRET = "whsec-SECRET-19be2"


@contextmanager
def json_logs() -> Iterator[io.StringIO]:
    """Every log line, as the services write it (their logging setup, at DEBUG)."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    quiet = {name: logging.getLogger(name).level for name in ("aiokafka", "httpx")}
    configure_logging("DEBUG")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        for name, old in quiet.items():
            logging.getLogger(name).setLevel(old)


async def test_failing_deliveries_leak_no_secret(database_url: str, tmp_path: Path) -> None:
    clock = Clock(NOON)
    cert = make_certificate(tmp_path)
    with (
        webhook_server(failures=100) as (answers_500, _),
        smtp_server("starttls", cert) as (smtp_port, box),
        json_logs() as logs,
    ):
        hooks = [
            f"{answers_500}/T0AAA/B0BBB/SECRETTOKEN123?key=SECRETQUERY",
            answers_500.replace("http://", "http://user:SECRETUSERINFO@"),
            f"http://127.0.0.1:{free_port()}/services/SECRETUNREACHABLE",
        ]
        async with publisher(
            database_url,
            tmp_path,
            clock,
            smtp_host="127.0.0.1",
            smtp_port=smtp_port,
            smtp_ca_file=cert[0],
            smtp_username=USER,
            smtp_password=WRONG_PASSWORD,
            email_to="ana@example.org",
            webhook_urls=",".join(hooks),
            webhook_secret=SIGNING_SECRET,
            delivery_attempts=2,
            delivery_backoff_s=0.01,
        ) as deps:
            await receive_story(STORIES[0], deps=deps)
            await build_pending_editions(deps=deps)
            clock.now = NOON + timedelta(days=1)
            assert await deliver_closed_editions(deps=deps) == 0
    assert box.logins  # the password was tried (over TLS) and refused
    assert all(password == WRONG_PASSWORD and tls for _, password, tls in box.logins)
    lines = logs.getvalue().splitlines()
    assert sum('"delivery failed"' in line for line in lines) == 4

    engine = create_engine(database_url)
    async with engine.connect() as connection:
        rows = [
            repr(tuple(row))
            for table in (publisher_deliveries, publisher_delivery_claims)
            for row in await connection.execute(select(table))
        ]
    await engine.dispose()
    stored = [r for r in rows if any(target_id(h) in r for h in hooks) or "ana@" in r]
    assert len(stored) == 4  # one failed delivery per target, kept under its target id

    secrets = [*hooks, "SECRETTOKEN", "SECRETQUERY", "SECRETUSERINFO", "SECRETUNREACHABLE"]
    secrets += [WRONG_PASSWORD, SIGNING_SECRET]
    for text in lines + rows:
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{leaked} in {text}"
