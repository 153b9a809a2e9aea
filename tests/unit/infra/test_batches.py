"""Batches: records of one poll share a transaction; a failure in a chunk sends its records
through the single-record path, so a batch stores each good record once and dead-letters only
the bad one (``RecordProcessor.process_batch``, ``uow.shared_transaction``)."""

import random
from collections.abc import Sequence

import pytest

from devoured_core.errors import PermanentError
from devoured_core.messages import ArticleExtracted, Message, PageFetched
from devoured_infra.bus import Stage
from devoured_infra.faults import Outage
from devoured_infra.pump import Record, RecordProcessor
from devoured_infra.uow import NeedsOwnTransaction, UnitOfWorkBase, shared_transaction
from tests.fakes import RecordingPublisher
from tests.support.sqlite import TestDatabase
from tests.unit import samples
from tests.unit.infra.test_pump import Committed, Sleeps, database_down

TOPIC = PageFetched.TOPIC
DLQ = TOPIC + ".dlq"


class StoringHandler:
    """Stores one ``ArticleExtracted`` per page in the outbox, in a unit of work; fails as
    scripted by the page's body."""

    def __init__(self, database: TestDatabase) -> None:
        self.database = database
        self.calls = 0

    async def __call__(self, page: PageFetched) -> Sequence[Message]:
        self.calls += 1
        article = samples.article_extracted(article_id=page.article_id)
        async with UnitOfWorkBase(self.database.sessions, service="extractor") as uow:
            await uow.outbox.add([article])
            if page.body == "permanent":
                raise PermanentError("this page can never be extracted")
            if page.body == "outage":
                raise database_down()
            if page.body == "no-commit":
                return []  # leaves without commit(): its row must not stay
            await uow.commit()
        return [article]


def page_record(offset: int, body: str = "<p>ok</p>") -> Record:
    page = samples.page_fetched(body=body, article_id=f"a{offset}")
    return Record(TOPIC, 0, offset, b"key", page.model_dump_json().encode())


def batch_processor(
    database: TestDatabase,
    handler: StoringHandler,
    publisher: RecordingPublisher,
    *,
    chunk_max_s: float = 60.0,
    committed: Committed | None = None,
    max_outage_wait_s: float | None = None,
) -> RecordProcessor:
    return RecordProcessor(
        Stage("extractor", PageFetched, handler, batch=True),
        publisher,
        sleep=Sleeps(),
        outage=Outage("extractor", rand=random.Random(7)),
        max_outage_wait_s=max_outage_wait_s,
        after_commit=committed,
        batch_scope=lambda: shared_transaction(database.sessions),
        chunk_max_s=chunk_max_s,
    )


async def stored_ids(database: TestDatabase) -> list[str]:
    return [
        m.article_id
        for m in await database.outbox(ArticleExtracted.TOPIC)
        if isinstance(m, ArticleExtracted)
    ]


async def test_a_batch_is_one_transaction_and_one_wake(database: TestDatabase) -> None:
    handler, publisher, committed = StoringHandler(database), RecordingPublisher(), Committed()
    records = [page_record(i) for i in range(5)]

    handled = await batch_processor(
        database, handler, publisher, committed=committed
    ).process_batch(records)

    assert handled == 5
    assert database.commits == 1
    assert await stored_ids(database) == [f"a{i}" for i in range(5)]
    assert [len(outputs) for outputs in committed.outputs] == [5]
    assert publisher.published == []


async def test_chunks_end_at_their_time_limit(database: TestDatabase) -> None:
    handler = StoringHandler(database)
    records = [page_record(i) for i in range(4)]

    handled = await batch_processor(
        database, handler, RecordingPublisher(), chunk_max_s=0.0
    ).process_batch(records)

    assert handled == 4
    assert database.commits == 4
    assert handler.calls == 4


@pytest.mark.parametrize("bad", ["invalid", "permanent"])
async def test_a_bad_record_is_dead_lettered_and_every_good_one_stored_once(
    database: TestDatabase, bad: str
) -> None:
    handler, publisher = StoringHandler(database), RecordingPublisher()
    records = [page_record(0), page_record(1), page_record(2, "permanent"), page_record(3)]
    if bad == "invalid":
        records[2] = Record(TOPIC, 0, 2, b"key", b'{"not": "a page"}')

    handled = await batch_processor(database, handler, publisher).process_batch(records)

    assert handled == 4
    assert await stored_ids(database) == ["a0", "a1", "a3"]
    assert [topic for topic, _ in publisher.published] == [DLQ]


async def test_an_outage_hands_back_the_records_from_the_one_that_waits(
    database: TestDatabase,
) -> None:
    handler = StoringHandler(database)
    records = [page_record(0), page_record(1), page_record(2, "outage"), page_record(3)]
    told: list[list[int]] = []

    async def committed(done: Sequence[Record]) -> None:
        told.append([r.offset for r in done])

    handled = await batch_processor(
        database, handler, RecordingPublisher(), max_outage_wait_s=0.0
    ).process_batch(records, handled=committed)

    assert handled == 2  # the transport rewinds to offset 2
    assert await stored_ids(database) == ["a0", "a1"]
    # The chunk rolled back, so 0 and 1 were handled again one by one, each told on its commit.
    assert told == [[0], [1]]


async def test_each_chunk_is_told_once_its_transaction_committed(database: TestDatabase) -> None:
    told: list[list[int]] = []

    async def committed(done: Sequence[Record]) -> None:
        told.append([r.offset for r in done])
        assert len(await stored_ids(database)) == done[-1].offset + 1

    processor = batch_processor(database, StoringHandler(database), RecordingPublisher())
    await processor.process_batch([page_record(i) for i in range(3)], handled=committed)
    slow = batch_processor(
        database, StoringHandler(database), RecordingPublisher(), chunk_max_s=0.0
    )
    await slow.process_batch([page_record(i) for i in range(3, 5)], handled=committed)

    assert told == [[0, 1, 2], [3], [4]]


async def test_a_unit_of_work_that_relies_on_its_rollback_is_handled_alone(
    database: TestDatabase,
) -> None:
    handler = StoringHandler(database)
    records = [page_record(0), page_record(1, "no-commit"), page_record(2)]

    handled = await batch_processor(database, handler, RecordingPublisher()).process_batch(records)

    assert handled == 3
    assert await stored_ids(database) == ["a0", "a2"]


async def store_in_one_transaction(
    database: TestDatabase, units: int, *, commit: bool = True, fail: bool = False
) -> None:
    async with shared_transaction(database.sessions):
        for _ in range(units):
            async with UnitOfWorkBase(database.sessions, service="s") as uow:
                await uow.outbox.add([samples.article_extracted()])
                if commit:
                    await uow.commit()
        if fail:
            raise PermanentError("the batch fails after every unit committed its part")


async def test_shared_transaction_commits_all_or_nothing(database: TestDatabase) -> None:
    with pytest.raises(PermanentError):
        await store_in_one_transaction(database, 2, fail=True)
    assert await database.outbox() == []

    await store_in_one_transaction(database, 2)
    assert len(await database.outbox()) == 2


async def test_writes_left_without_commit_fail_the_shared_transaction(
    database: TestDatabase,
) -> None:
    with pytest.raises(NeedsOwnTransaction):
        await store_in_one_transaction(database, 1, commit=False)
    assert await database.outbox() == []
    # A unit of work that only reads may leave without commit().
    await store_in_one_transaction(database, 0, commit=False)


class RefusingPublisher(RecordingPublisher):
    """A broker that takes no dead letters."""

    async def publish(self, messages: Sequence[Message], *, topic: str | None = None) -> None:
        if topic == DLQ:
            raise ValueError("the broker refused the dead letter: record too large")
        await super().publish(messages, topic=topic)


async def test_a_record_whose_dead_letter_is_refused_is_handed_back_after_a_pause(
    database: TestDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    handler = StoringHandler(database)
    records = [page_record(0), page_record(1, "permanent"), page_record(2)]
    processor = batch_processor(database, handler, RefusingPublisher())

    handled = await processor.process_batch(records)

    assert handled == 1  # the transport rewinds to offset 1: nothing lost
    assert await stored_ids(database) == ["a0"]
    assert processor._sleep.delays[-1] == processor._backoff_s > 0  # type: ignore[attr-defined]
    [handed_back] = [r for r in caplog.records if "will be redelivered" in r.getMessage()]
    assert handed_back.offset == 1  # type: ignore[attr-defined]
