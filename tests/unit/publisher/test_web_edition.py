"""The website's edition pages: the page and API body the edition's build rendered, read from
the database without assembling the edition again; an edition built before those were stored is
assembled as the publisher assembles a stored edition, in a worker thread, never on the event
loop (whose thread also answers health probes and keeps the Kafka consumers' heartbeats)."""

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


def _record_assemblies(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """The thread of each edition assembly from now on."""
    threads: list[threading.Thread] = []
    assemble: Callable[..., Any] = assemble_edition

    def recorded(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return assemble(*args, **kwargs)

    monkeypatch.setattr(cutter, "assemble_edition", recorded)
    return threads


async def test_the_site_serves_what_the_build_rendered_until_the_next_build(
    database: TestDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deps = await _published(database, tmp_path)
    assemblies = _record_assemblies(monkeypatch)
    async with _client(deps) as site:
        page = await site.get(f"/editions/{EDITION}")
        api = await site.get(f"/api/editions/{EDITION}")
    assert (page.status_code, api.status_code) == (200, 200)
    assert assemblies == []  # a page costs one row, whatever the edition's size

    # A story that arrives after the build shows once the builder has built the edition again
    # (every ``DEVOURED_EDITION_INTERVAL_S``), as in the edition's files and feeds.
    late = samples.article_summarized(
        article_id="article-late",
        canonical_url="https://late.example.com/1",
        title="Harbour ferry adds a night crossing",
        source=SourceInfo(source_id="late", name="Late Source", section="Science", weight=1),
    )
    stage, _ = wire(deps.new_uow, settings=PublisherSettings(out_dir=tmp_path), clock=deps.clock)
    await stage.handle(late)
    async with _client(deps) as site:
        assert "night crossing" not in (await site.get(f"/editions/{EDITION}")).text
        await build_edition(EDITION, deps=deps)
        assert "night crossing" in (await site.get(f"/editions/{EDITION}")).text
        assert "night crossing" in (await site.get(f"/api/editions/{EDITION}")).text


async def test_an_edition_built_before_its_pages_were_stored_is_assembled_off_the_loop(
    database: TestDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deps = await _published(database, tmp_path)
    async with deps.new_uow() as uow:
        record = await uow.editions.get(EDITION)
        assert record is not None
        assert await uow.editions.pages(EDITION) is not None
        await uow.editions.save(record)  # as before 0016: no pages
        await uow.commit()
        expected, _ = await assemble_stored_edition(uow, EDITION, deps)
    threads = _record_assemblies(monkeypatch)
    loop_thread = threading.current_thread()
    async with _client(deps) as site:
        page = await site.get(f"/editions/{EDITION}")
        api = await site.get(f"/api/editions/{EDITION}")
    assert page.text == render_html(expected, web=True)
    volatile = {"message_id", "occurred_at"}
    assert {k: v for k, v in api.json().items() if k not in volatile} == {
        k: v for k, v in expected.to_message().model_dump(mode="json").items() if k not in volatile
    }
    assert len(threads) == 2
    # The edition builder too: a big edition takes seconds, which would starve the consumers'
    # heartbeats if it ran on the event loop.
    await build_edition(EDITION, deps=deps)
    assert len(threads) == 3
    assert all(t is not loop_thread for t in threads)
