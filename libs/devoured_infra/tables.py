"""The shared tables: every service's outbox and the leader leases.

Each service declares the tables it owns in its own package (``devoured_<service>/tables.py``)
and never writes another's."""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

# Every service's outgoing messages, written in the same transaction as the state they
# describe and published by that service's relay (devoured_infra.outbox) after the commit, so a
# crash between the commit and the publish never loses a message: the relay sends what is unsent.
outbox = Table(
    "outbox",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("service", String(50), nullable=False),
    Column("topic", String(200), nullable=False),
    Column("message_type", String(100), nullable=False),
    Column("message_id", String(64), nullable=False),
    Column("message_key", LargeBinary),
    Column("payload", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    # 0012_outbox_dedupe: a message that must be queued once however often its cause is
    # handled (a dead letter of a record delivered again) carries a key; NULLs never collide.
    Column("dedupe_key", String(300)),
    # 0013_outbox_trace_context: the W3C trace context of the span that queued the message (JSON
    # of its propagation headers), so the relay publishes it in the same trace; NULL untraced.
    Column("trace_context", String(1000)),
    UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
    Index(
        "ix_outbox_unsent",
        "service",
        "id",
        postgresql_where=text("sent_at IS NULL"),
        sqlite_where=text("sent_at IS NULL"),
    ),
)

# Leader leases of the singleton jobs (devoured_infra.leader): one row per job; ``epoch`` goes
# up whenever the holder changes and fences a former leader's late writes.
leader_leases = Table(
    "leader_leases",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("epoch", BigInteger, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)
