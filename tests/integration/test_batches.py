"""A batched stage on the real broker and PostgreSQL: records share transactions, every good
record's output comes out once, the bad ones are dead-lettered, and every offset is committed.
"""

from collections import Counter
from collections.abc import Sequence

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from devoured_core.errors import PermanentError
from devoured_core.messages import ArticleExtracted, Message, PageFetched
from devoured_core.topics import dead_letter_topic
from devoured_infra.bus import Stage
from devoured_infra.kafka import service_app
from devoured_infra.lag import group_id
from devoured_infra.service import Input, ServiceContext, ServiceDescriptor, Wiring
from devoured_infra.uow import UnitOfWorkBase
from tests.support.asgi import serve_asgi
from tests.support.kafka import collect, committed_total, provisioned_settings, wait_for
from tests.support.services import free_port
from tests.unit import samples

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(180)]

PAGES = 40
PARTITIONS = 3


class Extracting:
    """Stores each page's article in the outbox; remembers the transaction each ran in."""

    def __init__(self) -> None:
        self.transactions: list[int] = []
        self.context: ServiceContext | None = None

    def wire(self, context: ServiceContext) -> Wiring:
        self.context = context
        return Wiring(stages=[Stage("extractor", PageFetched, self.handle, batch=True)])

    async def handle(self, page: PageFetched) -> Sequence[Message]:
        assert self.context is not None
        if page.body == "permanent":
            raise PermanentError("extract: no article here")
        article = samples.article_extracted(article_id=page.article_id)
        async with UnitOfWorkBase(self.context.sessions, service="extractor") as uow:
            await uow.outbox.add([article])
            # The handler's session is the unit of work's: its transaction is the batch's.
            session = uow.outbox._session
            txid = (await session.execute(text("SELECT txid_current()"))).scalar_one()
            self.transactions.append(int(txid))
            await uow.commit()
        return [article]


async def test_a_batched_stage_stores_each_record_once_and_dead_letters_the_bad(
    kafka_bootstrap_servers: str, database_url: str, topic_prefix: str
) -> None:
    settings = await provisioned_settings(
        kafka_bootstrap_servers,
        topic_prefix,
        topic_partitions=PARTITIONS,
        http_port=free_port(),
        database_url=database_url,
    )
    topic = settings.physical_topic(PageFetched.TOPIC)
    values = [
        samples.page_fetched(article_id=f"a{i}").model_dump_json().encode() for i in range(PAGES)
    ]
    values[7] = b'{"not": "a page"}'
    values[23] = samples.page_fetched(body="permanent", article_id="a23").model_dump_json().encode()
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers, acks="all")
    await producer.start()
    try:
        for i, value in enumerate(values):
            await producer.send(topic, value, key=f"k{i}".encode(), partition=i % PARTITIONS)
        await producer.flush()
    finally:
        await producer.stop()

    stage = Extracting()
    descriptor = ServiceDescriptor(
        name="extractor", port=0, inputs=(Input(PageFetched),), bootstrap=stage.wire
    )
    app = service_app(settings, descriptor)
    group = group_id(settings, "extractor", PageFetched.TOPIC)
    async with serve_asgi(app, settings.http_port or 0):
        letters = await collect(
            kafka_bootstrap_servers,
            settings.physical_topic(dead_letter_topic(PageFetched.TOPIC)),
            until=lambda found: len(found) >= 2,
            timeout_s=90,
        )
        await wait_for(
            lambda: _committed_ok(kafka_bootstrap_servers, group, topic),
            timeout_s=60,
            message="every offset is committed",
        )
        outputs = await collect(
            kafka_bootstrap_servers,
            settings.physical_topic(ArticleExtracted.TOPIC),
            until=lambda found: len(found) >= PAGES - 2,
            timeout_s=60,
        )

    ids = Counter(str(o["article_id"]) for o in outputs)
    assert set(ids) == {f"a{i}" for i in range(PAGES)} - {"a7", "a23"}
    assert max(ids.values()) == 1
    assert sorted(int(letter["offset"]) for letter in letters) == [2, 7]  # 7 // 3, 23 // 3
    # Records shared transactions: fewer transactions than records stored.
    assert len(set(stage.transactions)) < len(stage.transactions)


async def _committed_ok(servers: str, group: str, topic: str) -> bool:
    return await committed_total(servers, group, topic, PARTITIONS) == PAGES
