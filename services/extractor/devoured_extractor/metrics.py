"""The extractor's own metrics (docs/metrics.md), on the process's shared registry."""

from prometheus_client import Counter, Histogram

from devoured_infra.metrics import LATENCY_BUCKETS, REGISTRY

EXTRACTIONS = Counter(
    "devoured_extractor_pages_total",
    "Pages extracted or skipped, by outcome.",
    ["outcome"],
    registry=REGISTRY,
)

EXTRACTOR_SKIPS = Counter(
    "devoured_extractor_skips_total",
    "Pages skipped on purpose, by reason (empty, binary, too_large, paywalled, ...).",
    ["reason"],
    registry=REGISTRY,
)

EXTRACTOR_FAILURES = Counter(
    "devoured_extractor_failures_total",
    "Extractions stopped by the hard time limit or a crashed worker, by reason.",
    ["reason"],
    registry=REGISTRY,
)

EXTRACTOR_TEXT_CHARS = Histogram(
    "devoured_extractor_text_chars",
    "Length of the extracted main text, in characters.",
    buckets=(250, 500, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000),
    registry=REGISTRY,
)

EXTRACTOR_SECONDS = Histogram(
    "devoured_extractor_extract_seconds",
    "Time to extract one page (worker round trip), by outcome.",
    ["outcome"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
