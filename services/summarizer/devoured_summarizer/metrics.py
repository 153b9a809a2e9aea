"""The summarizer's own metrics (docs/metrics.md), on the process's shared registry."""

from prometheus_client import Counter, Gauge, Histogram

from devoured_infra.metrics import LATENCY_BUCKETS, REGISTRY

SUMMARIES = Counter(
    "devoured_summarizer_articles_total",
    "Articles summarised, by backend.",
    ["backend"],
    registry=REGISTRY,
)

# summarizer: the LLM backend (docs/summarizer.md)
LLM_SECONDS = Histogram(
    "devoured_summarizer_llm_request_seconds",
    "LLM API call latency, each attempt, by status (success/error).",
    ["status"],
    buckets=LATENCY_BUCKETS,
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
