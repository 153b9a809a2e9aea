"""The website's edition pages: assembled as the publisher assembles a stored edition, in a
worker thread, never on the event loop (whose thread also answers health probes and keeps the
Kafka consumers' heartbeats)."""

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from devoured_core.messages import SourceInfo
from devoured_publisher import cutter, web
from devoured_publisher.bootstrap import wire
from devoured_publisher.edition import assemble_edition
from devoured_publisher.handlers import PublisherDeps, assemble_stored_edition, build_edition
from devoured_publisher.pages import render_html
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.sinks import FileSink
from devoured_publisher.uow import PublisherUnitOfWork
from tests.fakes import FakeClock
from tests.support.sqlite import TestDatabase
from tests.unit import samples

EDITION = "2026-11-29"
TITLES = [
    "Corvid unveils Kestrel X3 accelerator chip",
    "Kestrel X3 accelerator chip: Corvid unveils it",  # the same event, another source
    "Rust web framework reaches its first stable release",
    "Grid operator leans on batteries through the evening peak",
    "City opens its second tram line to the harbour",
]


async def _published(database: TestDatabase, tmp_path: Path) -> PublisherDeps:
    stage, deps = wire(
        database.uow(PublisherUnitOfWork, "publisher"),
        settings=PublisherSettings(digest_name="Devoured Daily", out_dir=tmp_path),
        sink=FileSink(tmp_path),
        clock=FakeClock(datetime(2026, 11, 29, 12, 0, tzinfo=UTC)),
    )
    for n, title in enumerate(TITLES):
        source = SourceInfo(source_id=f"s{n}", name=f"Source {n}", section="Science", weight=1)
        message = samples.article_summarized(
            article_id=f"article-{n}",
            canonical_url=f"https://news{n}.example.com/{n}",
            title=title,
            source=source,
        )
        assert await stage.handle(message) == []
    await build_edition(EDITION, deps=deps)
    return deps


def _client(deps: PublisherDeps) -> httpx.AsyncClient:
    app = web.create_web_app(deps, base_url="http://testserver")
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_the_page_and_the_api_show_the_edition_the_publisher_assembles(
    database: TestDatabase, tmp_path: Path
) -> None:
    deps = await _published(database, tmp_path)
    async with deps.new_uow() as uow:
        expected, _ = await assemble_stored_edition(uow, EDITION, deps)
    assert (expected.item_count, expected.story_count) == (4, 5)
    async with _client(deps) as site:
        page = await site.get(f"/editions/{EDITION}")
        api = await site.get(f"/api/editions/{EDITION}")
        missing = await site.get("/editions/2026-11-28")
    assert page.status_code == 200
    assert page.text == render_html(expected, web=True)
    volatile = {"message_id", "occurred_at"}
    assert {k: v for k, v in api.json().items() if k not in volatile} == {
        k: v for k, v in expected.to_message().model_dump(mode="json").items() if k not in volatile
    }
    assert missing.status_code == 404


async def test_an_edition_is_assembled_off_the_event_loop_thread(
    database: TestDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deps = await _published(database, tmp_path)
    threads: list[threading.Thread] = []
    assemble: Callable[..., Any] = assemble_edition

    def recorded(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return assemble(*args, **kwargs)

    monkeypatch.setattr(cutter, "assemble_edition", recorded)
    loop_thread = threading.current_thread()
    async with _client(deps) as site:
        assert (await site.get(f"/editions/{EDITION}")).status_code == 200
        assert (await site.get(f"/api/editions/{EDITION}")).status_code == 200
    assert len(threads) == 2
    # The edition builder too: a big edition takes seconds, which would starve the consumers'
    # heartbeats if it ran on the event loop.
    await build_edition(EDITION, deps=deps)
    assert len(threads) == 3
    assert all(t is not loop_thread for t in threads)
