"""Each service in this process on the real broker and database: a good message flows through,
a poison message lands in the input topic's dead-letter topic, and the service carries on."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from devoured_core.messages import (
    ArticleExtracted,
    ArticleSummarized,
    DecoderTerm,
    FetchRequested,
    Message,
    PageFetched,
    SourceInfo,
    UrlSubmitted,
)
from devoured_core.topics import dead_letter_topic
from devoured_core.urls import article_id_for
from devoured_fetcher.settings import FetcherSettings
from devoured_infra import registry
from devoured_infra.kafka import service_app
from devoured_infra.settings import Settings
from devoured_publisher.settings import PublisherSettings
from tests.support.asgi import serve_asgi
from tests.support.kafka import collect, produce, produce_messages, provisioned_settings
from tests.support.services import free_port
from tests.support.site import Site, serve_site

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(180)]

SOURCE = SourceInfo(source_id="test-wire", name="Test Wire", section=None)


def _input_for(service: str, site: Site) -> Message:
    url = f"{site.base_url}{site.article_path(0)}"
    if service == "fetcher":
        return FetchRequested(url=url, kind="article", source=SOURCE)
    if service == "extractor":
        return PageFetched(
            article_id=article_id_for(url),
            url=url,
            final_url=url,
            status=200,
            fetched_at=datetime.now(UTC),
            body=site.page(0),
            source=SOURCE,
        )
    text = " ".join(f"Sentence number {i} explains a detail of the launch." for i in range(60))
    extracted = ArticleExtracted(
        article_id=article_id_for(url),
        canonical_url=url,
        title="A launch",
        text=text,
        word_count=len(text.split()),
        reading_minutes=3,
        content_hash="0" * 64,
        source=SOURCE,
    )
    if service == "summarizer":
        return extracted
    return ArticleSummarized(
        **extracted.model_dump(
            include={"article_id", "canonical_url", "title", "text", "reading_minutes", "source"}
        ),
        tldr="A launch happened.",
        deep_dive=["One detail."],
        decoder=[DecoderTerm(term="API", definition="A programming interface.")],
        backend="test",
    )


OUTPUT_TOPIC = {
    "fetcher": PageFetched.TOPIC,
    "extractor": ArticleExtracted.TOPIC,
    "summarizer": ArticleSummarized.TOPIC,
    "publisher": "devoured.digest_published",
}


@asynccontextmanager
async def serving(service: str, settings: Settings, out: Path) -> AsyncIterator[None]:
    """The service in this process: no scheduler (the test sends the requests), loopback
    allowed, editions built every half second into ``out``."""
    overrides = [
        FetcherSettings(scheduler_enabled=False, allowed_networks="127.0.0.0/8"),
        PublisherSettings(out_dir=out, edition_interval_s=0.5),
    ]
    app = service_app(settings, registry.find(service), overrides=overrides)
    async with serve_asgi(app, settings.http_port or 0):
        yield


async def _provisioned(kafka: str, database_url: str, prefix: str) -> Settings:
    """Settings for one service in this process, its topics created under ``prefix``."""
    return await provisioned_settings(
        kafka,
        prefix,
        database_url=database_url,
        topic_partitions=2,
        http_port=free_port(),
        kafka_session_timeout_ms=6000,
    )


@pytest.mark.parametrize("service", registry.names())
async def test_service_processes_good_messages_and_dead_letters_poison(
    service: str,
    kafka_bootstrap_servers: str,
    database_url: str,
    topic_prefix: str,
    tmp_path: Path,
) -> None:
    settings = await _provisioned(kafka_bootstrap_servers, database_url, topic_prefix)
    with serve_site(1) as site:
        message = _input_for(service, site)
        topic = settings.physical_topic(message.TOPIC)
        async with serving(service, settings, tmp_path):
            await produce(kafka_bootstrap_servers, topic, [b"\x00poison"], key=message.key())
            await produce_messages(kafka_bootstrap_servers, settings, [message])
            outputs = await collect(
                kafka_bootstrap_servers,
                settings.physical_topic(OUTPUT_TOPIC[service]),
                until=lambda found: len(found) >= 1,
            )
            letters = await collect(
                kafka_bootstrap_servers,
                settings.physical_topic(dead_letter_topic(message.TOPIC)),
                until=lambda found: len(found) >= 1,
            )
    assert letters[0]["service"] == service
    assert letters[0]["original_topic"] == message.TOPIC
    assert letters[0]["error"].startswith("invalid ")
    if service == "publisher":
        assert outputs[0]["item_count"] == 1
    else:
        expected = (
            article_id_for(message.url)
            if isinstance(message, FetchRequested)
            else (getattr(message, "article_id", None))
        )
        assert outputs[0]["article_id"] == expected


async def test_fetcher_fetches_a_submitted_url_once(
    kafka_bootstrap_servers: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> None:
    settings = await _provisioned(kafka_bootstrap_servers, database_url, topic_prefix)
    with serve_site(1) as site:
        url = f"{site.base_url}{site.article_path(0)}"
        submitted = UrlSubmitted(url=url, section="AI", submitted_by="A reader")
        async with serving("fetcher", settings, tmp_path):
            # the second submission finds the request already made
            await produce_messages(kafka_bootstrap_servers, settings, [submitted, submitted])
            pages = await collect(
                kafka_bootstrap_servers,
                settings.physical_topic(PageFetched.TOPIC),
                until=lambda found: len(found) >= 1,
            )
            with pytest.raises(TimeoutError):  # and no second page comes
                await collect(
                    kafka_bootstrap_servers,
                    settings.physical_topic(PageFetched.TOPIC),
                    until=lambda found: len(found) >= 2,
                    timeout_s=4,
                )
    assert [p["article_id"] for p in pages] == [article_id_for(url)]
    assert pages[0]["source"]["section"] == "AI"
    assert pages[0]["source"]["name"] == "A reader"
    assert site.requests.count(site.article_path(0)) == 1
