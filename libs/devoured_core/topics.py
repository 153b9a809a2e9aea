"""Every Kafka topic name, in one place.

Topics carry logical names; a deployment may add a prefix (``DEVOURED_KAFKA_TOPIC_PREFIX``)
when several installations share one cluster. Each input topic has a dead-letter twin.
"""

URL_SUBMITTED = "devoured.url_submitted"
FETCH_REQUESTED = "devoured.fetch_requested"
PAGE_FETCHED = "devoured.page_fetched"
ARTICLE_EXTRACTED = "devoured.article_extracted"
ARTICLE_SUMMARIZED = "devoured.article_summarized"
DIGEST_PUBLISHED = "devoured.digest_published"

DLQ_SUFFIX = ".dlq"

PIPELINE_TOPICS = (
    URL_SUBMITTED,
    FETCH_REQUESTED,
    PAGE_FETCHED,
    ARTICLE_EXTRACTED,
    ARTICLE_SUMMARIZED,
    DIGEST_PUBLISHED,
)
# The main input of each stage (what its autoscaler watches), then the other consumed topics.
STAGE_INPUTS = {
    "fetcher": FETCH_REQUESTED,
    "extractor": PAGE_FETCHED,
    "summarizer": ARTICLE_EXTRACTED,
    "publisher": ARTICLE_SUMMARIZED,
}
CONSUMED_TOPICS = (*STAGE_INPUTS.values(), URL_SUBMITTED)


def dead_letter_topic(topic: str) -> str:
    """The dead-letter topic of ``topic``: ``<topic>.dlq``."""
    return topic + DLQ_SUFFIX


def all_topics() -> list[str]:
    """Every topic the pipeline uses, dead-letter topics included."""
    return [*PIPELINE_TOPICS, *(dead_letter_topic(t) for t in CONSUMED_TOPICS)]
