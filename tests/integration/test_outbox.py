"""The transactional outbox and its relay, on a real PostgreSQL server and on SQLite.

The property: a message exists exactly when the state it describes was committed, and every
committed message is published at least once, whatever fails between the commit and the ack.
"""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Sequence
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devoured_core.messages import DeadLetter, FetchRequested, Message, PageFetched
from devoured_infra.bus import Stage
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.faults import Outage
from devoured_infra.migrate import upgrade_async
from devoured_infra.outbox import OutboxLetterBox, OutboxRelay
from devoured_infra.pump import Record, RecordProcessor
from devoured_infra.uow import UnitOfWorkBase
from tests.fakes import RecordingPublisher
from tests.support.databases import create_database, drop_database
from tests.unit import samples

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture(params=["postgresql", "sqlite"])
async def sessions(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Sessions]:
    server = ""
    if request.param == "postgresql":
        server = str(request.getfixturevalue("postgres_server_url"))
        url = await create_database(server, f"t_{uuid.uuid4().hex[:16]}")
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'outbox.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    yield create_sessionmaker(engine)
    await engine.dispose()
    if server:
        await drop_database(server, url)


def requests(n: int, tag: str = "r") -> list[FetchRequested]:
    return [samples.fetch_requested(url=f"https://site{i % 7}.test/{tag}/{i}") for i in range(n)]


async def commit(sessions: Sessions, messages: Sequence[Message], *, service: str) -> None:
    async with UnitOfWorkBase(sessions, service=service) as uow:
        await uow.outbox.add(messages)
        await uow.commit()


class FailingAfter(RecordingPublisher):
    """Acknowledges ``n`` messages, then the broker goes away."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    async def publish(self, messages: Sequence[Message], *, topic: str | None = None) -> None:
        if len(self.published) >= self.n:
            raise ConnectionRefusedError("broker gone")
        await super().publish(messages, topic=topic)


class Pipelining(RecordingPublisher):
    """A pipelining publisher (``bus.PipelinedPublisher``): ``send`` queues, and each ack
    arrives only when awaited; ``fail_ack`` makes that ack fail (the broker refused it)."""

    def __init__(self, fail_ack: int | None = None) -> None:
        super().__init__()
        self.fail_ack = fail_ack
        self.queued = 0
        self.acked = 0
        self.in_flight_peak = 0

    async def send(
        self, message: Message, *, topic: str | None = None, payload: bytes | None = None
    ) -> Awaitable[object]:
        assert payload is not None
        assert type(message).model_validate_json(payload) == message  # sent as stored
        number = self.queued
        self.queued += 1
        self.in_flight_peak = max(self.in_flight_peak, self.queued - self.acked)

        async def ack() -> object:
            self.acked += 1
            if number == self.fail_ack:
                raise ConnectionRefusedError("broker refused the record")
            self.published.append((topic or message.TOPIC, message))
            return None

        return ack()


async def test_a_pipelining_publisher_gets_the_whole_batch_before_the_first_ack(
    sessions: Sessions,
) -> None:
    sent = requests(12)
    await commit(sessions, sent, service="fetcher")
    publisher = Pipelining()

    assert await OutboxRelay(sessions, publisher, service="fetcher").flush() == 12
    assert publisher.in_flight_peak == 12  # one round of sends, not a round trip each
    assert [m for _, m in publisher.published] == sent


async def test_a_refused_ack_leaves_the_whole_batch_unsent(sessions: Sessions) -> None:
    sent = requests(6)
    await commit(sessions, sent, service="extractor")
    relay = OutboxRelay(sessions, Pipelining(fail_ack=3), service="extractor")

    with pytest.raises(ConnectionRefusedError):
        await relay.flush()
    assert await relay.unsent() == 6  # marked sent only once every ack is in

    again = Pipelining()
    assert await OutboxRelay(sessions, again, service="extractor").flush() == 6
    assert [m for _, m in again.published] == sent


async def test_committed_messages_are_published_in_order_and_only_once(
    sessions: Sessions,
) -> None:
    sent = requests(5)
    await commit(sessions, sent, service="fetcher")
    publisher = RecordingPublisher()
    relay = OutboxRelay(sessions, publisher, service="fetcher")

    assert await relay.flush() == 5
    assert await relay.flush() == 0
    assert [m for _, m in publisher.published] == sent
    assert await relay.unsent() == 0


async def test_a_rolled_back_transaction_leaves_nothing_to_publish(sessions: Sessions) -> None:
    async with UnitOfWorkBase(sessions, service="fetcher") as uow:
        await uow.outbox.add(requests(3))
        # no commit: the handler failed half way
    relay = OutboxRelay(sessions, RecordingPublisher(), service="fetcher")
    assert await relay.flush() == 0


async def test_a_crash_before_the_mark_publishes_again_rather_than_losing(
    sessions: Sessions,
) -> None:
    sent = requests(6)
    await commit(sessions, sent, service="extractor")

    broken = OutboxRelay(sessions, FailingAfter(4), service="extractor")
    with pytest.raises(ConnectionRefusedError):
        await broken.flush()
    assert await broken.unsent() == 6  # nothing was marked: the batch rolled back

    publisher = RecordingPublisher()
    assert await OutboxRelay(sessions, publisher, service="extractor").flush() == 6
    assert [m for _, m in publisher.published] == sent


class BackAfter(RecordingPublisher):
    """Refuses every message (the broker away) until ``back`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.back = False
        self.refusals = 0
        self.refused = asyncio.Event()
        self.delivered = asyncio.Event()

    async def publish(self, messages: Sequence[Message], *, topic: str | None = None) -> None:
        if not self.back:
            self.refusals += 1
            self.refused.set()
            raise ConnectionRefusedError("broker gone")
        await super().publish(messages, topic=topic)
        self.delivered.set()


async def test_a_wake_ends_an_outage_backoff_at_once(sessions: Sessions) -> None:
    """After an outage the relay's backoff has grown (8-30 s); a handler's commit (a wake)
    means the dependencies are back, so the relay flushes then, not at the backoff's end."""
    await commit(sessions, requests(1), service="publisher")
    publisher = BackAfter()
    outage = Outage("publisher", base_s=60.0, cap_s=60.0)  # every backoff 30-60 s
    relay = OutboxRelay(sessions, publisher, service="publisher", outage=outage)
    running = asyncio.create_task(relay.run(idle_s=0.05))
    try:
        await asyncio.wait_for(publisher.refused.wait(), 10.0)
        await asyncio.sleep(0.2)  # the relay notes the outage and starts its backoff
        assert outage.waiting
        publisher.back = True
        relay.wake()
        await asyncio.wait_for(publisher.delivered.wait(), 5.0)  # not the 30-60 s backoff
        assert publisher.refusals == 1  # no retry ran before the wake
        assert await relay.unsent() == 0
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running


async def test_each_service_relays_only_its_own_messages(sessions: Sessions) -> None:
    await commit(sessions, requests(2, "f"), service="fetcher")
    await commit(sessions, requests(3, "p"), service="publisher")
    fetcher, everything = RecordingPublisher(), RecordingPublisher()

    assert await OutboxRelay(sessions, fetcher, service="fetcher").flush() == 2
    assert await OutboxRelay(sessions, everything, service=None).flush() == 3
    assert all("/f/" in m.url for _, m in fetcher.published)  # type: ignore[attr-defined]


async def test_a_failing_before_publish_hook_keeps_the_message_unsent(sessions: Sessions) -> None:
    await commit(sessions, requests(1), service="publisher")

    async def files_unwritable(message: Message) -> None:
        raise PermissionError("out/ is read-only")

    publisher = RecordingPublisher()
    relay = OutboxRelay(sessions, publisher, service="publisher", before_publish=files_unwritable)
    with pytest.raises(PermissionError):
        await relay.flush()
    assert publisher.published == []
    assert await relay.unsent() == 1


@pytest.mark.postgres
async def test_concurrent_relays_on_postgresql_publish_each_message_once(
    database_url: str,
) -> None:
    """Replicas share the outbox: SKIP LOCKED hands each row to one relay at a time."""
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    try:
        sent = requests(400)
        await commit(sessions, sent, service="summarizer")
        publishers = [RecordingPublisher() for _ in range(3)]
        relays = [OutboxRelay(sessions, p, service="summarizer", batch=25) for p in publishers]
        counts = await asyncio.gather(*(r.flush() for r in relays))
        published = [m.message_id for p in publishers for _, m in p.published]
    finally:
        await engine.dispose()
    assert sum(counts) == 400
    assert sorted(published) == sorted(m.message_id for m in sent)


async def test_a_dead_letter_is_queued_once_however_often_its_record_comes_back(
    sessions: Sessions,
) -> None:
    """The letter was queued, then the offset commit was lost (broker paused): the record is
    handled again and dead-lettered again, under the same key."""
    woken: list[bool] = []
    box = OutboxLetterBox(sessions, "extractor", lambda: woken.append(True))
    record = Record("devoured.page_fetched", 2, 17, b"k", b"{not json")
    processor = RecordProcessor(
        Stage("extractor", PageFetched, _never_called), RecordingPublisher(), letters=box
    )
    for _ in range(3):
        await processor.process(record)
    other = Record("devoured.page_fetched", 2, 18, b"k", b"{not json")
    await processor.process(other)

    publisher = RecordingPublisher()
    assert await OutboxRelay(sessions, publisher, service="extractor").flush() == 2
    assert [topic for topic, _ in publisher.published] == ["devoured.page_fetched.dlq"] * 2
    offsets = [m.offset for _, m in publisher.published if isinstance(m, DeadLetter)]
    assert offsets == [17, 18]
    assert len(woken) == 4


async def _never_called(message: Message) -> list[Message]:
    raise AssertionError("an invalid record never reaches the handler")
