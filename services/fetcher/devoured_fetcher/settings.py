"""The fetcher's own settings (``DEVOURED_FETCH_*``, and three older unprefixed names); the
shared ones live in ``devoured_infra.settings.Settings``."""

from functools import cached_property
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class FetcherSettings(BaseSettings):
    """Sources, HTTP limits, politeness, timeouts and scheduling bounds; see docs/fetcher.md."""

    model_config = SettingsConfigDict(
        env_prefix="DEVOURED_FETCH_", extra="ignore", populate_by_name=True
    )

    sources_file: Path = Field(Path("sources.yaml"), validation_alias="DEVOURED_SOURCES_FILE")
    poll_interval_s: float = Field(900.0, validation_alias="DEVOURED_POLL_INTERVAL_S")
    scheduler_enabled: bool = Field(True, validation_alias="DEVOURED_SCHEDULER_ENABLED")
    timeout_s: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    user_agent: str = "DevouredBot/0.1 (+https://github.com/devoured/devoured)"
    # Private networks it may reach anyway (tests, local setups), comma-separated CIDRs.
    allowed_networks: str = ""
    rerequest_after_s: float = 600.0
    connect_timeout_s: float = 10.0
    total_timeout_s: float = 60.0
    max_redirects: int = 5
    host_concurrency: int = 1
    # Fetch requests one process handles at once, each from a different partition of
    # devoured.fetch_requested (docs/fetcher.md, "Concurrency").
    concurrency: int = Field(8, ge=1, le=64)
    host_delay_s: float = 1.0
    poll_min_s: float = 300.0
    poll_max_s: float = 86_400.0
    poll_jitter: float = 0.1
    robots_enabled: bool = True
    robots_user_agent: str = "DevouredBot"
    robots_ttl_s: float = 3600.0
    robots_max_crawl_delay_s: float = 30.0
    scheduler_tick_s: float = 5.0
    scheduler_batch: int = 500
    lease_s: float = 600.0
    # A handler never sleeps longer than this for a host (Retry-After, crawl delay): a longer
    # wait puts the article off, and the scheduler sends its request again when it is due.
    max_inline_wait_s: float = 30.0
    # How often an article is put off (site errors, robots.txt unavailable) or sent again
    # before it is given up for good.
    article_max_attempts: int = 10

    @cached_property
    def networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        """``allowed_networks``, parsed."""
        parts = (p.strip() for p in self.allowed_networks.split(","))
        return tuple(ip_network(p, strict=False) for p in parts if p)
