"""Embedded mode traces as the services do: the in-memory bus carries the trace context in
record headers, and the outbox relay publishes each row in the trace of the span that
queued it, so one article is one trace from its feed poll to the publisher."""

from pathlib import Path

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from devoured_core.messages import ArticleExtracted, ArticleSummarized, FetchRequested, PageFetched
from devoured_core.urls import article_id_for
from devoured_embedded.runner import run_once
from devoured_infra import tracing
from devoured_infra.settings import Settings
from tests.e2e.pipeline import embedded_overrides
from tests.support.site import serve_site


async def test_one_article_is_one_trace_in_embedded_mode(tmp_path: Path) -> None:
    exporter = InMemorySpanExporter()
    assert tracing.configure_tracing("devoured-test", exporter=exporter)
    try:
        with serve_site(1) as site:
            settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'devoured.db'}")
            overrides = embedded_overrides(tmp_path, f"{site.base_url}/feed.xml")
            report = await run_once(settings, overrides=overrides)
            article_id = article_id_for(f"{site.base_url}{site.article_path(0)}")
        spans = exporter.get_finished_spans()
    finally:
        exporter.shutdown()
    assert report.processed[PageFetched.TOPIC] == 1
    by_id = {s.context.span_id: s for s in spans if s.context is not None}
    names = [
        f"fetcher process {FetchRequested.TOPIC}",
        f"extractor process {PageFetched.TOPIC}",
        f"summarizer process {ArticleExtracted.TOPIC}",
        f"publisher process {ArticleSummarized.TOPIC}",
    ]
    article = [
        s
        for s in spans
        if s.name in names and (s.attributes or {}).get("devoured.article_id") == article_id
    ]
    assert [s.name for s in article] == names  # finished in pipeline order, one each
    # Walk up from the publisher's span: each stage's parent is a publish inside the one before.
    chain = []
    span = article[-1]
    while span.parent is not None:
        chain.append(span)
        span = by_id[span.parent.span_id]
    chain.append(span)
    consumers = [s.name for s in reversed(chain) if s.kind is SpanKind.CONSUMER]
    assert consumers == [f"fetcher process {FetchRequested.TOPIC}", *names]  # the poll first
    producers = [s for s in chain if s.kind is SpanKind.PRODUCER]
    # one before each stage; the root is the publish of the scheduler's poll
    assert len(producers) == 5
    assert chain[-1] is producers[-1]
    assert chain[-1].name == f"embedded publish {FetchRequested.TOPIC}"
    assert all(s.name.startswith("embedded publish ") for s in producers)
    assert len({s.context.trace_id for s in chain if s.context}) == 1
    assert any(s.kind is SpanKind.CLIENT and s.parent is not None for s in spans)
