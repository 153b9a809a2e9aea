"""OpenTelemetry tracing across the services: W3C trace context in Kafka headers.

Off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set: then no SDK tracer provider is installed,
every span below is the API's non-recording span, and nothing is stored or exported.

When on (``configure_tracing``), one article is one trace:

- each stage's handling of a record is a CONSUMER span ``<service> process <topic>`` whose
  parent is the context the producer put in the record's headers (``traceparent``);
- a handler's outputs go to the outbox with the context of that span (``outbox.trace_context``),
  and the relay publishes each row inside a PRODUCER span ``<service> publish <topic>`` whose
  parent is that stored context; ``inject`` then puts the producer span in the headers;
- database statements (SQLAlchemy) and HTTP requests (httpx) are CLIENT child spans.

Work outside a record (the relay's polling, the scheduler's tick, the lag exporter) starts no
trace of its own: a root span is kept only when it is a message's (producer or consumer).
"""

import json
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.propagators.textmap import Getter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
from opentelemetry.sdk.trace.sampling import Decision, ParentBased, Sampler, SamplingResult
from opentelemetry.trace import Span, SpanKind

ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT"
Headers = Sequence[tuple[str, bytes]]
"""A record's headers as the Kafka client hands them over: (name, value) pairs."""

log = logging.getLogger("devoured.tracing")
_tracer = trace.get_tracer("devoured")
_provider: TracerProvider | None = None  # set once configure_tracing installed the SDK


def configure_tracing(service_name: str, *, exporter: Any = None) -> bool:
    """Install the SDK with ``service_name`` as ``service.name`` and an OTLP exporter when
    ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set (``exporter``, a SpanExporter, replaces it in
    tests). Returns whether tracing is on. Once installed, a later call only adds
    ``exporter``: one process has one tracer provider."""
    global _provider
    if _provider is not None:
        if exporter is not None:
            _provider.add_span_processor(SimpleSpanProcessor(exporter))
        return True
    if exporter is None and not os.environ.get(ENDPOINT_VARIABLE):
        return False
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    provider = TracerProvider(
        resource=Resource.create({"service.name": service_name}),
        sampler=ParentBased(root=_MessageRoots()),
    )
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    else:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    HTTPXClientInstrumentor().instrument()
    _provider = provider
    log.info("tracing on", extra={"service": service_name})
    return True


class _MessageRoots(Sampler):
    """Samples a root span only when it is a message's (a relay's publish, a record's
    handling); a database statement or HTTP request outside one starts no trace."""

    def should_sample(
        self,
        parent_context: otel_context.Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Any = None,
        links: Any = None,
        trace_state: Any = None,
    ) -> SamplingResult:
        keep = kind in (SpanKind.PRODUCER, SpanKind.CONSUMER)
        if not keep:
            return SamplingResult(Decision.DROP)
        return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes)

    def get_description(self) -> str:
        return "MessageRoots"


def instrument_engine(engine: Any) -> None:
    """Statements on ``engine`` (an AsyncEngine) become child spans, when tracing is on."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.metrics import get_meter

    usage = get_meter("devoured").create_up_down_counter("db.client.connections.usage")
    EngineTracer(  # type: ignore[no-untyped-call]
        trace.get_tracer("devoured.db", tracer_provider=_provider), engine.sync_engine, usage
    )


def inject(headers: dict[str, str]) -> None:
    """Add the current trace context to outgoing record ``headers``."""
    propagate.inject(headers)


def extract(headers: Headers) -> otel_context.Context:
    """The producer's context from a record's ``headers`` (an empty context if none)."""
    return propagate.extract(headers, getter=_HEADERS)


def current() -> str | None:
    """The current trace context as text to store with an outbox row (None when no span is
    recording, so nothing is stored while tracing is off)."""
    if not trace.get_current_span().is_recording():
        return None
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return json.dumps(carrier, sort_keys=True) if carrier else None


@contextmanager
def consuming(
    service: str,
    *,
    topic: str,
    partition: int,
    offset: int,
    headers: Headers,
    article_id: object = None,
) -> Iterator[Span]:
    """The span of one stage's handling of one record, child of the producer's context."""
    attributes: dict[str, Any] = {
        "messaging.system": "kafka",
        "messaging.operation.type": "process",
        "messaging.destination.name": topic,
        "messaging.kafka.partition": partition,
        "messaging.kafka.offset": offset,
    }
    if isinstance(article_id, str):
        attributes["devoured.article_id"] = article_id
    with _tracer.start_as_current_span(
        f"{service} process {topic}",
        context=extract(headers) if headers else None,
        kind=SpanKind.CONSUMER,
        attributes=attributes,
    ) as span:
        yield span


@contextmanager
def producing(
    service: str, *, topic: str, stored: str | None, article_id: object = None
) -> Iterator[Span]:
    """The span of a relay's publish of one outbox row, child of the context ``stored`` with
    the row (the handler's span that wrote it), so that ``inject`` passes the trace on."""
    parent = None
    if stored:
        try:
            parent = propagate.extract(json.loads(stored))
        except ValueError:
            parent = None
    attributes: dict[str, Any] = {
        "messaging.system": "kafka",
        "messaging.operation.type": "send",
        "messaging.destination.name": topic,
    }
    if isinstance(article_id, str):
        attributes["devoured.article_id"] = article_id
    with _tracer.start_as_current_span(
        f"{service} publish {topic}", context=parent, kind=SpanKind.PRODUCER, attributes=attributes
    ) as span:
        yield span


class _HeadersGetter(Getter[Headers]):
    def get(self, carrier: Headers, key: str) -> list[str] | None:
        found = [
            v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
            for k, v in carrier
            if k.lower() == key
        ]
        return found or None

    def keys(self, carrier: Headers) -> list[str]:
        return [k for k, _ in carrier]


_HEADERS = _HeadersGetter()


def headers_of(values: Mapping[str, str]) -> tuple[tuple[str, bytes], ...]:
    """``values`` as record headers (the in-memory bus carries them as Kafka does)."""
    return tuple((k, v.encode()) for k, v in values.items())


class TraceContext(logging.Filter):
    """Puts the current trace and span ids on every log record (``trace_id``, ``span_id``)
    while a span is recording."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            record.trace_id = format(context.trace_id, "032x")
            record.span_id = format(context.span_id, "016x")
        return True
