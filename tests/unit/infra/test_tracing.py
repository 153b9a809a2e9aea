"""Trace context through record headers, and tracing off (no SDK, nothing sent) unless an
OTLP endpoint is configured. The on/off checks run in a fresh interpreter: a process installs
its tracer provider once."""

import json
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from threading import Thread

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from devoured_infra import tracing


def test_inject_and_extract_round_trip_a_context_through_headers() -> None:
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("publish") as span:
        headers: dict[str, str] = {"content-type": "application/json"}
        tracing.inject(headers)
        stored = tracing.current()
    assert "traceparent" in headers
    sent = span.get_span_context()
    for carrier in (tracing.headers_of(headers), tracing.headers_of(_loads(stored))):
        received = trace.get_current_span(tracing.extract(carrier)).get_span_context()
        assert received.is_remote
        assert (received.trace_id, received.span_id) == (sent.trace_id, sent.span_id)
    assert not trace.get_current_span(tracing.extract(())).get_span_context().is_valid


def test_log_records_carry_the_trace_and_span_ids_of_the_current_span() -> None:
    record = logging.makeLogRecord({"msg": "x"})
    assert tracing.TraceContext().filter(record)
    assert not hasattr(record, "trace_id")
    with TracerProvider().get_tracer("test").start_as_current_span("work") as span:
        tracing.TraceContext().filter(record)
    context = span.get_span_context()
    assert record.__dict__["trace_id"] == f"{context.trace_id:032x}"
    assert record.__dict__["span_id"] == f"{context.span_id:016x}"


_SCRIPT = textwrap.dedent(
    """
    from opentelemetry import trace
    from devoured_infra import tracing

    on = tracing.configure_tracing("fetcher")
    with tracing.consuming(
        "fetcher", topic="devoured.fetch_requested", partition=0, offset=1, headers=()
    ) as span:
        recording = span.is_recording()
        stored = tracing.current()
        headers = {}
        tracing.inject(headers)
    # a statement outside any record's span starts no trace
    orphan = trace.get_tracer("t").start_span("SELECT", kind=trace.SpanKind.CLIENT)
    assert not orphan.is_recording()
    provider = trace.get_tracer_provider()
    if on:
        provider.force_flush()
    print(on, recording, stored is not None, "traceparent" in headers, type(provider).__name__)
    """
)


@contextmanager
def _collector() -> Iterator[tuple[list[str], int]]:
    """An OTLP/HTTP endpoint on loopback that records the paths posted to it."""
    posted: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            posted.append(self.path)
            self.send_response(200)
            self.send_header("content-type", "application/x-protobuf")
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield posted, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _run(endpoint: str | None) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    if endpoint is not None:
        env["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_without_an_endpoint_nothing_is_recorded_or_exported() -> None:
    with _collector() as (posted, _port):
        # OTEL_EXPORTER_OTLP_ENDPOINT unset: were an exporter made, it would post to its
        # default; none is, so the collector (and any other) hears nothing.
        assert _run(None) == ["False", "False", "False", "False", "ProxyTracerProvider"]
    assert posted == []


def test_with_an_endpoint_spans_are_exported_over_otlp() -> None:
    with _collector() as (posted, port):
        assert _run(f"http://127.0.0.1:{port}") == [
            "True",
            "True",
            "True",
            "True",
            "TracerProvider",
        ]
    assert posted == ["/v1/traces"]


def _loads(stored: str | None) -> dict[str, str]:
    assert stored is not None
    value = json.loads(stored)
    assert isinstance(value, dict)
    return {str(k): str(v) for k, v in value.items()}
