"""One article through the four services, each in this process on the real broker and
database, is one trace: the feed poll, the article fetch, the extraction, the summary and the
publisher's intake, each a CONSUMER span whose parent is the PRODUCER span of the relay that
published its input, with the database statements as child spans."""

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from devoured_core.messages import (
    ArticleExtracted,
    ArticleSummarized,
    FetchRequested,
    PageFetched,
    PollFeed,
    SourceInfo,
)
from devoured_core.urls import article_id_for
from devoured_fetcher.settings import FetcherSettings
from devoured_infra import registry, tracing
from devoured_infra.kafka import service_app
from devoured_infra.settings import Settings
from devoured_publisher.settings import PublisherSettings
from tests.support.asgi import serve_asgi
from tests.support.kafka import produce_messages, provisioned_settings
from tests.support.services import free_port
from tests.support.site import serve_site

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(240)]

SOURCE = SourceInfo(source_id="trace-wire", name="Trace Wire", section=None)
STAGES = ("fetcher", "extractor", "summarizer", "publisher")


@asynccontextmanager
async def pipeline(settings: Settings, out: Path) -> AsyncIterator[None]:
    """All four services in this process, each on a port of its own."""
    overrides = [
        FetcherSettings(scheduler_enabled=False, allowed_networks="127.0.0.0/8"),
        PublisherSettings(out_dir=out, edition_interval_s=0.5),
    ]
    async with AsyncExitStack() as stack:
        for name in STAGES:
            own = settings.model_copy(update={"http_port": free_port()})
            app = service_app(own, registry.find(name), overrides=overrides)
            await stack.enter_async_context(serve_asgi(app, own.http_port or 0))
        yield


async def _spans_until(
    exporter: InMemorySpanExporter, name: str, *, timeout_s: float = 120.0
) -> Sequence[ReadableSpan]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        spans = exporter.get_finished_spans()
        if any(s.name == name for s in spans):
            return spans
        await asyncio.sleep(0.25)
    raise TimeoutError(f"no span {name!r}; have {sorted({s.name for s in spans})}")


def _one(spans: Sequence[ReadableSpan], name: str, **attributes: object) -> ReadableSpan:
    found = [
        s
        for s in spans
        if s.name == name and all((s.attributes or {}).get(k) == v for k, v in attributes.items())
    ]
    assert len(found) == 1, (name, attributes, [s.attributes for s in found])
    return found[0]


def _parent(spans: Sequence[ReadableSpan], span: ReadableSpan) -> ReadableSpan:
    assert span.parent is not None, span.name
    by_id = {s.context.span_id: s for s in spans if s.context is not None}
    return by_id[span.parent.span_id]


async def test_one_article_is_one_trace_through_the_four_services(
    kafka_bootstrap_servers: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> None:
    exporter = InMemorySpanExporter()
    assert tracing.configure_tracing("devoured-test", exporter=exporter)
    try:
        await _one_article(exporter, kafka_bootstrap_servers, database_url, topic_prefix, tmp_path)
    finally:
        exporter.shutdown()  # the process keeps its provider; later spans are not kept


async def _one_article(
    exporter: InMemorySpanExporter,
    kafka_bootstrap_servers: str,
    database_url: str,
    topic_prefix: str,
    tmp_path: Path,
) -> None:
    settings = await provisioned_settings(
        kafka_bootstrap_servers,
        topic_prefix,
        database_url=database_url,
        topic_partitions=2,
        kafka_session_timeout_ms=6000,
    )
    with serve_site(1) as site:
        feed_url = f"{site.base_url}/feed.xml"
        article_url = f"{site.base_url}{site.article_path(0)}"
        async with pipeline(settings, tmp_path):
            await produce_messages(
                kafka_bootstrap_servers, settings, [PollFeed(url=feed_url, source=SOURCE)]
            )
            spans = await _spans_until(exporter, f"publisher process {ArticleSummarized.TOPIC}")
    # Only this test's spans: its topics' records and what they led to.
    fetch = FetchRequested.TOPIC
    article_id = article_id_for(article_url)
    # The poll is the record the test produced: the one fetch span with no parent.
    polls = [s for s in spans if s.name == f"fetcher process {fetch}" and s.parent is None]
    assert len(polls) == 1, [s.attributes for s in spans if s.name.startswith("fetcher")]
    poll = polls[0]
    stage_spans = [
        poll,
        _one(spans, f"fetcher process {fetch}", **{"devoured.article_id": article_id}),
        _one(spans, f"extractor process {PageFetched.TOPIC}"),
        _one(spans, f"summarizer process {ArticleExtracted.TOPIC}"),
        _one(spans, f"publisher process {ArticleSummarized.TOPIC}"),
    ]
    trace_id = poll.context.trace_id if poll.context else None
    assert trace_id is not None
    assert all(s.context and s.context.trace_id == trace_id for s in stage_spans)
    assert all(s.kind is SpanKind.CONSUMER for s in stage_spans)
    assert "devoured.article_id" not in (poll.attributes or {})

    # Each stage's input was published by the previous stage's relay, inside its span.
    for before, after in itertools.pairwise(stage_spans):
        producer = _parent(spans, after)
        assert producer.kind is SpanKind.PRODUCER, after.name
        topic = str((after.attributes or {})["messaging.destination.name"])
        assert producer.name.endswith(f" publish {topic}")
        assert _parent(spans, producer) is before
        assert before.end_time is not None
        assert after.start_time is not None
        assert before.start_time is not None
        assert before.start_time < after.start_time
    for stage in stage_spans:
        assert (stage.attributes or {})["messaging.system"] == "kafka"
        assert isinstance((stage.attributes or {})["messaging.kafka.partition"], int)
        assert isinstance((stage.attributes or {})["messaging.kafka.offset"], int)
    for stage in stage_spans[1:]:
        assert (stage.attributes or {})["devoured.article_id"] == article_id

    # Database statements and the HTTP fetches are child spans of the stages.
    stage_ids = {s.context.span_id for s in stage_spans if s.context}
    children = [s for s in spans if s.parent is not None and s.parent.span_id in stage_ids]
    db = [s for s in children if s.kind is SpanKind.CLIENT and "db.system" in str(s.attributes)]
    assert {_parent(spans, s).name.split()[0] for s in db} >= set(STAGES)
    http = [s for s in spans if s.kind is SpanKind.CLIENT and s.context.trace_id == trace_id]
    assert any("http" in str(s.attributes) for s in http)
