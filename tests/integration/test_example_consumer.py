"""docs/examples/consume_digests.py, run as a reader would, prints the editions published on
the real broker."""

import asyncio
import os
import sys
from pathlib import Path

import pytest

from devoured_infra.kafka import KafkaPublisher, make_broker
from tests.support.kafka import provisioned_settings
from tests.unit import samples

pytestmark = [pytest.mark.kafka, pytest.mark.timeout(120)]

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "consume_digests.py"


async def test_the_example_prints_each_edition(
    kafka_bootstrap_servers: str, topic_prefix: str
) -> None:
    settings = await provisioned_settings(kafka_bootstrap_servers, topic_prefix, topic_partitions=1)
    first = samples.digest_published(title="Morning - November 29, 2026", item_count=1)
    second = samples.digest_published(
        edition_id="2026-11-30", title="Morning - November 30, 2026", item_count=0, sections=[]
    )
    broker = make_broker(settings, "publisher")
    await broker.connect()
    try:
        await KafkaPublisher(broker, settings, "publisher").publish([first, second])
    finally:
        await broker.stop()

    env = os.environ | {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap_servers,
        "DEVOURED_KAFKA_TOPIC_PREFIX": topic_prefix,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLE),
        "2",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), 60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, err.decode()
    assert out.decode().splitlines() == [
        "Morning - November 29, 2026: 1 item(s)",
        "Morning - November 30, 2026: 0 item(s)",
    ]
