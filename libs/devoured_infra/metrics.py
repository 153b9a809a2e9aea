"""The registry every Prometheus metric of a process is on, and the metrics every service
shares (messages, handler time, lag, outages, outbox).

Shared metrics carry a ``service`` label instead of a per-service metric name, so one
dashboard panel covers every stage (see docs/metrics.md). A service's own metrics live in its
package (``devoured_<service>/metrics.py``), on this registry.
"""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)

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
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)

# operations: consumer-group lag, measured by each stage (lag.py, docs/observability.md)
CONSUMER_LAG = Gauge(
    "devoured_consumer_lag_messages",
    "Messages on the input topic not yet committed by the stage's consumer group.",
    ["service", "topic"],
    registry=REGISTRY,
)

OUTAGE_WAITING = Gauge(
    "devoured_outage_waiting",
    "1 while the service waits out an outage of a dependency (database, broker); its input "
    "is paused and /readyz answers 503.",
    ["service", "dependency"],
    registry=REGISTRY,
)
OUTAGE_RETRIES = Counter(
    "devoured_outage_retries_total",
    "Attempts that failed on an outage and were tried again (never dead-lettered).",
    ["service", "dependency"],
    registry=REGISTRY,
)
OUTAGE_SECONDS = Counter(
    "devoured_outage_seconds_total",
    "Seconds spent waiting out outages, counted when each ends.",
    ["service", "dependency"],
    registry=REGISTRY,
)
OUTBOX_PUBLISHED = Counter(
    "devoured_outbox_published_total",
    "Messages the relay published from the outbox.",
    ["service", "topic"],
    registry=REGISTRY,
)
OUTBOX_UNSENT = Gauge(
    "devoured_outbox_unsent",
    "Messages in the outbox not yet published, as last seen by the relay.",
    ["service"],
    registry=REGISTRY,
)
OUTBOX_AGE_SECONDS = Gauge(
    "devoured_outbox_oldest_unsent_age_seconds",
    "Age of the oldest unsent outbox message, as last seen by the relay.",
    ["service"],
    registry=REGISTRY,
)
