"""`devoured dlq replay` on the real broker: dead letters go back to their topic, once."""

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaConsumer

from devoured_core.messages import DeadLetter, PageFetched, SourceInfo
from devoured_core.topics import PAGE_FETCHED, dead_letter_topic
from devoured_core.urls import article_id_for
from devoured_infra.dlq import build_dead_letter, replay
from devoured_infra.pump import Record
from tests.support.kafka import produce, provisioned_settings

pytestmark = [pytest.mark.kafka, pytest.mark.timeout(120)]


def _letter(n: int) -> DeadLetter:
    url = f"https://news.test/story-{n}"
    page = PageFetched(
        article_id=article_id_for(url),
        url=url,
        final_url=url,
        status=200,
        fetched_at=datetime.now(UTC),
        body=f"<p>story {n}</p>",
        source=SourceInfo(source_id="s", name="S"),
    )
    return DeadLetter(
        original_topic=PAGE_FETCHED,
        partition=0,
        offset=n,
        message_key=page.article_id,
        payload=page.model_dump_json(),
        error="TransientError: site was down",
        service="extractor",
        attempts=3,
    )


async def _read_all(servers: str, topic: str) -> list[tuple[bytes | None, bytes, dict[str, bytes]]]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=servers, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    try:
        found = []
        for records in (await consumer.getmany(timeout_ms=3000)).values():
            found += [(r.key, r.value or b"", dict(r.headers)) for r in records]
        return found
    finally:
        await consumer.stop()


async def test_replay_republishes_payloads_once_and_dry_run_sends_nothing(
    kafka_bootstrap_servers: str, topic_prefix: str
) -> None:
    settings = await provisioned_settings(
        kafka_bootstrap_servers,
        topic_prefix,
        topic_partitions=1,
    )
    letters = [_letter(n) for n in range(3)]
    dlq = topic_prefix + dead_letter_topic(PAGE_FETCHED)
    target = topic_prefix + PAGE_FETCHED
    for letter in letters:
        await produce(
            kafka_bootstrap_servers, dlq, [letter.model_dump_json().encode()], letter.key()
        )
    await produce(kafka_bootstrap_servers, dlq, [b"not json at all"])

    dry = await replay(settings, PAGE_FETCHED, dry_run=True)
    assert [d.action for d in dry] == ["would-replay"] * 3 + ["skipped"]
    assert await _read_all(kafka_bootstrap_servers, target) == []

    first = await replay(settings, PAGE_FETCHED, limit=2)
    assert [d.action for d in first] == ["replayed", "replayed"]
    rest = await replay(settings, dead_letter_topic(PAGE_FETCHED))
    assert [d.action for d in rest] == ["replayed", "skipped"]
    assert await replay(settings, PAGE_FETCHED) == []  # already replayed: nothing new

    sent = await _read_all(kafka_bootstrap_servers, target)
    assert [(key, value) for key, value, _ in sent] == [
        (letter.key(), letter.payload.encode()) for letter in letters
    ]
    assert all(headers["x-devoured-type"] == b"PageFetched" for _, _, headers in sent)
    assert PageFetched.model_validate_json(sent[0][1]).url == "https://news.test/story-0"

    again = await replay(settings, PAGE_FETCHED, from_beginning=True, limit=1)
    assert [d.offset for d in again] == [0]


async def test_replay_skips_a_letter_whose_payload_was_cut(
    kafka_bootstrap_servers: str, topic_prefix: str
) -> None:
    settings = await provisioned_settings(kafka_bootstrap_servers, topic_prefix, topic_partitions=1)
    page = _letter(0).payload.encode()
    record = Record(PAGE_FETCHED, partition=0, offset=9, key=b"k", value=page + b" " * 20_000)
    cut = build_dead_letter(record, "boom", service="extractor", attempts=1, max_bytes=20_000)
    assert cut.payload_truncated
    dlq = topic_prefix + dead_letter_topic(PAGE_FETCHED)
    await produce(kafka_bootstrap_servers, dlq, [cut.model_dump_json().encode()], cut.key())

    dry = await replay(settings, PAGE_FETCHED, dry_run=True)
    done = await replay(settings, PAGE_FETCHED)

    assert [d.action for d in dry] == [d.action for d in done] == ["skipped"]
    assert "payload truncated" in done[0].detail
    assert f"{PAGE_FETCHED} partition 0 offset 9" in done[0].detail
    assert await _read_all(kafka_bootstrap_servers, topic_prefix + PAGE_FETCHED) == []


def test_cli_replay_dry_run_and_bad_topic(kafka_bootstrap_servers: str, topic_prefix: str) -> None:
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap_servers,
        "DEVOURED_KAFKA_TOPIC_PREFIX": topic_prefix,
    }
    cli = [sys.executable, "-m", "devoured_embedded.cli"]
    subprocess.run([*cli, "topics", "ensure"], env=_env(env), check=True, capture_output=True)
    letter = _letter(7)
    asyncio.run(
        produce(
            kafka_bootstrap_servers,
            topic_prefix + dead_letter_topic(PAGE_FETCHED),
            [letter.model_dump_json().encode()],
        )
    )
    done = subprocess.run(
        [*cli, "dlq", "replay", PAGE_FETCHED, "--dry-run"],
        env=_env(env),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "1 would-replay" in done.stderr
    bad = subprocess.run(
        [*cli, "dlq", "replay", "devoured.digest_published"],
        env=_env(env),
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "not a consumed topic" in bad.stderr
    assert json.loads(letter.payload)["url"] == "https://news.test/story-7"


def _env(extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **extra, "COLUMNS": "200"}
