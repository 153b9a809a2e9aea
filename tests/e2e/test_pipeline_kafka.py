"""End to end: the four services as separate processes on real Kafka and PostgreSQL."""

import asyncio
import json
import urllib.request
from pathlib import Path

import pytest

from devoured_core.topics import DIGEST_PUBLISHED, dead_letter_topic
from devoured_infra.registry import consumed_topics
from tests.e2e.pipeline import (
    Pipeline,
    prepare,
    running_pipeline,
)
from tests.support.kafka import collect, produce, wait_for
from tests.support.services import SERVICES
from tests.support.site import DANGEROUS, serve_site


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body.decode()


pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(600)]


async def _wait_for_edition(pipeline: Pipeline, expected: int, timeout_s: float) -> None:
    async def complete() -> bool:
        return await pipeline.edition_items() == expected

    try:
        await wait_for(complete, timeout_s=timeout_s, message=f"edition with {expected} items")
    except TimeoutError:
        counts = {s: await pipeline.count(s) for s in SERVICES}
        pytest.fail(f"edition incomplete; stage counts {counts}\n{pipeline.logs()}")


async def test_feed_of_five_becomes_an_edition_of_five_and_poison_is_dead_lettered(
    kafka_bootstrap_servers: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> None:
    with serve_site(5, hostile=frozenset({2})) as site:
        env, settings = await prepare(
            kafka=kafka_bootstrap_servers,
            database_url=database_url,
            prefix=topic_prefix,
            feed_url=f"{site.base_url}/feed.xml",
            workdir=tmp_path,
        )
        for topic in consumed_topics():
            await produce(
                kafka_bootstrap_servers,
                settings.physical_topic(topic),
                [b"{this is not json", b'{"schema_version": 1, "unexpected": true}'],
            )
        with running_pipeline(env, tmp_path, database_url, settings) as pipeline:
            await _wait_for_edition(pipeline, 5, timeout_s=120)
            await asyncio.sleep(3)  # anything doubled would show up by now
            assert await pipeline.edition_items() == 5
            assert await pipeline.count("publisher") == 5
            assert await pipeline.distinct_story_urls() == 5

            for topic in consumed_topics():
                letters = await collect(
                    kafka_bootstrap_servers,
                    settings.physical_topic(dead_letter_topic(topic)),
                    until=lambda messages: len(messages) >= 2,
                    timeout_s=30,
                )
                assert {letter["original_topic"] for letter in letters} == {topic}
                assert all(letter["error"].startswith("invalid ") for letter in letters)
                assert {letter["payload"] for letter in letters} >= {"{this is not json"}

            digests = await collect(
                kafka_bootstrap_servers,
                settings.physical_topic(DIGEST_PUBLISHED),
                until=lambda messages: any(m["item_count"] == 5 for m in messages),
            )
            final = next(m for m in digests if m["item_count"] == 5)
            assert sum(len(section["items"]) for section in final["sections"]) == 5

            # The publisher's own website and API serve the same edition.
            site_url = f"http://127.0.0.1:{pipeline.services['publisher'].port}"
            editions = json.loads(_get(f"{site_url}/api/editions"))
            assert [(e["edition_id"], e["item_count"]) for e in editions] == [
                (final["edition_id"], 5)
            ]
            assert final["title"] in _get(f"{site_url}/editions/{final['edition_id']}")
            assert final["title"] in _get(f"{site_url}/feed.xml")
            pages = [
                _get(f"{site_url}{path}")
                for path in (
                    "/",
                    f"/editions/{final['edition_id']}",
                    "/search?q=payload",
                    f"/api/editions/{final['edition_id']}",
                    "/api/articles?q=payload",
                )
            ]
            hostile = json.loads(_get(f"{site_url}/api/articles?q=payload"))
            assert len(hostile) == 1, "the hostile article made it through as text"
            pages.append(_get(f"{site_url}/articles/{hostile[0]['article_id']}"))

        outputs = [p.read_text() for p in (tmp_path / "out").iterdir()]
        for body in pages + outputs:
            assert not [d for d in DANGEROUS if d in body.lower()]
        markdown = (tmp_path / "out" / f"{final['edition_id']}.md").read_text()
        assert markdown.startswith(f"# {final['title']}")
        assert markdown.count("#### Deep dive") + markdown.count("## Quick Links") >= 1
        assert (
            json.loads((tmp_path / "out" / f"{final['edition_id']}.json").read_text())["item_count"]
            == 5
        )


@pytest.mark.parametrize("victim", SERVICES)
async def test_sigkill_and_restart_loses_nothing_and_doubles_nothing(
    victim: str,
    kafka_bootstrap_servers: str,
    database_url: str,
    topic_prefix: str,
    tmp_path: Path,
) -> None:
    articles = 50
    with serve_site(articles, delay_s=0.1) as site:
        env, settings = await prepare(
            kafka=kafka_bootstrap_servers,
            database_url=database_url,
            prefix=topic_prefix,
            feed_url=f"{site.base_url}/feed.xml",
            workdir=tmp_path,
        )
        with running_pipeline(env, tmp_path, database_url, settings) as pipeline:

            async def mid_flow() -> int:
                done = await pipeline.count(victim)
                return done if done >= 5 else 0

            done_at_kill = await wait_for(
                mid_flow, timeout_s=120, interval_s=0.1, message=f"{victim} processed 5 articles"
            )
            pipeline.services[victim].kill()
            assert done_at_kill < articles, "the victim finished before it could be killed"
            await asyncio.sleep(1)
            pipeline.services[victim].start()
            pipeline.services[victim].wait_ready()

            await _wait_for_edition(pipeline, articles, timeout_s=240)
            await asyncio.sleep(3)
            assert await pipeline.edition_items() == articles
            assert await pipeline.count("publisher") == articles
            assert await pipeline.distinct_story_urls() == articles
            for stage in SERVICES:
                assert await pipeline.count(stage) == articles, stage
