"""A record as big as its topic allows is dead-lettered on the real broker, not looped on.

Its letter repeats the value JSON-escaped, so before the cut the letter was bigger than the
broker accepts: the publish failed, the offset stayed uncommitted, and the record came back
forever.
"""

from collections.abc import Sequence

import pytest
from aiokafka import AIOKafkaProducer

from devoured_core.errors import PermanentError
from devoured_core.messages import DeadLetter, Message, PageFetched
from devoured_core.topics import dead_letter_topic
from devoured_infra.bus import Stage
from devoured_infra.kafka import service_app
from devoured_infra.service import Input, ServiceDescriptor, Wiring
from tests.support.asgi import serve_asgi
from tests.support.kafka import collect, provisioned_settings
from tests.support.services import free_port
from tests.unit import samples

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(180)]

# Record batch and record framing around one uncompressed value and its key, with room to spare.
FRAMING_BYTES = 512


async def _refuse(message: PageFetched) -> Sequence[Message]:
    raise PermanentError("extract: no article here")


def _page_of_size(size: int) -> bytes:
    """A valid PageFetched of exactly ``size`` bytes, its body HTML heavy in quotes."""
    room = size - len(samples.page_fetched(body="").model_dump_json().encode())
    chunk = '<p class="lede">a "quoted" word</p>\n'
    escaped = len(chunk) + chunk.count('"') + chunk.count("\n")
    body = chunk * (room // escaped) + "x" * (room % escaped)
    value = samples.page_fetched(body=body).model_dump_json().encode()
    assert len(value) == size
    return value


async def test_a_record_at_the_topics_size_limit_lands_on_the_dlq(
    kafka_bootstrap_servers: str, database_url: str, topic_prefix: str
) -> None:
    settings = await provisioned_settings(
        kafka_bootstrap_servers,
        topic_prefix,
        topic_partitions=1,
        http_port=free_port(),
        database_url=database_url,
    )
    limit = settings.kafka_max_message_bytes
    value = _page_of_size(limit - FRAMING_BYTES)
    key = samples.page_fetched().key()
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap_servers, acks="all", max_request_size=limit
    )
    await producer.start()
    try:  # the broker takes it: the record really is at the topic's limit
        await producer.send_and_wait(settings.physical_topic(PageFetched.TOPIC), value, key=key)
    finally:
        await producer.stop()

    refusing = ServiceDescriptor(
        name="extractor",
        port=0,
        inputs=(Input(PageFetched),),
        bootstrap=lambda _: Wiring(stages=[Stage("extractor", PageFetched, _refuse)]),
    )
    app = service_app(settings, refusing)
    async with serve_asgi(app, settings.http_port or 0):
        [raw] = await collect(
            kafka_bootstrap_servers,
            settings.physical_topic(dead_letter_topic(PageFetched.TOPIC)),
            until=lambda found: len(found) >= 1,
            timeout_s=90,
        )

    letter = DeadLetter.model_validate(raw)
    assert letter.error == "PermanentError: extract: no article here"
    assert letter.payload_truncated is True
    assert letter.payload_bytes == len(value)
    assert (letter.original_topic, letter.partition, letter.offset) == (PageFetched.TOPIC, 0, 0)
    assert value.decode().startswith(letter.payload)
    assert len(letter.model_dump_json().encode()) + len(key) < limit
