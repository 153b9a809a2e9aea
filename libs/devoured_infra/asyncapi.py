"""The AsyncAPI document of the pipeline: which service consumes and produces which topic.

Built on a broker that is never connected, with handlers typed by the message models, so the
document carries the same JSON Schemas the services validate against.
"""

from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from devoured_core.messages import (
    ArticleExtracted,
    ArticleSummarized,
    DeadLetter,
    DigestPublished,
    FetchRequested,
    Message,
    PageFetched,
)
from devoured_core.topics import dead_letter_topic

TOPOLOGY: dict[str, tuple[type[Message], tuple[type[Message], ...]]] = {
    "fetcher": (FetchRequested, (FetchRequested, PageFetched)),
    "extractor": (PageFetched, (ArticleExtracted,)),
    "summarizer": (ArticleExtracted, (ArticleSummarized,)),
    "publisher": (ArticleSummarized, (DigestPublished,)),
}


def asyncapi_document(version: str) -> dict[str, Any]:
    broker = KafkaBroker("kafka:9092", description="The Devoured pipeline's Kafka cluster")
    for service, (consumed, produced) in TOPOLOGY.items():
        _declare(broker, service, consumed, produced)
    spec = AsyncAPI(
        broker,
        title="Devoured pipeline",
        version=version,
        description="Topics, message schemas and the services on each side.",
    )
    document: dict[str, Any] = spec.to_specification().to_jsonable()
    return document


def _declare(
    broker: KafkaBroker, service: str, consumed: type[Message], produced: tuple[type[Message], ...]
) -> None:
    async def handler(message: Any) -> None:
        """Documentation only."""

    handler.__annotations__["message"] = consumed
    broker.subscriber(
        consumed.TOPIC,
        group_id=f"devoured-{service}",
        title=f"{service}:{consumed.TOPIC}",
        description=f"The {service} consumes {consumed.__name__}.",
    )(handler)
    for model in produced:
        broker.publisher(
            model.TOPIC,
            schema=model,
            title=f"{service}:{model.TOPIC}:publish",
            description=f"The {service} publishes {model.__name__}.",
        )
    broker.publisher(
        dead_letter_topic(consumed.TOPIC),
        schema=DeadLetter,
        title=f"{service}:{dead_letter_topic(consumed.TOPIC)}:publish",
        description=f"Messages the {service} could not process, with the reason.",
    )
