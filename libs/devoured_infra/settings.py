"""Settings shared by every service, read from ``DEVOURED_*`` environment variables."""

from functools import cached_property
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_PORTS = {"fetcher": 9101, "extractor": 9102, "summarizer": 9103, "publisher": 9104}


class Settings(BaseSettings):
    """Configuration of one Devoured process; every field is documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="DEVOURED_", extra="ignore")

    database_url: str = Field(
        "sqlite+aiosqlite:///out/devoured.db",
        validation_alias=AliasChoices("DEVOURED_DATABASE_URL", "DATABASE_URL"),
    )
    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092",
        validation_alias=AliasChoices(
            "DEVOURED_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"
        ),
    )
    kafka_topic_prefix: str = ""
    kafka_session_timeout_ms: int = 10_000
    kafka_max_message_bytes: int = 16 * 1024 * 1024
    topic_partitions: int = 12
    topic_replication_factor: int = 1
    topic_retention_ms: int = 7 * 24 * 3600 * 1000

    handler_max_attempts: int = 3
    handler_retry_backoff_s: float = 0.5

    http_host: str = "0.0.0.0"
    http_port: int | None = None
    log_level: str = "INFO"

    sources_file: Path = Path("sources.yaml")
    poll_interval_s: float = 900.0
    scheduler_enabled: bool = True
    fetch_timeout_s: float = 20.0
    fetch_max_bytes: int = 5 * 1024 * 1024
    fetch_user_agent: str = "DevouredBot/0.1 (+https://github.com/devoured/devoured)"
    fetch_allowed_networks: str = ""
    fetch_rerequest_after_s: float = 600.0

    out_dir: Path = Path("out")
    digest_name: str = "Devoured Daily"
    timezone: str = "UTC"
    edition_interval_s: float = 30.0

    def port_for(self, service: str) -> int:
        """The HTTP port (metrics and health) of ``service``."""
        return self.http_port if self.http_port is not None else SERVICE_PORTS[service]

    @cached_property
    def allowed_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        """Private networks the fetcher may reach anyway (tests, local setups)."""
        parts = (p.strip() for p in self.fetch_allowed_networks.split(","))
        return tuple(ip_network(p, strict=False) for p in parts if p)

    def physical_topic(self, topic: str) -> str:
        """The topic name on the cluster: the deployment's prefix plus the logical name."""
        return self.kafka_topic_prefix + topic
