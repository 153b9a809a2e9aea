"""Print each edition Devoured publishes: its title and how many stories it holds.

    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 DEVOURED_KAFKA_TOPIC_PREFIX=prod. \\
        python docs/examples/consume_digests.py [how many editions, then stop]

It needs only aiokafka. Each record's value is a DigestPublished (docs/schemas/); an edition
rebuilt with new stories comes again under the same ``edition_id``.
"""

import asyncio
import json
import os
import sys

from aiokafka import AIOKafkaConsumer


async def main(limit: int | None = None) -> None:
    prefix = os.environ.get("DEVOURED_KAFKA_TOPIC_PREFIX", "")
    consumer = AIOKafkaConsumer(
        f"{prefix}devoured.digest_published",
        bootstrap_servers=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        group_id=f"{prefix}example-digest-printer",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        seen = 0
        async for record in consumer:
            edition = json.loads(record.value or b"{}")
            print(f"{edition['title']}: {edition['item_count']} item(s)", flush=True)
            seen += 1
            if limit is not None and seen >= limit:
                return
    finally:
        await consumer.stop()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else None))
