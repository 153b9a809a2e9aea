"""The publisher's tables: the stories it received, the editions it built, its deliveries.

They are on the publisher's own ``metadata`` (its descriptor's ``tables``); its migrations
(``migrations/``) create them, and tests/integration/test_migrations*.py keep the two equal.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

publisher_items = Table(
    "publisher_items",
    metadata,
    Column("article_id", String(64), primary_key=True),
    Column("edition_date", Date, nullable=False, index=True),
    Column("edition_id", String(32), index=True),
    Column("section", String(200)),
    Column("title", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("source_name", String(500), nullable=False),
    Column("source_weight", Float, nullable=False),
    Column("reading_minutes", Integer, nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("tldr", Text, nullable=False),
    Column("deep_dive", JSON, nullable=False),
    Column("decoder", JSON, nullable=False),
    Column("text", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    # 0009_version_guard: occurred_at of the message the row was written from; an older
    # message never overwrites it (devoured_infra.db.upsert's ``version``). NULL before 0009.
    Column("message_occurred_at", DateTime(timezone=True)),
    # 0014_publisher_editor: the editor's notes when the story arrived (NULL before 0014).
    Column("relevance", Float),
    Column("section_confidence", Float),
    Column("editor_reason", Text),
    Column("language", String(16)),
    # 0015_publisher_features: the text's features (``features.TextFeatures``), so an edition
    # builds without reading texts: SimHash (signed), words, term counts. NULL before 0015.
    Column("text_simhash", BigInteger),
    Column("text_words", Integer),
    Column("text_terms", LargeBinary),
)

publisher_editions = Table(
    "publisher_editions",
    metadata,
    Column("edition_id", String(32), primary_key=True),
    Column("edition_date", Date, nullable=False),
    Column("title", Text, nullable=False),
    Column("overview", Text, nullable=False),
    Column("item_count", Integer, nullable=False),
    Column("story_count", Integer, nullable=False, server_default="0"),
    Column("markdown", Text, nullable=False),
    Column("html", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("built_at", DateTime(timezone=True), nullable=False),
    # 0016_publisher_pages: the web page and the API body as the build rendered them, served
    # instead of assembling the edition per request. NULL before 0016 (assembled on request).
    Column("web_html", Text, nullable=True),
    Column("api_json", Text, nullable=True),
)

publisher_deliveries = Table(
    "publisher_deliveries",
    metadata,
    Column("edition_id", String(32), primary_key=True),
    Column("channel", String(20), primary_key=True),
    Column("target", String(500), primary_key=True),
    Column("delivered_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
)

# 0008_leader_lease: a delivery attempt is claimed (under the edition builder's lease epoch)
# before it is sent, so a target is never sent the same edition twice. A failed attempt drops
# its claim; a claim with no recorded outcome (the sender died mid-send) is never sent again.
publisher_delivery_claims = Table(
    "publisher_delivery_claims",
    metadata,
    Column("edition_id", String(32), primary_key=True),
    Column("channel", String(20), primary_key=True),
    Column("target", String(500), primary_key=True),
    Column("epoch", BigInteger, nullable=False),
    Column("claimed_by", String(200), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
)
