"""The publisher's own metrics (docs/metrics.md), on the process's shared registry."""

from prometheus_client import Counter, Gauge

from devoured_infra.metrics import REGISTRY

EDITIONS_PUBLISHED = Counter(
    "devoured_publisher_editions_published_total",
    "Editions built and published.",
    registry=REGISTRY,
)

EDITION_CUTS = Counter(
    "devoured_publisher_edition_cuts_total",
    "Editor's cuts of an edition, by where they ran: in_process, or worker (a process of its "
    "own, for an edition of DEVOURED_PUBLISHER_CUT_WORKER_FROM stories or more).",
    ["where"],
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
