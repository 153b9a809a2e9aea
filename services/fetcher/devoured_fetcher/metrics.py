"""The fetcher's own metrics (docs/metrics.md), on the process's shared registry."""

from prometheus_client import Counter, Gauge, Histogram

from devoured_infra.metrics import LATENCY_BUCKETS, REGISTRY

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
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)

# fetcher: HTTP, politeness and scheduling (docs/fetcher.md)
FETCH_HTTP_REQUESTS = Counter(
    "devoured_fetcher_http_requests_total",
    "HTTP responses by status class (2xx, 3xx, 304, 4xx, 5xx) and host.",
    ["status_class", "host"],
    registry=REGISTRY,
)

FETCH_HTTP_BYTES = Counter(
    "devoured_fetcher_http_bytes_total",
    "Decoded response body bytes received.",
    registry=REGISTRY,
)

FETCH_HTTP_SECONDS = Histogram(
    "devoured_fetcher_http_seconds",
    "Time from request to full body, redirects included.",
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)

FETCH_FEED_POLLS = Counter(
    "devoured_fetcher_feed_polls_total",
    "Feed polls by result (ok, not_modified, error); not_modified/all is the 304 ratio.",
    ["result"],
    registry=REGISTRY,
)

FETCH_ROBOTS_DENIALS = Counter(
    "devoured_fetcher_robots_denials_total",
    "Article fetches refused by robots.txt.",
    registry=REGISTRY,
)

FETCH_SSRF_BLOCKS = Counter(
    "devoured_fetcher_ssrf_blocks_total",
    "Connections refused because the address is not public.",
    registry=REGISTRY,
)

FETCH_SKIPS = Counter(
    "devoured_fetcher_skips_total",
    "Fetches given up with a recorded reason, by reason code.",
    ["reason"],
    registry=REGISTRY,
)

FETCH_SCHEDULER_LAG = Histogram(
    "devoured_fetcher_scheduler_lag_seconds",
    "How late a feed poll was emitted compared with its planned time.",
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600),
    registry=REGISTRY,
)

FETCH_SCHEDULER_LEADER = Gauge(
    "devoured_fetcher_scheduler_leader",
    "1 while this replica holds the scheduler lock.",
    registry=REGISTRY,
)

# Labelled by file so that only a replica that read the file reports it (an unlabelled gauge
# shows 0 on every service); the alert reads the leader's, as a former leader's may be stale.
FETCH_SOURCES_CONFIG_VALID = Gauge(
    "devoured_fetcher_sources_config_valid",
    "1 when the sources file last read by the scheduler was valid and applied, 0 when it was "
    "malformed and the sources already stored are polled instead.",
    ["file"],
    registry=REGISTRY,
)

FETCH_SOURCES_CONFIG_LOADED = Gauge(
    "devoured_fetcher_sources_config_loaded_timestamp_seconds",
    "When the scheduler last applied a valid sources file (Unix time).",
    ["file"],
    registry=REGISTRY,
)

FETCH_RESENT = Counter(
    "devoured_fetcher_requests_resent_total",
    "Article requests sent again by the scheduler: lost, or put off until now.",
    registry=REGISTRY,
)
