"""Lanes: a batch stage with concurrency (the fetcher) handles a poll's partitions at once, each
in order, on one session committed every ``chunk_max_s``; a record is done (its offset told to
the transport) only once a commit after its handler succeeded, and any failure sends every
record not done through the single-record path (``RecordProcessor._process_lanes``,
``uow.GroupCommit``)."""

import asyncio
import random
from collections.abc import Callable, Sequence

import pytest

from devoured_core.errors import PermanentError
from devoured_core.messages import ArticleExtracted, Message, PageFetched
from devoured_infra.bus import Stage
from devoured_infra.faults import Outage
from devoured_infra.pump import Record, RecordProcessor
from devoured_infra.uow import GroupCommit, TransactionLost, UnitOfWorkBase
from tests.fakes import RecordingPublisher
from tests.support.sqlite import TestDatabase
from tests.unit import samples
from tests.unit.infra.test_pump import Committed, Sleeps, database_down

TOPIC = PageFetched.TOPIC
DLQ = TOPIC + ".dlq"


class WaitingHandler:
    """Waits as if on the network (``wait:<seconds>`` in the body, else a little), then stores
    one ``ArticleExtracted`` in a unit of work; fails as scripted by the body. Notes how many
    handlers run at once and the order each partition's pages were stored in."""

    def __init__(self, database: TestDatabase) -> None:
        self.database = database
        self.running = 0
        self.most_at_once = 0
        self.stored: dict[str, list[str]] = {}

    async def __call__(self, page: PageFetched) -> Sequence[Message]:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            wait = float(page.body.split(":")[1]) if page.body.startswith("wait:") else 0.01
            await asyncio.sleep(wait)
            article = samples.article_extracted(article_id=page.article_id)
            async with UnitOfWorkBase(self.database.sessions, service="fetcher") as uow:
                await uow.outbox.add([article])
                if page.body == "permanent":
                    raise PermanentError("this page can never be had")
                if page.body == "outage":
                    raise database_down()
                await uow.commit()
            lane = page.article_id.split("-")[0]
            self.stored.setdefault(lane, []).append(page.article_id)
            return [article]
        finally:
            self.running -= 1


def page_record(partition: int, offset: int, body: str = "<p>ok</p>") -> Record:
    page = samples.page_fetched(body=body, article_id=f"p{partition}-{offset}")
    return Record(TOPIC, partition, offset, b"host", page.model_dump_json().encode())


def lanes_processor(
    database: TestDatabase,
    handler: WaitingHandler,
    publisher: RecordingPublisher,
    *,
    concurrency: int = 4,
    chunk_max_s: float = 60.0,
    committed: Committed | None = None,
    max_outage_wait_s: float | None = None,
    wait_of: Callable[[PageFetched], float] | None = None,
) -> RecordProcessor:
    return RecordProcessor(
        Stage(
            "fetcher", PageFetched, handler, concurrency=concurrency, batch=True, wait_of=wait_of
        ),
        publisher,
        sleep=Sleeps(),
        outage=Outage("fetcher", rand=random.Random(7)),
        max_outage_wait_s=max_outage_wait_s,
        after_commit=committed,
        group_scope=lambda: GroupCommit(database.sessions),
        chunk_max_s=chunk_max_s,
    )


def grid(partitions: int, per_partition: int) -> list[Record]:
    """Records as a poll hands them over: partition by partition."""
    return [page_record(p, o) for p in range(partitions) for o in range(per_partition)]


async def stored_ids(database: TestDatabase) -> list[str]:
    return sorted(
        m.article_id
        for m in await database.outbox(ArticleExtracted.TOPIC)
        if isinstance(m, ArticleExtracted)
    )


class Told:
    """The transport's side: which records it was told were done, and what was stored then."""

    def __init__(self, database: TestDatabase, *, bad: Sequence[tuple[int, int]] = ()) -> None:
        self.database = database
        self.bad = set(bad)
        self.calls: list[list[tuple[int, int]]] = []

    async def __call__(self, done: Sequence[Record]) -> None:
        self.calls.append([(r.partition, r.offset) for r in done])
        stored = set(await stored_ids(self.database))
        # Told only after the commit that holds the record's writes.
        good = {samples_id(r) for r in done if (r.partition, r.offset) not in self.bad}
        assert good <= stored

    def positions(self) -> list[tuple[int, int]]:
        return sorted(p for call in self.calls for p in call)


def samples_id(record: Record) -> str:
    return f"p{record.partition}-{record.offset}"


async def test_partitions_overlap_each_in_order_in_one_commit(database: TestDatabase) -> None:
    handler, committed = WaitingHandler(database), Committed()
    told = Told(database)
    records = grid(4, 3)

    handled = await lanes_processor(
        database, handler, RecordingPublisher(), committed=committed
    ).process_batch(records, handled=told)

    assert handled == 12
    assert handler.most_at_once == 4
    assert handler.stored == {f"p{p}": [f"p{p}-{o}" for o in range(3)] for p in range(4)}
    assert database.commits == 1
    assert [len(outputs) for outputs in committed.outputs] == [12]
    assert told.positions() == sorted((r.partition, r.offset) for r in records)


async def test_no_more_lanes_at_once_than_the_concurrency(database: TestDatabase) -> None:
    handler = WaitingHandler(database)

    handled = await lanes_processor(
        database, handler, RecordingPublisher(), concurrency=2
    ).process_batch(grid(5, 2))

    assert handled == 10
    assert handler.most_at_once == 2


async def test_a_slow_lane_does_not_hold_back_the_commit_of_the_others(
    database: TestDatabase,
) -> None:
    handler, told = WaitingHandler(database), Told(database)
    records = [page_record(0, 0, "wait:0.6"), *grid(3, 1)[1:]]

    handled = await lanes_processor(
        database, handler, RecordingPublisher(), chunk_max_s=0.1
    ).process_batch(records, handled=told)

    assert handled == 3
    # The fast lanes were committed and told while the slow one still waited.
    assert told.calls[0] == [(1, 0), (2, 0)]
    assert told.calls[-1] == [(0, 0)]
    assert database.commits == 2


@pytest.mark.parametrize("bad", ["invalid", "permanent"])
async def test_a_bad_record_is_dead_lettered_and_every_good_one_stored_once(
    database: TestDatabase, bad: str
) -> None:
    handler, publisher = WaitingHandler(database), RecordingPublisher()
    told = Told(database, bad=[(1, 1)])
    records = grid(3, 3)
    records[4] = page_record(1, 1, "permanent")
    if bad == "invalid":
        records[4] = Record(TOPIC, 1, 1, b"host", b'{"not": "a page"}')

    handled = await lanes_processor(database, handler, publisher).process_batch(
        records, handled=told
    )

    assert handled == 9
    good = sorted(samples_id(r) for r in records if r.offset != 1 or r.partition != 1)
    assert await stored_ids(database) == good
    assert [topic for topic, _ in publisher.published] == [DLQ]
    assert told.positions() == sorted((r.partition, r.offset) for r in records)
    # The partition's order is kept, through the rollback and the records handled again.
    assert handler.stored["p1"][-2:] == ["p1-0", "p1-2"]


async def test_an_invalid_record_does_not_roll_back_the_others(database: TestDatabase) -> None:
    handler, publisher = WaitingHandler(database), RecordingPublisher()
    records = grid(2, 2)
    records[1] = Record(TOPIC, 0, 1, b"host", b"not json")

    handled = await lanes_processor(database, handler, publisher).process_batch(records)

    assert handled == 4
    assert await stored_ids(database) == ["p0-0", "p1-0", "p1-1"]
    # Each good page was handled once: nothing was taken back and done again.
    assert sum(len(ids) for ids in handler.stored.values()) == 3
    assert [topic for topic, _ in publisher.published] == [DLQ]


async def test_an_outage_hands_back_its_lane_from_the_record_that_waits(
    database: TestDatabase,
) -> None:
    handler, told = WaitingHandler(database), Told(database)
    records = grid(3, 3)
    records[4] = page_record(1, 1, "outage")

    handled = await lanes_processor(
        database, handler, RecordingPublisher(), max_outage_wait_s=0.0
    ).process_batch(records, handled=told)

    assert handled == 7
    # The transport rewinds partition 1 to offset 1; every other record is done, once.
    assert told.positions() == [(p, o) for p in range(3) for o in range(3) if p != 1 or o == 0]
    assert await stored_ids(database) == sorted(
        f"p{p}-{o}" for p in range(3) for o in range(3) if p != 1 or o == 0
    )


async def test_lanes_stop_taking_records_when_the_window_closes(database: TestDatabase) -> None:
    handler, told = WaitingHandler(database), Told(database)
    records = [page_record(0, o, "wait:0.05") for o in range(40)]

    handled = await lanes_processor(
        database, handler, RecordingPublisher(), chunk_max_s=0.05
    ).process_batch(records, handled=told)

    # The window is five chunks: about five records of 0.05 s, then the consumer polls again.
    assert 2 <= handled <= 8
    assert told.positions() == [(0, o) for o in range(handled)]


def host_pace(page: PageFetched) -> float:
    """Seconds before the page's host may be asked again: ``pace:<seconds>`` in its body."""
    return float(page.body.split(":")[1]) if page.body.startswith("pace:") else 0.0


async def test_a_lane_leaves_a_record_that_would_wait_past_the_window(
    database: TestDatabase,
) -> None:
    handler, told = WaitingHandler(database), Told(database)
    records = grid(3, 2)
    records[2] = page_record(1, 0, "pace:30")  # partition 1's host asks for 30 s
    processor = lanes_processor(
        database, handler, RecordingPublisher(), chunk_max_s=0.2, wait_of=host_pace
    )

    handled = await processor.process_batch(records, handled=told)

    # Partition 1 is left whole, in order (the transport rewinds it), the others are done,
    # and the poll ended long before the 30 s.
    assert handled == 4
    assert told.positions() == [(0, 0), (0, 1), (2, 0), (2, 1)]
    assert "p1" not in handler.stored
    assert processor._sleep.delays == []  # type: ignore[attr-defined]


async def test_a_poll_whose_every_record_waits_pauses_before_the_next(
    database: TestDatabase,
) -> None:
    handler = WaitingHandler(database)
    processor = lanes_processor(
        database, handler, RecordingPublisher(), chunk_max_s=0.2, wait_of=host_pace
    )

    handled = await processor.process_batch([page_record(0, 0, "pace:30")])

    assert handled == 0
    assert handler.stored == {}
    # Not polled again at once (a busy loop over the same records), but after a commit interval.
    assert processor._sleep.delays == [0.2]  # type: ignore[attr-defined]


async def fail_in_a_unit_of_work(database: TestDatabase) -> None:
    async with UnitOfWorkBase(database.sessions, service="s") as uow:
        await uow.outbox.add([samples.article_extracted(article_id="lost")])
        raise PermanentError("a unit of work fails in the group")


async def test_a_failed_unit_of_work_loses_the_group_until_it_rolls_back(
    database: TestDatabase,
) -> None:
    async with GroupCommit(database.sessions) as group:
        async with UnitOfWorkBase(database.sessions, service="s") as uow:
            await uow.outbox.add([samples.article_extracted(article_id="kept")])
            await uow.commit()
        await group.commit(lambda: None)
        with pytest.raises(PermanentError):
            await fail_in_a_unit_of_work(database)
        assert group.lost
        with pytest.raises(TransactionLost):
            async with UnitOfWorkBase(database.sessions, service="s") as uow:
                pass
        with pytest.raises(TransactionLost):
            await group.commit(lambda: None)
        await group.rollback()
        async with UnitOfWorkBase(database.sessions, service="s") as uow:
            await uow.outbox.add([samples.article_extracted(article_id="after")])
            await uow.commit()
        await group.commit(lambda: None)

    assert await stored_ids(database) == ["after", "kept"]


async def test_a_nested_unit_of_work_shares_its_task_s_turn(database: TestDatabase) -> None:
    async with GroupCommit(database.sessions) as group:
        async with UnitOfWorkBase(database.sessions, service="s") as outer:
            async with UnitOfWorkBase(database.sessions, service="s") as inner:
                await inner.outbox.add([samples.article_extracted(article_id="inner")])
                await inner.commit()
            await outer.commit()
        await asyncio.wait_for(group.commit(lambda: None), 5)

    assert await stored_ids(database) == ["inner"]
