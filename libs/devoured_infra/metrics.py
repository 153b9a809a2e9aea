"""Every Prometheus metric Devoured exports, on one registry per process.

Pipeline metrics carry a ``service`` label instead of a per-service metric name, so one
dashboard panel covers every stage (see docs/metrics.md).
"""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)

MESSAGES_CONSUMED = Counter(
    "devoured_messages_consumed_total",
    "Messages taken from an input topic.",
    ["service", "topic"],
    registry=REGISTRY,
)
MESSAGES_PRODUCED = Counter(
    "devoured_messages_produced_total",
    "Messages published to a topic.",
    ["service", "topic"],
    registry=REGISTRY,
)
MESSAGES_FAILED = Counter(
    "devoured_messages_failed_total",
    "Handler attempts that raised (each retry counts).",
    ["service", "topic"],
    registry=REGISTRY,
)
MESSAGES_DEAD_LETTERED = Counter(
    "devoured_messages_dead_lettered_total",
    "Messages sent to the topic's dead-letter topic.",
    ["service", "topic"],
    registry=REGISTRY,
)
HANDLER_SECONDS = Histogram(
    "devoured_handler_seconds",
    "Time to process one message, publishing included.",
    ["service", "topic"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
FETCHES = Counter(
    "devoured_fetcher_requests_total",
    "HTTP fetches by kind and outcome.",
    ["kind", "outcome"],
    registry=REGISTRY,
)
FETCH_SECONDS = Histogram(
    "devoured_fetcher_request_seconds",
    "HTTP fetch latency.",
    ["kind"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
EXTRACTIONS = Counter(
    "devoured_extractor_pages_total",
    "Pages extracted or skipped, by outcome.",
    ["outcome"],
    registry=REGISTRY,
)
SUMMARIES = Counter(
    "devoured_summarizer_articles_total",
    "Articles summarised, by backend.",
    ["backend"],
    registry=REGISTRY,
)
EDITIONS_PUBLISHED = Counter(
    "devoured_publisher_editions_published_total",
    "Editions built and published.",
    registry=REGISTRY,
)
EDITION_ITEMS = Gauge(
    "devoured_publisher_edition_items",
    "Stories in the latest built edition.",
    registry=REGISTRY,
)
