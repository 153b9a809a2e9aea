"""The publisher's own metrics (docs/metrics.md), on the process's shared registry."""

from prometheus_client import Counter, Gauge

from devoured_infra.metrics import REGISTRY

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

DELIVERIES = Counter(
    "devoured_publisher_deliveries_total",
    "Edition deliveries by channel and status.",
    ["channel", "status"],
    registry=REGISTRY,
)
