"""A malformed sources file is reported with its line and never stops the polling.

Before, the scheduler's tick raised on a bad file before it scheduled anything, on every tick,
so one typo in sources.yaml stopped every poll of every source.
"""

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from devoured_core.messages import FetchRequested
from devoured_core.model import Source
from devoured_fetcher.bootstrap import wire
from devoured_fetcher.deps import FetcherDeps
from devoured_fetcher.http import HttpFetcher
from devoured_fetcher.scheduler import Scheduler, SourcesSeeder
from devoured_fetcher.settings import FetcherSettings
from devoured_fetcher.sources import SourcesFileError, load_source_configs, parse_source_configs
from devoured_fetcher.uow import FetcherUnitOfWork
from devoured_infra.metrics import REGISTRY
from tests.fakes import FakeClock
from tests.support.sqlite import TestDatabase
from tests.unit.conftest import LOOPBACK
from tests.unit.fetcher.store import source_ids

GOOD = (
    "sources:\n"
    "  - source_id: one\n"
    "    name: One\n"
    "    url: https://one.test/feed\n"
    "  - source_id: two\n"
    "    name: Two\n"
    "    url: https://two.test/feed\n"
)
# a third source, its `weight: heavy` on line 10: none of it may reach the store
BAD_WEIGHT = GOOD + "  - name: Three\n    url: https://three.test/feed\n    weight: heavy\n"
BAD_YAML = GOOD + "  - name: Four\n   url: [unclosed\n"  # the bad indent is on line 9
PATH = Path("sources.yaml")


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (BAD_WEIGHT, 10, "weight: Input should be a valid number"),
        (BAD_YAML, 9, "not valid YAML"),
        (GOOD + "  - name: Five\n", 8, "url: Field required"),
        (GOOD + "  - just a string\n", 8, "each source must be a mapping"),
        (GOOD + "  - name: Six\n    url: https://six.test/\n    colour: red\n", 10, "colour"),
        (GOOD + "  - name: S\xe9v\n", 8, "not UTF-8"),
        ("- a list\n", 1, "expected a mapping with a `sources:` list"),
    ],
)
def test_a_malformed_file_is_reported_with_its_line(content: str, line: int, reason: str) -> None:
    raw = content.encode("latin-1") if "\xe9" in content else content.encode()
    with pytest.raises(SourcesFileError) as caught:
        parse_source_configs(raw, PATH)
    assert caught.value.line == line
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"sources: sources.yaml:{line}: ")


def test_an_unreadable_file_is_a_sources_file_error(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="cannot read"):
        load_source_configs(tmp_path)  # a directory


class AlwaysLeader:
    epoch: int | None = 1

    async def try_acquire(self) -> bool:
        return True

    async def release(self) -> None:
        return None


class Replica:
    def __init__(self, deps: FetcherDeps, clock: FakeClock, sources: Path) -> None:
        self.clock = clock
        self.scheduler = Scheduler(deps, AlwaysLeader(), lambda: None, sources_file=sources)

    async def tick_later(self) -> int:
        """A tick once every stored source is due again (past the lease and the interval)."""
        self.clock.advance(timedelta(hours=2))
        return await self.scheduler.tick()


@pytest.fixture
async def fetcher(
    database: TestDatabase,
) -> AsyncIterator[tuple[FetcherDeps, TestDatabase, FakeClock]]:
    clock = FakeClock(datetime(2026, 11, 29, 6, 0, tzinfo=UTC))
    http = HttpFetcher(timeout_s=2, max_bytes=1 << 20, user_agent="t", allowed_networks=LOOPBACK)
    new_uow = database.uow(FetcherUnitOfWork, "fetcher")
    _, deps = wire(new_uow, http=http, clock=clock, settings=FetcherSettings())
    yield deps, database, clock
    await http.aclose()


def _valid(path: Path) -> float | None:
    return REGISTRY.get_sample_value("devoured_fetcher_sources_config_valid", {"file": str(path)})


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno == logging.ERROR]


async def test_a_tick_with_a_malformed_file_still_emits_the_due_polls(
    fetcher: tuple[FetcherDeps, TestDatabase, FakeClock],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    deps, db, clock = fetcher
    path = tmp_path / "sources.yaml"
    path.write_text(GOOD)
    replica = Replica(deps, clock, path)
    assert await replica.scheduler.tick() == 2
    assert _valid(path) == 1

    path.write_text(BAD_WEIGHT)
    with caplog.at_level(logging.INFO, logger="devoured.fetcher.scheduler"):
        assert await replica.tick_later() == 2  # the last good file's sources, still polled

    assert _valid(path) == 0
    assert sorted(await source_ids(db)) == ["one", "two"]  # nothing of the bad file applied
    [error] = _errors(caplog)
    assert error.__dict__["file"] == str(path)
    assert error.__dict__["line"] == 10
    assert f"{path}:10: weight: Input should be a valid number" in error.__dict__["error"]
    requests = [m for m in await db.outbox() if isinstance(m, FetchRequested)]
    assert len(requests) == 4


async def test_a_malformed_file_is_logged_once_per_change(
    fetcher: tuple[FetcherDeps, TestDatabase, FakeClock],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    deps, _, clock = fetcher
    path = tmp_path / "sources.yaml"
    path.write_text(BAD_WEIGHT)
    replica = Replica(deps, clock, path)

    with caplog.at_level(logging.INFO, logger="devoured.fetcher.scheduler"):
        for _ in range(3):
            await replica.tick_later()
        assert [r.__dict__["line"] for r in _errors(caplog)] == [10]
        path.write_text(BAD_YAML)
        await replica.tick_later()
        await replica.tick_later()
        assert [r.__dict__["line"] for r in _errors(caplog)] == [10, 9]
        path.write_text(GOOD)
        assert await replica.tick_later() == 2
        assert _valid(path) == 1
        path.write_text(BAD_WEIGHT)  # broken again, the same way: a change, so logged again
        await replica.tick_later()

    assert [r.__dict__["line"] for r in _errors(caplog)] == [10, 9, 10]
    assert "sources file valid again" in [r.getMessage() for r in caplog.records]
    loaded = REGISTRY.get_sample_value(
        "devoured_fetcher_sources_config_loaded_timestamp_seconds", {"file": str(path)}
    )
    assert loaded is not None
    assert loaded > 0


async def test_an_unchanged_file_is_applied_again_only_after_the_refresh_interval(
    fetcher: tuple[FetcherDeps, TestDatabase, FakeClock], tmp_path: Path
) -> None:
    """Applying the file costs two statements per source; an unchanged file is applied again
    only every ``refresh_s`` (a changed one at once), which still repairs the stored rows."""
    deps, db, _ = fetcher
    path = tmp_path / "sources.yaml"
    path.write_text(GOOD)
    now = [0.0]
    seeder = SourcesSeeder(path, refresh_s=60.0, clock=lambda: now[0])
    assert await seeder.seed(deps)
    assert sorted(await source_ids(db)) == ["one", "two"]

    async with deps.new_uow() as uow:  # the stored rows changed behind the file's back
        await uow.sources.save_sources(
            [Source(source_id="one", name="Renamed", url="https://one.test/feed")]
        )
        await uow.commit()
    now[0] = 30.0
    assert await seeder.seed(deps)
    assert await _name_of(deps, "one") == "Renamed"  # unchanged file: not applied again yet

    now[0] = 61.0
    assert await seeder.seed(deps)
    assert await _name_of(deps, "one") == "One"  # refreshed

    path.write_text(GOOD.replace("name: Two", "name: Deux"))
    now[0] = 62.0
    assert await seeder.seed(deps)
    assert await _name_of(deps, "two") == "Deux"  # a changed file is applied at once


async def _name_of(deps: FetcherDeps, source_id: str) -> str:
    async with deps.new_uow() as uow:
        sources = {s.source_id: s for s in await uow.sources.enabled_sources()}
    return sources[source_id].name
