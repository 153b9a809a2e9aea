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
    buckets=_LATENCY_BUCKETS,
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
    buckets=_LATENCY_BUCKETS,
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

# operations: consumer-group lag, measured by each stage (lag.py, docs/observability.md)
CONSUMER_LAG = Gauge(
    "devoured_consumer_lag_messages",
    "Messages on the input topic not yet committed by the stage's consumer group.",
    ["service", "topic"],
    registry=REGISTRY,
)

DELIVERIES = Counter(
    "devoured_publisher_deliveries_total",
    "Edition deliveries by channel and status.",
    ["channel", "status"],
    registry=REGISTRY,
)

# summarizer: the LLM backend (docs/summarizer.md)
LLM_SECONDS = Histogram(
    "devoured_summarizer_llm_request_seconds",
    "LLM API call latency, each attempt, by status (success/error).",
    ["status"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
LLM_ERRORS = Counter(
    "devoured_summarizer_llm_errors_total",
    "Failed LLM API attempts, by reason (rate limited, timeout, server error 500, ...).",
    ["reason"],
    registry=REGISTRY,
)
LLM_TOKENS = Counter(
    "devoured_summarizer_llm_tokens_total",
    "LLM tokens used, by direction (in/out).",
    ["direction"],
    registry=REGISTRY,
)
LLM_COST = Counter(
    "devoured_summarizer_llm_cost_dollars_total",
    "Estimated LLM cost in dollars, from the configured prices per million tokens.",
    registry=REGISTRY,
)
LLM_CACHE = Counter(
    "devoured_summarizer_llm_cache_total",
    "LLM answer cache lookups, by outcome (hit/miss).",
    ["outcome"],
    registry=REGISTRY,
)
SUMMARY_FALLBACKS = Counter(
    "devoured_summarizer_fallbacks_total",
    "Articles the LLM backend handed to the extractive backend, by reason (budget/api/rejected).",
    ["reason"],
    registry=REGISTRY,
)
LLM_BUDGET_SPENT = Gauge(
    "devoured_summarizer_llm_budget_spent_tokens",
    "Tokens of today's LLM budget (UTC day) spent or reserved, as last seen by this process.",
    registry=REGISTRY,
)
LLM_BUDGET_LIMIT = Gauge(
    "devoured_summarizer_llm_budget_limit_tokens",
    "The daily LLM token budget (DEVOURED_SUMMARIZER_OPENAI_DAILY_TOKEN_BUDGET).",
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
FETCH_RESENT = Counter(
    "devoured_fetcher_requests_resent_total",
    "Article requests sent again by the scheduler: lost, or put off until now.",
    registry=REGISTRY,
)
