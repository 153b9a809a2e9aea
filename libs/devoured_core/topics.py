"""Every Kafka topic name, in one place.

Topics carry logical names; a deployment may add a prefix (``DEVOURED_KAFKA_TOPIC_PREFIX``)
when several installations share one cluster. Each consumed topic has a dead-letter twin.
Which service consumes or produces which topic is said by the services' descriptors
(``devoured_infra.registry``), not here.
"""

URL_SUBMITTED = "devoured.url_submitted"
FETCH_REQUESTED = "devoured.fetch_requested"
PAGE_FETCHED = "devoured.page_fetched"
ARTICLE_EXTRACTED = "devoured.article_extracted"
ARTICLE_SUMMARIZED = "devoured.article_summarized"
DIGEST_PUBLISHED = "devoured.digest_published"

DLQ_SUFFIX = ".dlq"


def dead_letter_topic(topic: str) -> str:
    """The dead-letter topic of ``topic``: ``<topic>.dlq``."""
    return topic + DLQ_SUFFIX
