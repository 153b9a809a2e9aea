"""Every Kafka topic name, in one place.

Topics carry logical names; a deployment may add a prefix (``DEVOURED_KAFKA_TOPIC_PREFIX``)
when several installations share one cluster. Each input topic has a dead-letter twin.
"""

FETCH_REQUESTED = "devoured.fetch_requested"
PAGE_FETCHED = "devoured.page_fetched"
ARTICLE_EXTRACTED = "devoured.article_extracted"
ARTICLE_SUMMARIZED = "devoured.article_summarized"
DIGEST_PUBLISHED = "devoured.digest_published"

DLQ_SUFFIX = ".dlq"

PIPELINE_TOPICS = (
    FETCH_REQUESTED,
    PAGE_FETCHED,
    ARTICLE_EXTRACTED,
    ARTICLE_SUMMARIZED,
    DIGEST_PUBLISHED,
)
CONSUMED_TOPICS = (FETCH_REQUESTED, PAGE_FETCHED, ARTICLE_EXTRACTED, ARTICLE_SUMMARIZED)


def dead_letter_topic(topic: str) -> str:
    """The dead-letter topic of ``topic``: ``<topic>.dlq``."""
    return topic + DLQ_SUFFIX


def all_topics() -> list[str]:
    """Every topic the pipeline uses, dead-letter topics included."""
    return [*PIPELINE_TOPICS, *(dead_letter_topic(t) for t in CONSUMED_TOPICS)]
