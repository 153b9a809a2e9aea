"""Settings shared by every service, read from ``DEVOURED_*`` environment variables.

A service's own settings live in its package (``devoured_<service>/settings.py``) and its
descriptor names them; ``env_names`` tells which variable each field is read from."""

from dataclasses import dataclass
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


@dataclass(frozen=True)
class DatabaseTimeouts:
    """How long PostgreSQL work may wait, in seconds; 0 turns a limit off.

    ``statement_s`` is enforced by the server (``statement_timeout``), which cancels the
    statement cleanly, and by the client (asyncpg's ``command_timeout``) a few seconds later,
    for a server that does not answer at all (paused, cut off).
    """

    connect_s: float = 10.0
    statement_s: float = 30.0
    idle_in_transaction_s: float = 60.0
    pool_s: float = 30.0


class Settings(BaseSettings):
    """Configuration of one Devoured process; every field is documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="DEVOURED_", extra="ignore")

    database_url: str = Field(
        "sqlite+aiosqlite:///out/devoured.db",
        validation_alias=AliasChoices("DEVOURED_DATABASE_URL", "DATABASE_URL"),
    )
    # PostgreSQL only, in seconds, 0 for none: a database that stops answering fails the work
    # in hand (an outage, waited out) instead of hanging it forever (DatabaseTimeouts).
    db_connect_timeout_s: float = Field(10.0, ge=0)
    db_statement_timeout_s: float = Field(30.0, ge=0)
    db_idle_in_transaction_timeout_s: float = Field(60.0, ge=0)
    db_pool_timeout_s: float = Field(30.0, ge=0)
    # Connections a service keeps open (5 more under load): at least its concurrent handlers
    # plus its relay and jobs, or connections are opened and closed on every burst.
    db_pool_size: int = Field(10, ge=1)
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

    kafka_max_poll_interval_ms: int = 300_000
    # How long a record waits out an outage before it is handed back to the broker and polled
    # again; keep it well below kafka_max_poll_interval_ms.
    max_outage_wait_s: float = 60.0

    # Fault injection for the chaos suite only: the probability that a service process exits
    # at once (as on SIGKILL) right after a handler committed, before its outputs are published.
    test_crash_after_commit: float = 0.0

    # Records of one poll that a stage declared batchable (Stage.batch) share a transaction
    # and an offset commit; 1 turns batches off (a transaction and a commit per record).
    consumer_batch_records: int = Field(100, ge=1)
    # One shared transaction holds at most this much handling, in seconds.
    consumer_batch_max_s: float = Field(1.0, gt=0)

    handler_max_attempts: int = 3
    handler_retry_backoff_s: float = 0.5

    http_host: str = "0.0.0.0"  # noqa: S104 - each service listens in its own container
    http_port: int | None = None
    log_level: str = "INFO"
    # json: one object per line, for log collectors; console: coloured lines for a person.
    log_format: Literal["json", "console"] = "json"

    # Leader lease of the singleton jobs (fetch scheduler, edition builder), renewed every
    # third of it; a replica takes over within this plus one tick of the job.
    leader_ttl_s: float = Field(15.0, gt=0)

    @property
    def database_timeouts(self) -> DatabaseTimeouts:
        return DatabaseTimeouts(
            connect_s=self.db_connect_timeout_s,
            statement_s=self.db_statement_timeout_s,
            idle_in_transaction_s=self.db_idle_in_transaction_timeout_s,
            pool_s=self.db_pool_timeout_s,
        )

    def physical_topic(self, topic: str) -> str:
        """The topic name on the cluster: the deployment's prefix plus the logical name."""
        return self.kafka_topic_prefix + topic


def env_names(kind: type[BaseSettings]) -> dict[str, tuple[str, ...]]:
    """The environment variables each field of ``kind`` is read from, by field name: its
    aliases, else the class's prefix and the field's name."""
    prefix = kind.model_config.get("env_prefix") or ""
    names: dict[str, tuple[str, ...]] = {}
    for name, field in kind.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names[name] = tuple(c for c in alias.choices if isinstance(c, str))
        elif isinstance(alias, str):
            names[name] = (alias,)
        else:
            names[name] = (prefix + name.upper(),)
    return names
